package io.ocimirror.testing.registry;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** One registry answer, fully read: enough for assertions on status, headers, body and body digest. */
public record RegistryResponse(String method, URI uri, int status, HttpHeaders headers, byte[] body) {

    private static final int SHOWN_BODY_CHARACTERS = 300;

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public Optional<String> contentType() {
        return header("Content-Type");
    }

    /** The digest the registry claims for the content ({@code Docker-Content-Digest}). */
    public Optional<String> dockerContentDigest() {
        return header("Docker-Content-Digest");
    }

    /** The sha256 digest of the body as received; for a HEAD it is the digest of nothing. */
    public String bodyDigest() {
        return Descriptor.sha256(body);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Method, URI, status, content type and the start of the body: made to be read in a failed assertion. */
    @Override
    public String toString() {
        String text = bodyText();
        if (text.length() > SHOWN_BODY_CHARACTERS) {
            text = text.substring(0, SHOWN_BODY_CHARACTERS) + "...";
        }
        return method + " " + uri + " -> " + status + " " + contentType().orElse("") + " " + text.strip();
    }
}
