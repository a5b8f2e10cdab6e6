package io.ocimirror.reference;

/**
 * An image reference that does not follow the distribution/reference grammar. Carries the offending input and a
 * {@link Reason} that callers (and tests) can compare by identity.
 */
public final class InvalidReferenceException extends Exception {

    /** Why a reference was rejected; the wording follows distribution/reference's named errors. */
    public enum Reason {
        EMPTY("reference is empty"),
        INVALID_FORMAT("invalid reference format"),
        UPPERCASE_REPOSITORY("repository name must be lowercase"),
        NAME_TOO_LONG("its name (registry/repository) is longer than 255 characters, which many clients refuse"),
        AMBIGUOUS_DIGEST("cannot specify a 64-character hexadecimal string as a repository name"),
        /** A digest that breaks the OCI grammar, or a registered algorithm's encoding that is not lower-case hex. */
        INVALID_DIGEST("invalid digest"),
        /** A sha256 digest without 64, or a sha512 digest without 128, hex characters. */
        INVALID_DIGEST_LENGTH("invalid digest length (sha256 has 64 and sha512 128 hex characters)"),
        /** A rewritten reference whose registry a client would read as a Docker Hub path or normalise to another. */
        REGISTRY_READ_AS_PATH("the registry would not be read back as this registry");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final String input;
    private final Reason reason;

    public InvalidReferenceException(String input, Reason reason) {
        super(reason.description() + ": \"" + input + "\"");
        this.input = input;
        this.reason = reason;
    }

    public String input() {
        return input;
    }

    public Reason reason() {
        return reason;
    }
}
