package io.ocimirror.replication;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain-HTTP loopback proxy in front of a registry that counts the requests open at once (the most ever, overall
 * and for blobs), logs every request path, holds each blob answer back a little so that concurrent fetches overlap
 * visibly, and can corrupt the body of chosen blobs (one byte flipped, same length).
 */
final class CountingProxy implements AutoCloseable {

    private static final Set<String> HOP_HEADERS = Set.of("content-length", "transfer-encoding", "connection", "date");
    /** Bounds the proxy's own threads: more than any test opens at once. */
    private static final int THREADS = 32;

    private final URI target;
    private final Duration blobDelay;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger openBlobs = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger maxOpenBlobs = new AtomicInteger();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final Set<String> corrupted = ConcurrentHashMap.newKeySet();

    CountingProxy(URI target, Duration blobDelay) throws IOException {
        this.target = target;
        this.blobDelay = blobDelay;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), THREADS);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    int maxOpen() {
        return maxOpen.get();
    }

    int maxOpenBlobs() {
        return maxOpenBlobs.get();
    }

    /** Every request path, in the order they arrived. */
    List<String> paths() {
        return List.copyOf(paths);
    }

    /** How many GETs asked for this blob. */
    long blobRequests(String digest) {
        return paths.stream().filter(path -> path.endsWith("/blobs/" + digest)).count();
    }

    void corrupt(String digest) {
        corrupted.add(digest);
    }

    void stopCorrupting() {
        corrupted.clear();
    }

    private void forward(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        boolean blob = path.contains("/blobs/sha256:");
        paths.add(path);
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        if (blob) {
            maxOpenBlobs.accumulateAndGet(openBlobs.incrementAndGet(), Math::max);
        }
        boolean counted = true;
        try (exchange) {
            if (blob) {
                Thread.sleep(blobDelay.toMillis());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(30)).method(exchange.getRequestMethod(),
                            HttpRequest.BodyPublishers.noBody());
            for (String name : List.of("Accept", "Authorization")) {
                List<String> values = exchange.getRequestHeaders().get(name);
                if (values != null) {
                    values.forEach(value -> request.header(name, value));
                }
            }
            HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = answer.body();
            if (blob && body.length > 0 && corrupted.contains(path.substring(path.lastIndexOf('/') + 1))) {
                body = body.clone();
                body[0] ^= 1;
            }
            for (Map.Entry<String, List<String>> header : answer.headers().map().entrySet()) {
                if (!HOP_HEADERS.contains(header.getKey().toLowerCase()) && !header.getKey().startsWith(":")) {
                    exchange.getResponseHeaders().put(header.getKey(), header.getValue());
                }
            }
            // Counted as closed before the client can see the end of the answer (and start its next call), so
            // that a count never includes a request its client already finished.
            counted = false;
            uncount(blob);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(answer.statusCode(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                uncount(blob);
            }
        }
    }

    private void uncount(boolean blob) {
        open.decrementAndGet();
        if (blob) {
            openBlobs.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
