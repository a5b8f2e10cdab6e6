/**
 * The mirror configuration as a pure model: immutable snapshots ({@link io.ocimirror.config.MirrorConfiguration},
 * {@link io.ocimirror.config.Mirror}, exclusions, replication scope), their owner
 * ({@link io.ocimirror.config.ConfigurationOwner}: the webhook or a Greenhouse organisation), and the strict and the
 * Greenhouse-lenient parser whose errors name the key path. It may import {@code reference}, the JDK and Jackson;
 * no CDI, Quarkus, fabric8 or Micrometer. Where a configuration comes from and how it is watched is
 * {@code configstore}'s.
 */
package io.ocimirror.config;
