package io.ocimirror.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads mirror credentials from a Secret's data or a Docker {@code config.json}. Error messages name keys and hosts,
 * never values.
 */
public final class RegistryCredentialsParser {

    /** The key of a {@code kubernetes.io/dockerconfigjson} Secret. */
    public static final String DOCKER_CONFIG_KEY = ".dockerconfigjson";

    private final ObjectMapper json;

    public RegistryCredentialsParser(ObjectMapper json) {
        this.json = json;
    }

    /** A credentials problem; the message never holds a secret value. */
    public static final class InvalidCredentialsException extends Exception {
        public InvalidCredentialsException(String message) {
            super(message);
        }
    }

    /** Secret data (decoded): {@code username} and {@code password}, or {@code .dockerconfigjson}. */
    public RegistryCredentials fromSecretData(Map<String, String> data) throws InvalidCredentialsException {
        if (data.containsKey(DOCKER_CONFIG_KEY)) {
            return fromDockerConfig(data.get(DOCKER_CONFIG_KEY));
        }
        String username = data.get("username");
        String password = data.get("password");
        if (username == null || password == null || username.isEmpty()) {
            throw new InvalidCredentialsException(
                    "expected the keys username and password, or " + DOCKER_CONFIG_KEY + "; found " + data.keySet());
        }
        return new RegistryCredentials(Map.of(), Optional.of(new RegistryCredential(username, password)));
    }

    /** {@code {"auths": {"host": {"auth": base64(user:password)}}}} or with {@code username}/{@code password}. */
    public RegistryCredentials fromDockerConfig(String text) throws InvalidCredentialsException {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidCredentialsException("not a Docker config: invalid JSON at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()));
        }
        if (root == null || !root.path("auths").isObject()) {
            throw new InvalidCredentialsException("not a Docker config: no auths object");
        }
        Map<String, RegistryCredential> byHost = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = root.path("auths").fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            byHost.put(host(entry.getKey()), credential(entry.getKey(), entry.getValue()));
        }
        return new RegistryCredentials(Map.copyOf(byHost), Optional.empty());
    }

    private static RegistryCredential credential(String key, JsonNode auth) throws InvalidCredentialsException {
        if (auth.path("username").isTextual() && auth.path("password").isTextual()) {
            return new RegistryCredential(auth.path("username").asText(), auth.path("password").asText());
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.path("auth").asText("")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialsException("auths." + key + ".auth: not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new InvalidCredentialsException("auths." + key + ": needs auth (base64 of user:password) or "
                    + "username and password");
        }
        return new RegistryCredential(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** Docker config keys may be URLs ({@code https://host/v1/}); credentials are looked up by host. */
    private static String host(String key) {
        String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }
}
