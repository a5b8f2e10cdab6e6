package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocimirror.registry.RegistryCredentialsParser.InvalidCredentialsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryCredentialsParserTest {

    private static final String SECRET = "s3cret-Value";
    private final RegistryCredentialsParser parser = new RegistryCredentialsParser(new ObjectMapper());

    @Test
    void readsAUsernameAndPasswordSecretForEveryMirror() throws Exception {
        RegistryCredentials credentials = parser.fromSecretData(Map.of("username", "robot", "password", SECRET));

        assertEquals(Optional.of(new RegistryCredential("robot", SECRET)), credentials.forHost("any.example.com"));
    }

    @Test
    void readsADockerConfigPerHost() throws Exception {
        String auth = Base64.getEncoder().encodeToString(("robot:" + SECRET).getBytes(StandardCharsets.UTF_8));
        String config = "{\"auths\":{\"https://mirror.example.com/v1/\":{\"auth\":\"" + auth + "\"},"
                + "\"127.0.0.1:5000\":{\"username\":\"lab\",\"password\":\"pw\"}}}";

        RegistryCredentials credentials = parser.fromSecretData(Map.of(".dockerconfigjson", config));

        assertEquals(Optional.of(new RegistryCredential("robot", SECRET)), credentials.forHost("mirror.example.com"));
        assertEquals(Optional.of(new RegistryCredential("lab", "pw")), credentials.forHost("127.0.0.1:5000"));
        assertEquals(Optional.empty(), credentials.forHost("other.example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[]", "{\"auths\":{\"h\":{\"auth\":\"!!notbase64\"}}}",
            "{\"auths\":{\"h\":{\"auth\":\"c2VjcmV0\"}}}"})
    void rejectsBrokenDockerConfigsWithoutShowingValues(String config) {
        InvalidCredentialsException error = assertThrows(InvalidCredentialsException.class,
                () -> parser.fromDockerConfig(config));

        assertFalse(error.getMessage().contains("c2VjcmV0"), error.getMessage());
        assertFalse(error.getMessage().contains("secret"), error.getMessage());
    }

    @Test
    void rejectsASecretWithoutTheExpectedKeysNamingOnlyTheKeys() {
        InvalidCredentialsException error = assertThrows(InvalidCredentialsException.class,
                () -> parser.fromSecretData(Map.of("user", "robot", "token", SECRET)));

        assertTrue(error.getMessage().contains("username and password"), error.getMessage());
        assertFalse(error.getMessage().contains(SECRET), error.getMessage());
    }

    @Test
    void neverPrintsThePassword() {
        assertFalse(new RegistryCredential("robot", SECRET).toString().contains(SECRET));
        assertFalse(new RegistryCredentials(Map.of("h", new RegistryCredential("robot", SECRET)), Optional.empty())
                .describe().contains(SECRET));
    }
}
