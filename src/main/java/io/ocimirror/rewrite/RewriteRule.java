package io.ocimirror.rewrite;

import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import java.util.Comparator;
import java.util.Optional;

/**
 * The rewrite rule: a pure function from a reference and a configuration snapshot to where the reference should
 * point. {@code docker.io/library/nginx:1.25} with {@code docker.io → mirror.example.com/dockerhub-mirror} becomes
 * {@code mirror.example.com/dockerhub-mirror/library/nginx:1.25}.
 */
public final class RewriteRule {

    private RewriteRule() {
    }

    /**
     * @return the rewrite, or empty when no mirror applies (no mirror for the registry, an excluded image, or a host
     *         that is a mirror but not under any configured sub-path)
     */
    public static Optional<Rewrite> apply(ImageReference reference, MirrorConfiguration configuration) {
        if (configuration.exclusions().excludesImage(reference.name())) {
            return Optional.empty();
        }
        Optional<Rewrite> alreadyMirrored = onMirror(reference, configuration);
        if (alreadyMirrored.isPresent() || configuration.isMirrorHost(reference.registry())) {
            return alreadyMirrored;
        }
        return configuration.mirrorFor(reference.registry()).map(mirror -> {
            ImageReference pull = reference.withLocation(mirror.baseDomain(),
                    mirror.mirrorRepository(reference.repository()));
            return new Rewrite(reference, pull, pull.withRegistry(mirror.replicationHost()), mirror);
        });
    }

    /**
     * A reference that already points at a mirror is never rewritten again (idempotency), but is still replicated
     * through the mirror that holds its path; the longest matching sub-path wins.
     */
    private static Optional<Rewrite> onMirror(ImageReference reference, MirrorConfiguration configuration) {
        return configuration.allMirrors().stream()
                .filter(m -> m.baseDomain().equals(reference.registry())
                        || m.replicationHost().equals(reference.registry()))
                .filter(m -> m.holdsRepository(reference.repository()))
                .max(Comparator.comparingInt(m -> m.subPath().length()))
                .map(mirror -> new Rewrite(
                        reference,
                        reference,
                        reference.withRegistry(mirror.replicationHost()),
                        mirror));
    }
}
