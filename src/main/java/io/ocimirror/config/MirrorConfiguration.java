package io.ocimirror.config;

import io.ocimirror.reference.ImageReference;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One validated, immutable snapshot of the mirror configuration.
 *
 * @param mirrors     mirrors by normalised source registry
 * @param secretName  the Secret holding the replication credentials, in the namespace of the configuration's owner
 * @param exclusions  what is never rewritten
 * @param replication what replication fetches
 */
public record MirrorConfiguration(
        Map<String, Mirror> mirrors,
        Optional<String> secretName,
        Exclusions exclusions,
        ReplicationScope replication) {

    /**
     * What replication fetches of each image (the webhook's own replication engine settings are
     * {@code WebhookSettings.Replication}; whether an image's referrers are warmed too is {@link Mirror#referrers()}).
     *
     * @param mode      how much to fetch
     * @param platforms the index children to fetch; empty means every platform
     */
    public record ReplicationScope(ReplicationMode mode, List<Platform> platforms) {

        /**
         * These settings for other platforms (those one Pod runs on).
         *
         * @param otherPlatforms the platforms to warm instead; empty means every platform
         * @return the same mode with those platforms
         */
        public ReplicationScope withPlatforms(List<Platform> otherPlatforms) {
            return new ReplicationScope(mode, otherPlatforms);
        }

        /**
         * Whether an index entry is fetched: every entry when no platform is configured, and an entry that names no
         * platform always (containerd's matcher selects such an entry for any platform, OCI image spec
         * image-index.md makes {@code platform} optional).
         *
         * @param os           the entry's {@code platform.os}, empty when it has no platform
         * @param architecture the entry's {@code platform.architecture}, empty when it has no platform
         * @param variant      the entry's {@code platform.variant}, empty when it names none
         */
        public boolean wantsPlatform(String os, String architecture, String variant) {
            boolean withoutPlatform = os.isEmpty() && architecture.isEmpty();
            return platforms.isEmpty() || withoutPlatform
                    || platforms.stream().anyMatch(p -> p.matches(os, architecture, variant));
        }
    }

    /** This snapshot with other replication settings (the platforms one Pod runs on). */
    public MirrorConfiguration withReplication(ReplicationScope otherReplication) {
        return otherReplication.equals(replication)
                ? this
                : new MirrorConfiguration(mirrors, secretName, exclusions, otherReplication);
    }

    /**
     * @param sourceRegistry a registry host in any case ({@code GHCR.io} is {@code ghcr.io}: DNS is case-insensitive)
     * @return the mirror configured for it
     */
    public Optional<Mirror> mirrorFor(String sourceRegistry) {
        return Optional.ofNullable(mirrors.get(ImageReference.normalizeRegistry(sourceRegistry)));
    }

    public Collection<Mirror> allMirrors() {
        return mirrors.values();
    }

    /**
     * Whether a host is one replication may contact: a mirror's replication host or base domain.
     *
     * @param host a host in any case, compared as DNS compares it
     */
    public boolean isMirrorHost(String host) {
        return mirrors.values().stream()
                .anyMatch(m -> m.baseDomain().equalsIgnoreCase(host) || m.replicationHost().equalsIgnoreCase(host));
    }
}
