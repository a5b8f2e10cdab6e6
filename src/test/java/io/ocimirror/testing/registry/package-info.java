/**
 * Real registries for tests: Docker Distribution 2.8 processes on 127.0.0.1 (plain, or a pull-through proxy of
 * another), deterministic test content pushed with the distribution API, and a small client for assertions. No
 * framework types: usable from plain JUnit and from a {@code QuarkusTestResourceLifecycleManager}.
 *
 * <pre>{@code
 * try (DistributionRegistry upstream = DistributionRegistry.upstream().start();
 *      DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream, RegistryAuth.bearer("user", "secret"))
 *              .start()) {
 *     TestContent.Pushed content = TestContent.to(upstream).pushAll();
 *     PushedArtifact oci = content.ociIndex();              // team/multi-oci:2.0, linux/amd64 + linux/arm64
 *     // ... let the code under test warm mirror.hostPort() + "/" + oci.reference() for linux/amd64 ...
 *     upstream.stop();                                      // what the mirror serves now, it has cached
 *     assertEquals(List.of(), mirror.missingFor(oci, Set.of("linux/amd64")));
 *     assertEquals(List.of(), mirror.cachedBeyond(oci, Set.of("linux/amd64")));
 *     assertEquals(200, mirror.client().getManifest(oci.repository(), oci.tag()).status());
 * }
 * }</pre>
 *
 * <p>Needs the Debian packages {@code docker-registry} (the registry) and {@code apache2-utils} (htpasswd, only for
 * {@link io.ocimirror.testing.registry.RegistryAuth#basic}); Bearer auth needs only the JDK.
 */
package io.ocimirror.testing.registry;
