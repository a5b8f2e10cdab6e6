package io.ocimirror.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client that trusts only the CA certificates in one PEM file and checks the server's name, as the API
 * server does with a webhook's caBundle. Each connection gets a fresh SSLContext, so no session is resumed and
 * every handshake shows the certificate the server serves now.
 */
final class TlsClient {

    private static final int TIMEOUT_MILLIS = 5_000;

    private final Path trustedCas;

    TlsClient(Path trustedCas) {
        this.trustedCas = trustedCas;
    }

    /**
     * Handshakes made again because the server dropped the connection. Vert.x 4.5 drops connections accepted while
     * it swaps in a reloaded SSL context: TCPServerBase.updateSSLOptions publishes the pending update and the
     * channel initialiser reads its still-null result. The server swaps the context when the certificate changed;
     * a retry after a short pause finds the swap done.
     */
    private static final int DROP_RETRIES = 5;

    private final AtomicInteger dropped = new AtomicInteger();

    /**
     * A handshake with 127.0.0.1:port offering only the given protocol (TLSv1.2 or TLSv1.3). A certificate this
     * client does not trust fails at once; a connection the server drops is tried again, a bounded number of times.
     */
    Connection connect(int port, String protocol) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return connectOnce(port, protocol);
            } catch (IOException e) {
                if (isTrustFailure(e) || attempt > DROP_RETRIES) {
                    throw e;
                }
                dropped.incrementAndGet();
                pauseBeforeRetry();
            }
        }
    }

    private static void pauseBeforeRetry() throws IOException {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** How many handshakes the server dropped so far (see {@link #DROP_RETRIES}). */
    int dropped() {
        return dropped.get();
    }

    /** The client refused the server's certificate (unknown issuer, wrong name): a CertificateException inside. */
    static boolean isTrustFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private Connection connectOnce(int port, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            SSLParameters parameters = socket.getSSLParameters();
            // Check that the certificate names the address we dialled (its IP SAN), like an HTTPS client.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(new String[] {protocol});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new Connection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private SSLContext context() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            List<X509Certificate> cas = CertsScriptTest.parse(Files.readAllBytes(trustedCas));
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a trust store from " + trustedCas, e);
        }
    }

    /** One TLS connection speaking HTTP/1.1 with keep-alive. */
    static final class Connection implements AutoCloseable {

        private final SSLSocket socket;

        private Connection(SSLSocket socket) {
            this.socket = socket;
        }

        String protocol() {
            return socket.getSession().getProtocol();
        }

        X509Certificate peerCertificate() {
            try {
                return (X509Certificate) socket.getSession().getPeerCertificates()[0];
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Sends an empty JSON object to /mutate and returns the status line of the answer. */
        String postToMutate() throws IOException {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return readResponse(socket.getInputStream());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        /** Reads one response (Content-Length or chunked body) so the connection can be used again. */
        private static String readResponse(InputStream in) throws IOException {
            String status = line(in);
            long length = 0;
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring("content-length:".length()).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                    in.readNBytes((int) size);
                    line(in);
                }
                line(in);
            } else {
                in.readNBytes((int) length);
            }
            return status;
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new UncheckedIOException(new IOException("connection closed mid-response"));
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }
}
