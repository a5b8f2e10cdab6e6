package io.ocimirror.rewrite;

import io.ocimirror.reference.InvalidReferenceException;
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

    /** The reference now points at its mirror ({@link Rewrite#pull()}). */
    record Rewritten(Rewrite rewrite) implements RewriteOutcome {

        @Override
        public Optional<Rewrite> replication() {
            return Optional.of(rewrite);
        }
    }

    /**
     * Stays as written because no mirror applies: no mirror for its registry, an excluded image, or a reference that
     * already points at a mirror ({@code onMirror} then holds that mirror's copy, still worth warming).
     */
    record Unchanged(Optional<Rewrite> onMirror) implements RewriteOutcome {

        public static final Unchanged NO_MIRROR = new Unchanged(Optional.empty());

        @Override
        public Optional<Rewrite> replication() {
            return onMirror;
        }
    }

    /**
     * A mirror applies, but what is known about it now says not to point workloads at it (an open circuit breaker,
     * a reference not replicated yet); the reference stays as written and is still replicated.
     */
    record HeldBack(Rewrite rewrite) implements RewriteOutcome {

        @Override
        public Optional<Rewrite> replication() {
            return Optional.of(rewrite);
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
            INTERNAL_ERROR
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
    }
}
