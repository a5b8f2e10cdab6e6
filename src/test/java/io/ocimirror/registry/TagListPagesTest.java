package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The next page of a tag list, from the {@code Link} header the distribution spec describes (RFC 8288). */
class TagListPagesTest {

    static Stream<Arguments> links() {
        return Stream.of(
                // Link header, next page (null: none)
                Arguments.of("</v2/a/tags/list?n=2&last=b>; rel=\"next\"", "/v2/a/tags/list?n=2&last=b"),
                Arguments.of("</v2/a/tags/list?last=b&n=2>;rel=next", "/v2/a/tags/list?last=b&n=2"),
                Arguments.of("<https://r.example/v2/a/tags/list?last=b>; REL=\"Next\"",
                        "https://r.example/v2/a/tags/list?last=b"),
                Arguments.of("</v2/a/tags/list?n=2>; rel=\"prev\", </v2/a/tags/list?last=d>; rel=\"next\"",
                        "/v2/a/tags/list?last=d"),
                Arguments.of("</v2/a/tags/list?last=b>; rel=\"next\"; type=\"application/json\"",
                        "/v2/a/tags/list?last=b"),
                Arguments.of("</v2/a/tags/list?n=2>; rel=\"prev\"", null),
                Arguments.of("/v2/a/tags/list?last=b; rel=\"next\"", null),
                Arguments.of("", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("links")
    void readsTheNextPage(String link, String next) {
        assertEquals(Optional.ofNullable(next), MirrorUrls.nextPage(link));
    }

    static Stream<Arguments> origins() {
        return Stream.of(
                // the mirror, a next page, whether it is on the mirror
                Arguments.of("https://mirror.example.com", "https://mirror.example.com/v2/a/tags/list", true),
                Arguments.of("https://mirror.example.com", "HTTPS://Mirror.Example.COM/v2/a/tags/list", true),
                Arguments.of("https://mirror.example.com", "https://mirror.example.com:443/v2/a/tags/list", true),
                Arguments.of("http://mirror.example.com", "http://mirror.example.com:80/v2/a/tags/list", true),
                Arguments.of("https://mirror.example.com:443", "https://mirror.example.com/v2/a/tags/list", true),
                Arguments.of("https://mirror.example.com:5000", "https://MIRROR.example.com:5000/v2/a", true),
                Arguments.of("https://mirror.example.com", "http://mirror.example.com/v2/a/tags/list", false),
                Arguments.of("https://mirror.example.com", "https://mirror.example.com:80/v2/a/tags/list", false),
                Arguments.of("https://mirror.example.com", "https://other.example.com/v2/a/tags/list", false),
                Arguments.of("https://mirror.example.com:5000", "https://mirror.example.com/v2/a", false));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("origins")
    void comparesOriginsAsUrlsDo(String mirror, String next, boolean same) {
        assertEquals(same, MirrorUrls.sameOrigin(URI.create(mirror), URI.create(next)));
    }
}
