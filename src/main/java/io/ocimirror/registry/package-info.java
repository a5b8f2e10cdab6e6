/**
 * The distribution-API client: {@link io.ocimirror.registry.RegistryAccess} and its HTTP implementation (transport,
 * TLS trust, Basic and Bearer token auth, redirects, manifest parsing, digest checks, typed
 * {@link io.ocimirror.registry.RegistryAccessException.Failure}s), registry credentials and their parser, and the
 * {@link io.ocimirror.registry.RegistryAccessFactory} that caches clients per host, scheme, CA bundle and credential.
 * Its settings are plain values fixed at construction, and the factory takes a plain
 * {@link io.ocimirror.registry.RegistryAccessFactory.Endpoint} (host, plain HTTP, CA file, early blob stop) rather
 * than a configured mirror, so this package imports no other package of the webhook but {@code io.ocimirror.text}
 * (how a registry's strings are shown in messages), not even {@code io.ocimirror.config}. It may import the JDK,
 * Jackson, Caffeine and JBoss Logging; no CDI, Quarkus, fabric8 or Micrometer, and nothing from {@code replication},
 * {@code admission}, {@code greenhouse} or {@code web}.
 */
package io.ocimirror.registry;
