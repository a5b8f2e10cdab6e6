package io.ocimirror.rewrite;

import io.ocimirror.reference.InvalidReferenceException;
import java.util.Locale;
import java.util.Optional;

/**
 * What became of one reference. The rewrite never throws for a condition of the data: a reference that cannot be
 * read or cannot be mirrored is an outcome like any other, and stays as written.
 */
public sealed interface RewriteOutcome {

    /**
     * What replication should warm for this reference: the rewrite of {@link Rewritten} and {@link HeldBack}, the
     * mirror's copy of an {@link Unchanged} reference that already points at a mirror, else empty.
     */
    Optional<Rewrite> replication();

    /**
     * The decision as a short code for annotations, logs and the command line: {@code rewritten}, or a category and
     * a reason such as {@code unchanged:no-mirror} or {@code held-back:mirror-unavailable}.
     */
    String code();

    /** The reference now points at its mirror ({@link Rewrite#pull()}). */
    record Rewritten(Rewrite rewrite) implements RewriteOutcome {

        @Override
        public Optional<Rewrite> replication() {
            return Optional.of(rewrite);
        }

        @Override
        public String code() {
            return "rewritten";
        }
    }

    /**
     * Stays as written because no mirror applies: no mirror for its registry, an excluded image, or a reference that
     * already points at a mirror ({@code onMirror} then holds that mirror's copy, still worth warming).
     *
     * @param onMirror the mirror's copy of a reference already on a mirror under a configured sub-path, else empty
     * @param reason   why no mirror applies
     */
    record Unchanged(Optional<Rewrite> onMirror, Reason reason) implements RewriteOutcome {

        /** No mirror is configured for the reference's registry. */
        public static final Unchanged NO_MIRROR = new Unchanged(Optional.empty(), Reason.NO_MIRROR);

        /** The image matches an exclusion pattern of the configuration. */
        public static final Unchanged EXCLUDED = new Unchanged(Optional.empty(), Reason.EXCLUDED);

        /** Why no mirror applies. */
        public enum Reason {
            /** No mirror is configured for the registry. */
            NO_MIRROR,
            /** The image matches {@code exclusions.images}. */
            EXCLUDED,
            /** The reference already points at a mirror host. */
            ON_MIRROR;

            /** The reason's short code, e.g. {@code no-mirror}. */
            public String code() {
                return RewriteOutcome.code(this);
            }
        }

        @Override
        public Optional<Rewrite> replication() {
            return onMirror;
        }

        @Override
        public String code() {
            return "unchanged:" + reason.code();
        }
    }

    /**
     * A mirror applies, but what is known about it now says not to point workloads at it (an open circuit breaker,
     * a reference not replicated yet); the reference stays as written and is still replicated.
     *
     * @param rewrite what the rule would have written
     * @param reason  what the gate knows against the mirror
     */
    record HeldBack(Rewrite rewrite, Reason reason) implements RewriteOutcome {

        /** Why the gate held a rewrite back. */
        public enum Reason {
            /** The mirror host's circuit breaker is open. */
            MIRROR_UNAVAILABLE,
            /** The mirror has {@code rewritePolicy: replicated} and was not seen to hold the reference yet. */
            NOT_REPLICATED_YET,
            /** A kubelet recently failed to pull the mirrored reference. */
            PULL_FAILED;

            /** The reason's short code, e.g. {@code mirror-unavailable}. */
            public String code() {
                return RewriteOutcome.code(this);
            }
        }

        @Override
        public Optional<Rewrite> replication() {
            return Optional.of(rewrite);
        }

        @Override
        public String code() {
            return "held-back:" + reason.code();
        }
    }

    /**
     * The reference is not considered at all because the kubelet or the object says so; nothing is replicated.
     *
     * @param reason what leaves the reference out
     */
    record Skipped(Reason reason) implements RewriteOutcome {

        /** What leaves a reference out of the rewrite. */
        public enum Reason {
            /** Pull policy {@code Never}: the node must hold exactly the name as written. */
            PULL_POLICY_NEVER,
            /** The API copy of a static Pod: the kubelet runs the file on disk, never the copy. */
            STATIC_POD,
            /** The object carries the annotation {@code oci-mirror.io/skip: "true"}. */
            OPT_OUT_ANNOTATION,
            /** The object's namespace is in {@code exclusions.namespaces}. */
            NAMESPACE_EXCLUDED,
            /** An owner of the object is of an API group in {@code exclusions.ownerApiGroups}. */
            OWNER_EXCLUDED;

            /** The reason's short code, e.g. {@code pull-policy-never}. */
            public String code() {
                return RewriteOutcome.code(this);
            }
        }

        @Override
        public Optional<Rewrite> replication() {
            return Optional.empty();
        }

        @Override
        public String code() {
            return "skipped:" + reason.code();
        }
    }

    /**
     * The reference stays as written and the user is told why.
     *
     * @param input   the reference as written
     * @param problem what stands in the way
     * @param detail  the grammar rule broken (distribution/reference's wording), or what went wrong
     * @param reason  the grammar rule broken, as a value to compare, when a reference broke one
     */
    record CannotMirror(String input, Problem problem, String detail, Optional<InvalidReferenceException.Reason> reason)
            implements RewriteOutcome {

        /** A reference that cannot be mirrored for a reason other than the grammar. */
        public CannotMirror(String input, Problem problem, String detail) {
            this(input, problem, detail, Optional.empty());
        }

        /** Why a reference cannot be mirrored. */
        public enum Problem {
            /** The reference as written breaks the grammar: no runtime could pull it either. */
            INVALID_REFERENCE,
            /** Its mirrored name ({@code registry/repository}) would be longer than the 255 characters clients allow. */
            MIRRORED_NAME_TOO_LONG,
            /** Its mirrored form would not be read back as the same reference. */
            MIRRORED_REFERENCE_INVALID,
            /** Rewriting it failed unexpectedly; only this reference is left alone. */
            INTERNAL_ERROR;

            /** The problem's short code, e.g. {@code invalid-reference}. */
            public String code() {
                return RewriteOutcome.code(this);
            }
        }

        static CannotMirror invalid(InvalidReferenceException e) {
            return new CannotMirror(e.input(), Problem.INVALID_REFERENCE, e.reason().description(),
                    Optional.of(e.reason()));
        }

        static CannotMirror mirrored(String input, InvalidReferenceException e) {
            Problem problem = e.reason() == InvalidReferenceException.Reason.NAME_TOO_LONG
                    ? Problem.MIRRORED_NAME_TOO_LONG
                    : Problem.MIRRORED_REFERENCE_INVALID;
            return new CannotMirror(input, problem, e.reason().description() + ": \"" + e.input() + "\"",
                    Optional.of(e.reason()));
        }

        @Override
        public Optional<Rewrite> replication() {
            return Optional.empty();
        }

        @Override
        public String code() {
            return "cannot-mirror:" + problem.code();
        }
    }

    /** A reason's short code: its name in lower case, words joined by {@code -} ({@code NO_MIRROR}: {@code no-mirror}). */
    private static String code(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
