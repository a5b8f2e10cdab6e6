package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.testing.registry.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tag lists as the distribution spec pages them ({@code n}, {@code last}, {@code Link: <...>; rel="next"}), from a
 * fake registry on 127.0.0.1 whose pages are small enough to need following.
 */
class TagListTest {

    /** Request path and query to Link header (or "") and body. */
    private static final Map<String, String[]> PAGES = Map.of(
            "/v2/paged/tags/list?n=1000", new String[] {"</v2/paged/tags/list?n=2&last=6.5.4>; rel=\"next\"",
                    "{\"name\":\"paged\",\"tags\":[\"6.5.3\",\"6.5.4\"]}"},
            "/v2/paged/tags/list?n=2&last=6.5.4", new String[] {"</v2/paged/tags/list?n=2&last=7.0.0>; rel=\"next\"",
                    "{\"name\":\"paged\",\"tags\":[\"6.6.0\",\"7.0.0\"]}"},
            "/v2/paged/tags/list?n=2&last=7.0.0", new String[] {"", "{\"name\":\"paged\",\"tags\":[\"latest\"]}"},
            "/v2/single/tags/list?n=1000", new String[] {"", "{\"name\":\"single\",\"tags\":[\"1.0\"]}"},
            "/v2/deleted/tags/list?n=1000", new String[] {"", "{\"name\":\"deleted\",\"tags\":null}"},
            "/v2/elsewhere/tags/list?n=1000", new String[] {"<http://127.0.0.2:1/v2/elsewhere/tags/list?last=a>; "
                    + "rel=\"next\"", "{\"tags\":[\"a\"]}"},
            "/v2/garbled/tags/list?n=1000", new String[] {"", "{\"tags\":\"1.0\"}"},
            "/v2/capitals/tags/list?n=1000", new String[] {"<HTTP://HOST/v2/capitals/tags/list?n=2&last=a>; "
                    + "rel=\"next\"", "{\"tags\":[\"a\"]}"},
            "/v2/capitals/tags/list?n=2&last=a", new String[] {"", "{\"tags\":[\"b\"]}"});
    private static StubRegistry server;
    private static RegistryAccess access;

    @BeforeAll
    static void start() throws RegistryAccessException {
        server = StubRegistry.start().handle("/v2/", exchange -> {
            String[] page = PAGES.get(exchange.getRequestURI().getRawPath() + "?"
                    + exchange.getRequestURI().getRawQuery());
            if (page == null) {
                StubRegistry.respond(exchange, 404, StubRegistry.NO_BODY);
            } else {
                if (!page[0].isEmpty()) {
                    exchange.getResponseHeaders().add("Link", page[0].replace("HOST", server.host()));
                }
                StubRegistry.respond(exchange, 200, Map.of("Content-Type", "application/json"),
                        page[1].getBytes(StandardCharsets.UTF_8));
            }
        });
        access = new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(10), System::nanoTime).access(
                new RegistryAccessFactory.Endpoint(server.host(), true, Optional.empty(), false), Optional.empty());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> lists() {
        return Stream.of(
                // repository, tags listed
                Arguments.of("paged", List.of("6.5.3", "6.5.4", "6.6.0", "7.0.0", "latest")),
                Arguments.of("single", List.of("1.0")),
                Arguments.of("deleted", List.of()),
                Arguments.of("capitals", List.of("a", "b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void readsEveryPage(String repository, List<String> tags) throws RegistryAccessException {
        assertEquals(tags, access.tags(repository));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // repository, failure
                Arguments.of("elsewhere", Failure.UNSUPPORTED),
                Arguments.of("garbled", Failure.UNSUPPORTED),
                Arguments.of("missing", Failure.NOT_FOUND));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWhatIsNotATagListOfThisHost(String repository, Failure failure) {
        assertEquals(failure, assertThrows(RegistryAccessException.class, () -> access.tags(repository)).failure());
    }
}
