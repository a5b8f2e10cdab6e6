package io.ocimirror.testing.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A plain-HTTP server on a free port of 127.0.0.1 for registry-client tests that need answers a real Docker
 * Distribution will not give: odd challenges, redirects, trickling bodies, paged tag lists, schema 1 or sha512
 * content, a referrers API. A test adds a handler per path and answers with {@link #respond}.
 *
 * <pre>{@code
 * try (StubRegistry stub = StubRegistry.start()
 *         .handle("/v2/", exchange -> StubRegistry.respond(exchange, 404, StubRegistry.NO_BODY))) {
 *     // ... point the client under test at stub.host() ...
 * }
 * }</pre>
 */
public final class StubRegistry implements AutoCloseable {

    /** The body of an answer without one. */
    public static final byte[] NO_BODY = new byte[0];
    private static final int BACKLOG = 8;

    private final HttpServer server;

    private StubRegistry(HttpServer server) {
        this.server = server;
    }

    /** Serve on a free port of 127.0.0.1, answering 404 until {@link #handle} adds a path. */
    public static StubRegistry start() {
        try {
            HttpServer server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), BACKLOG);
            server.start();
            return new StubRegistry(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a stub registry on 127.0.0.1", e);
        }
    }

    /** Let {@code handler} answer the requests whose path starts with {@code path}; the longest such path wins. */
    public StubRegistry handle(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    /** {@code 127.0.0.1:PORT}, as a registry host in an image reference. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answer {@code status} with {@code body}, or with no body when it is empty, and close the exchange. */
    public static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        respond(exchange, status, Map.of(), body);
    }

    /** Like {@link #respond(HttpExchange, int, byte[])}, adding {@code headers} to those already set. */
    public static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        try (exchange) {
            headers.forEach(exchange.getResponseHeaders()::add);
            // -1: no body at all; 0 would mean a chunked one
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
