package io.ocimirror.rewrite;

import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException;
import io.ocimirror.rewrite.RewriteOutcome.CannotMirror;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteOutcome.Unchanged;
import java.util.Comparator;
import java.util.Optional;

/**
 * The rewrite rule: a pure function from a reference and a configuration snapshot to where the reference should
 * point. {@code docker.io/library/nginx:1.25} with {@code docker.io → mirror.example.com/dockerhub-mirror} becomes
 * {@code mirror.example.com/dockerhub-mirror/library/nginx:1.25}. Every reference it builds is read back by the
 * parser (grammar, and the 255-character limit on {@code registry/repository} that many clients still apply), so
 * it never hands out a value a client would refuse.
 */
public final class RewriteRule {

    private RewriteRule() {
    }

    /** {@link #apply(ImageReference, MirrorConfiguration)} of a reference as written; an invalid one cannot be mirrored. */
    public static RewriteOutcome apply(String image, MirrorConfiguration configuration) {
        try {
            return apply(ImageReference.parse(image), configuration);
        } catch (InvalidReferenceException e) {
            return CannotMirror.invalid(e);
        }
    }

    /**
     * @return {@link Rewritten} with the mirror's reference; {@link Unchanged} when no mirror applies (no mirror for
     *         the registry, an excluded image, a reference already on a mirror, or a host that is a mirror but not
     *         under any configured sub-path); {@link CannotMirror} when the mirrored reference would be invalid or too
     *         long. Never {@link RewriteOutcome.HeldBack}: that is the gate's decision.
     */
    public static RewriteOutcome apply(ImageReference reference, MirrorConfiguration configuration) {
        if (configuration.exclusions().excludesImage(reference.name())) {
            return Unchanged.EXCLUDED;
        }
        try {
            Optional<Rewrite> alreadyMirrored = onMirror(reference, configuration);
            if (alreadyMirrored.isPresent() || configuration.isMirrorHost(reference.registry())) {
                return new Unchanged(alreadyMirrored, Unchanged.Reason.ON_MIRROR);
            }
            Optional<Mirror> mirror = configuration.mirrorFor(reference.registry());
            if (mirror.isEmpty()) {
                return Unchanged.NO_MIRROR;
            }
            ImageReference pull = reference.withLocation(mirror.get().baseDomain(),
                    mirror.get().mirrorRepository(reference.repository()));
            return new Rewritten(new Rewrite(reference, pull, pull.withRegistry(mirror.get().replicationHost()),
                    mirror.get()));
        } catch (InvalidReferenceException e) {
            return CannotMirror.mirrored(reference.toString(), e);
        }
    }

    /**
     * A reference that already points at a mirror is never rewritten again (idempotency), but is still replicated
     * through the mirror that holds its path; the longest matching sub-path wins.
     */
    private static Optional<Rewrite> onMirror(ImageReference reference, MirrorConfiguration configuration) {
        Optional<Mirror> mirror = configuration.allMirrors().stream()
                .filter(m -> m.baseDomain().equalsIgnoreCase(reference.registry())
                        || m.replicationHost().equalsIgnoreCase(reference.registry()))
                .filter(m -> m.holdsRepository(reference.repository()))
                .max(Comparator.comparingInt(m -> m.subPath().length()));
        if (mirror.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Rewrite(reference, reference, reference.withRegistry(mirror.get().replicationHost()),
                mirror.get()));
    }
}
