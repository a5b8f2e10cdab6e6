package io.ocimirror.testing.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token server for Distribution's {@code auth.token}, after the distribution token auth specification
 * ({@code docs/spec/auth/token.md}, {@code jwt.md}): {@code GET /token?service=&scope=} with Basic credentials
 * answers {@code {"token": JWT}} granting every requested action to the one known user.
 *
 * <p>The JWT is RS256-signed by a key whose self-signed certificate is both in the {@code x5c} header and the only
 * certificate of the {@code rootcertbundle}: Distribution 2.8 verifies the x5c chain against that bundle
 * ({@code registry/auth/token/token.go}). The key and certificate are made by the JDK's {@code keytool}; token
 * servers share one per JVM, and each registry's tokens carry its own {@code service} as audience.
 */
public final class TokenServer implements AutoCloseable {

    static final long TOKEN_LIFETIME_SECONDS = 300;
    /** Distribution allows 60 s of clock skew; a past not-before keeps clear of it anyway. */
    static final long NOT_BEFORE_SLACK_SECONDS = 10;
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static final String KEY_ALIAS = "token-signer";
    private static final String STORE_PASSWORD = "token-signer";

    private static Signer sharedSigner;

    private final HttpServer server;
    private final String service;
    private final String issuer;
    private final Credentials credentials;
    private final Path rootCertificateBundle;
    private final PrivateKey signingKey;
    private final X509Certificate certificate;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger issuedTokens = new AtomicInteger();
    private final AtomicInteger refusedRequests = new AtomicInteger();

    private TokenServer(HttpServer server, String service, String issuer, Credentials credentials,
            Path rootCertificateBundle, PrivateKey signingKey, X509Certificate certificate) {
        this.server = server;
        this.service = service;
        this.issuer = issuer;
        this.credentials = credentials;
        this.rootCertificateBundle = rootCertificateBundle;
        this.signingKey = signingKey;
        this.certificate = certificate;
    }

    /**
     * Serve {@code /token} on a free port of 127.0.0.1, signing with the signing key shared by the token servers of
     * this JVM (made once: keytool takes about a second), and write its certificate to {@code directory}.
     *
     * @param service the audience of the tokens; the registry's {@code auth.token.service}
     * @param issuer the issuer of the tokens; the registry's {@code auth.token.issuer}
     * @param credentials the one user that gets tokens
     */
    public static TokenServer start(Path directory, String service, String issuer, Credentials credentials) {
        return start(directory, service, issuer, credentials, sharedSigner());
    }

