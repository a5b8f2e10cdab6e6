package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
