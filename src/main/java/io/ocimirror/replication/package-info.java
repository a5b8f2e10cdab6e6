/**
 * The replication engine: the bounded, de-duplicating {@link io.ocimirror.replication.ReplicationQueue} behind
 * {@link io.ocimirror.rewrite.ReplicationScheduler}, the worker and its per-host lanes, retries with backoff on an
 * injected clock and timer, the per-mirror circuit breakers ({@link io.ocimirror.replication.MirrorHealth}), the walk
 * of an image (and, when configured, of its referrers) through a mirror, job outcomes and their metrics, the
 * Kubernetes Events that report them, and the CDI wiring of the registry client
 * ({@link io.ocimirror.replication.RegistryClients}), which presents the credentials the {@code configstore} holds for
 * the request's owner. It may import {@code config}, {@code configstore},
 * {@code reference}, {@code rewrite}, {@code registry}, {@code settings}, {@code events} and {@code text}, and
 * Quarkus, CDI, fabric8, Micrometer and Caffeine; never {@code admission}, {@code greenhouse} or {@code web}.
 * Registry calls go through {@link io.ocimirror.registry.RegistryAccess} only; HTTP, auth and TLS stay in
 * {@code registry}.
 */
package io.ocimirror.replication;