    /** Like {@link #start}, with a signing key of its own: its tokens are forgeries to any other registry. */
    public static TokenServer startWithNewKey(Path directory, String service, String issuer,
            Credentials credentials) {
        try {
            Files.createDirectories(directory);
            return start(directory, service, issuer, credentials, Signer.generate(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a signing key in " + directory, e);
        }
    }

    private static TokenServer start(Path directory, String service, String issuer, Credentials credentials,
            Signer signer) {
        Objects.requireNonNull(credentials, "credentials");
        try {
            Files.createDirectories(directory);
            Path bundle = directory.resolve("root-certificates.pem");
            Files.writeString(bundle, pem(signer.certificate()), StandardCharsets.US_ASCII);
            HttpServer server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 16);
            TokenServer tokenServer = new TokenServer(server, service, issuer, credentials, bundle, signer.key(),
                    signer.certificate());
            server.createContext("/token", tokenServer::handle);
            server.start();
            return tokenServer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a token server in " + directory, e);
        }
    }

    private static synchronized Signer sharedSigner() {
        if (sharedSigner == null) {
            try {
                Path directory = Files.createTempDirectory("oci-mirror-token-signer-");
                try {
                    sharedSigner = Signer.generate(directory);
                } finally {
                    try (var files = Files.list(directory)) {
                        for (Path file : files.toList()) {
                            Files.deleteIfExists(file);
                        }
                    }
                    Files.deleteIfExists(directory);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the shared token signing key", e);
            }
        }
        return sharedSigner;
    }

    /** An RSA key and its self-signed certificate, made by the JDK's keytool. */
    private record Signer(PrivateKey key, X509Certificate certificate) {

        static Signer generate(Path directory) throws IOException {
            Path keyStoreFile = directory.resolve("token-signer.p12");
            Files.deleteIfExists(keyStoreFile);
            keytool(directory, "-genkeypair", "-alias", KEY_ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                    "-sigalg", "SHA256withRSA", "-dname", "CN=oci-mirror test token signer", "-validity", "30",
                    "-storetype", "PKCS12", "-keystore", keyStoreFile.toString(),
                    "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
            try (InputStream in = Files.newInputStream(keyStoreFile)) {
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(in, STORE_PASSWORD.toCharArray());
                return new Signer((PrivateKey) keyStore.getKey(KEY_ALIAS, STORE_PASSWORD.toCharArray()),
                        (X509Certificate) keyStore.getCertificate(KEY_ALIAS));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot load the token signing key made by keytool", e);
            }
        }
    }

    /** {@code http://127.0.0.1:PORT/token}: the registry's {@code auth.token.realm}. */
    public URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    public String service() {
        return service;
    }

    public String issuer() {
        return issuer;
    }

    /** The PEM file with the signing certificate: the registry's {@code auth.token.rootcertbundle}. */
    public Path rootCertificateBundle() {
        return rootCertificateBundle;
    }

    /** How many tokens this server has handed out. */
    public int issuedTokens() {
        return issuedTokens.get();
    }

    /** How many token requests it refused for missing or wrong credentials. */
    public int refusedRequests() {
        return refusedRequests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * A signed token for {@code subject} granting {@code scopes} ({@code type:name:actions}, e.g.
     * {@code repository:library/app:pull,push}), valid for {@link #TOKEN_LIFETIME_SECONDS}.
     */
    public String token(String subject, List<String> scopes) {
        long now = Instant.now().getEpochSecond();
        ObjectNode header = json.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(base64(certificate));
        ObjectNode claims = json.createObjectNode()
                .put("iss", issuer)
                .put("sub", subject)
                // Distribution 2.8 reads "aud" as one string, not a list.
                .put("aud", service)
                .put("exp", now + TOKEN_LIFETIME_SECONDS)
                .put("nbf", now - NOT_BEFORE_SLACK_SECONDS)
                .put("iat", now)
                .put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            access(scope, access);
        }
        String signingInput = base64Url(header.toString()) + "." + base64Url(claims.toString());
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(signingKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"errors\":[{\"code\":\"UNSUPPORTED\"}]}");
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!credentials.basicHeader().equals(authorization)) {
                refusedRequests.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"token\"");
                respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
                return;
            }
            List<String> scopes = queryValues(exchange.getRequestURI().getRawQuery(), "scope");
            String token = token(credentials.username(), scopes);
            issuedTokens.incrementAndGet();
            ObjectNode body = json.createObjectNode()
                    .put("token", token)
                    .put("access_token", token)
                    .put("expires_in", TOKEN_LIFETIME_SECONDS)
                    .put("issued_at", Instant.now().toString());
            respond(exchange, 200, body.toString());
        }
    }

    /**
     * One access entry per scope. The name may itself hold ':' (a registry with a port), so the type is before the
     * first ':' and the actions after the last (token spec, "Requesting a Token").
     */
    private static void access(String scope, ArrayNode access) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first < 0 || first == last) {
            return;
        }
        ObjectNode entry = access.addObject()
                .put("type", scope.substring(0, first))
                .put("name", scope.substring(first + 1, last));
        ArrayNode actions = entry.putArray("actions");
        for (String action : scope.substring(last + 1).split(",")) {
            if (!action.isEmpty()) {
                actions.add(action);
            }
        }
    }

    private static List<String> queryValues(String rawQuery, String name) {
        List<String> values = new ArrayList<>();
        if (rawQuery == null) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
                // a client may also join several scopes with spaces in one parameter
                for (String value : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8)
                        .split(" ")) {
                    if (!value.isEmpty()) {
                        values.add(value);
                    }
                }
            }
        }
        return values;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String base64(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(certificateBytes(certificate));
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String pem(X509Certificate certificate) {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        certificateBytes(certificate))
                + "\n-----END CERTIFICATE-----\n";
    }

    private static byte[] certificateBytes(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the signing certificate", e);
        }
    }

    private static void keytool(Path directory, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish in " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed with code " + process.exitValue() + ": " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
