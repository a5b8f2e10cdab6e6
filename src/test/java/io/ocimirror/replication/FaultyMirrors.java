package io.ocimirror.replication;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ocimirror.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mirror hosts on 127.0.0.1 that fail the ways real ones do: a port where nothing listens (connection refused), a
 * listener that accepts no connection and so never answers, and an HTTPS server (test CA) that counts requests and
 * answers 429 with {@code Retry-After: 7} for repositories under {@code throttled/}, 404 under {@code missing/}, 401
 * under {@code private/}, nothing (after the TLS handshake, for up to a minute) under {@code hang/}, and 503
 * otherwise. A plain-HTTP listener for a failed handshake is any plain registry.
 */
final class FaultyMirrors implements AutoCloseable {

    static final int RETRY_AFTER_SECONDS = 7;
    private static final java.time.Duration HANG = java.time.Duration.ofMinutes(1);

    private final int refusedPort;
    private final ServerSocket silent;
    private final HttpsServer unavailable;
    private final AtomicInteger unavailableRequests = new AtomicInteger();
    private final ExecutorService unavailableThreads = Executors.newCachedThreadPool();

    FaultyMirrors() {
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
                refusedPort = probe.getLocalPort();
            }
            silent = new ServerSocket(0, 64, loopback);
            unavailable = HttpsServer.create(new InetSocketAddress(loopback, 0), 16);
            unavailable.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
            unavailable.createContext("/", exchange -> {
                unavailableRequests.incrementAndGet();
                String path = exchange.getRequestURI().getPath();
                if (path.startsWith("/v2/hang/")) {
                    try {
                        Thread.sleep(HANG.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.close();
                    return;
                }
                int status = 503;
                if (path.startsWith("/v2/throttled/")) {
                    status = 429;
                    exchange.getResponseHeaders().add("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                } else if (path.startsWith("/v2/missing/")) {
                    status = 404;
                } else if (path.startsWith("/v2/private/")) {
                    status = 401;
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            unavailable.setExecutor(unavailableThreads);
            unavailable.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the faulty mirrors", e);
        }
    }

    String refusedHost() {
        return "127.0.0.1:" + refusedPort;
    }

    String silentHost() {
        return "127.0.0.1:" + silent.getLocalPort();
    }

    String unavailableHost() {
        return "127.0.0.1:" + unavailable.getAddress().getPort();
    }

    int unavailableRequests() {
        return unavailableRequests.get();
    }

    /** A TLS context trusting only the test CA, for test clients. */
    static SSLContext clientContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(TestCertificates.trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a TLS context trusting the test CA", e);
        }
    }

    /** The test CA's serving certificate for 127.0.0.1 and localhost, with its PKCS#8 key. */
    private static SSLContext serverContext() {
        TestCertificates.generate();
        try (InputStream certificate = Files.newInputStream(TestCertificates.SERVER_CERT)) {
            Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(certificate)
                    .toArray(Certificate[]::new);
            String pem = Files.readString(TestCertificates.SERVER_KEY)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, new char[0], chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test serving certificate", e);
        }
    }

    @Override
    public void close() {
        unavailable.stop(0);
        unavailableThreads.shutdownNow();
        try {
            silent.close();
        } catch (IOException e) {
            // the port is released with the process anyway
        }
    }
}
