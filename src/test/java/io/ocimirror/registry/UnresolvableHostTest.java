package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.registry.RegistryAccessException.Failure;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A mirror host whose name does not resolve is reported as such, not as a refused connection. The name has a
 * 64-octet label, longer than DNS allows (RFC 1035 section 2.3.4): glibc's resolver refuses it before any query is
 * sent, so nothing leaves the machine (checked with strace: no socket to a name server), and the JDK client fails as
 * it does for a name the DNS does not know. Under the {@code .invalid} top-level domain (RFC 6761), a resolver that
 * did send the query would get no address either.
 */
class UnresolvableHostTest {

    private static final String UNRESOLVABLE = "a".repeat(64) + ".invalid:5000";

    @Test
    void saysTheHostNameDoesNotResolve() throws RegistryAccessException {
        RegistryAccess access = new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(3),
                System::nanoTime).access(new RegistryAccessFactory.Endpoint(UNRESOLVABLE, true, Optional.empty(),
                        false), Optional.empty());

        RegistryAccessException failure = assertThrows(RegistryAccessException.class,
                () -> access.manifest("library/app", "1.0"));

        assertEquals(Failure.UNREACHABLE, failure.failure());
        assertTrue(failure.getMessage().endsWith(": the host name does not resolve"), failure.getMessage());
    }
}
