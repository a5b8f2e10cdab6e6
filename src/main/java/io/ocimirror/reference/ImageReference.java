package io.ocimirror.reference;

import io.ocimirror.reference.InvalidReferenceException.Reason;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An image (or OCI artifact) reference, normalised the way containerd and the kubelet normalise it:
 * {@code nginx} is {@code docker.io/library/nginx}, {@code index.docker.io/x/y} is {@code docker.io/x/y}. Keeps both
 * tag and digest when both are given; a reference with neither stays tagless (the runtime pulls {@code latest}).
 */
public final class ImageReference {

    public static final String DOCKER_HUB = "docker.io";
    private static final String OFFICIAL_REPOSITORY_PREFIX = "library/";

    private final String registry;
    private final String repository;
    private final String tag;
    private final String digest;

    private ImageReference(String registry, String repository, String tag, String digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /**
     * Parses and normalises a reference as written in a Pod spec. The registry host is kept in its normalised form
     * ({@link #normalizeRegistry}: lower case, Docker Hub's aliases mapped); repository, tag and digest are kept as
     * written (the grammar requires a lower-case repository; tags are case-sensitive).
     *
     * @throws InvalidReferenceException if the string does not follow the reference grammar
     */
    public static ImageReference parse(String input) throws InvalidReferenceException {
        Objects.requireNonNull(input, "input");
        if (input.isEmpty()) {
            throw new InvalidReferenceException(input, Reason.EMPTY);
        }
        if (ReferenceGrammar.IMAGE_ID.matcher(input).matches()) {
            throw new InvalidReferenceException(input, Reason.AMBIGUOUS_DIGEST);
        }

        String rest = input;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            Optional<Reason> invalid = checkDigest(digest);
            if (invalid.isPresent()) {
                throw new InvalidReferenceException(input, invalid.get());
            }
        }

        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!ReferenceGrammar.TAG.matcher(tag).matches()) {
                throw new InvalidReferenceException(input, Reason.INVALID_FORMAT);
            }
        }

        if (rest.length() > ReferenceGrammar.NAME_TOTAL_LENGTH_MAX) {
            throw new InvalidReferenceException(input, Reason.NAME_TOO_LONG);
        }
        String registry = DOCKER_HUB;
        String remoteName = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0 && looksLikeRegistry(rest.substring(0, slash))) {
            registry = rest.substring(0, slash);
            remoteName = rest.substring(slash + 1);
            if (!isValidRegistry(registry)) {
                throw new InvalidReferenceException(input, Reason.INVALID_FORMAT);
            }
        }
        if (!ReferenceGrammar.REMOTE_NAME.matcher(remoteName).matches()) {
            Reason reason = ReferenceGrammar.REMOTE_NAME_IGNORING_CASE.matcher(remoteName).matches()
                    ? Reason.UPPERCASE_REPOSITORY
                    : Reason.INVALID_FORMAT;
            throw new InvalidReferenceException(input, reason);
        }

        registry = normalizeRegistry(registry);
        if (registry.equals(DOCKER_HUB) && remoteName.indexOf('/') < 0) {
            remoteName = OFFICIAL_REPOSITORY_PREFIX + remoteName;
        }
        return new ImageReference(registry, remoteName, tag, digest);
    }

    /**
     * Builds a reference from parts that are already normalised and valid (a registry from {@link #parse} or the
     * validated configuration).
     *
     * @throws IllegalArgumentException if a part breaks the grammar, or {@code registry/repository} is longer than
     *                                  255 characters
     */
    public static ImageReference of(String registry, String repository, Optional<String> tag, Optional<String> digest) {
        requireArgument(isValidRegistry(registry), "registry", registry);
        requireArgument(isValidRepository(repository), "repository", repository);
        requireArgument(registry.length() + 1 + repository.length() <= ReferenceGrammar.NAME_TOTAL_LENGTH_MAX,
                "name", registry + "/" + repository);
        tag.ifPresent(t -> requireArgument(ReferenceGrammar.TAG.matcher(t).matches(), "tag", t));
        digest.ifPresent(d -> requireArgument(isValidDigest(d), "digest", d));
        return new ImageReference(registry, repository, tag.orElse(null), digest.orElse(null));
    }

    /**
     * This reference with another registry and repository, keeping tag and digest. The result is written out and
     * parsed again: it must be a reference the parser (and so the kubelet) reads back as exactly these parts.
     *
     * @throws InvalidReferenceException if the result breaks the grammar, its name ({@code registry/repository}) is
     *                                   longer than 255 characters, or the registry would not be read as one
     */
    public ImageReference withLocation(String newRegistry, String newRepository) throws InvalidReferenceException {
        return readsBack(new ImageReference(newRegistry, newRepository, tag, digest));
    }

    /**
     * This reference on another registry, keeping repository, tag and digest: where registry API requests go (a
     * replication host), not a string a client reads, so the registry need not look like one to a client.
     *
     * @throws IllegalArgumentException if the registry breaks the host grammar (hosts come from the validated
     *                                  configuration)
     */
    public ImageReference withRegistry(String newRegistry) {
        requireArgument(isValidRegistry(newRegistry), "registry", newRegistry);
        return new ImageReference(newRegistry, repository, tag, digest);
    }

    /**
     * This reference with another tag, keeping registry, repository and digest.
     *
     * @param newTag a tag by the grammar (one a registry listed)
     * @throws IllegalArgumentException if the tag breaks the grammar
     */
    public ImageReference withTag(String newTag) {
        requireArgument(ReferenceGrammar.TAG.matcher(newTag).matches(), "tag", newTag);
        return new ImageReference(registry, repository, newTag, digest);
    }

    private static ImageReference readsBack(ImageReference candidate) throws InvalidReferenceException {
        String text = candidate.toString();
        ImageReference parsed = parse(text);
        if (!parsed.equals(candidate)) {
            throw new InvalidReferenceException(text, Reason.REGISTRY_READ_AS_PATH);
        }
        return candidate;
    }

    /**
     * The key a registry host is compared by: lower case, as DNS (RFC 4343) and the TLS host check compare host
     * names, so {@code GHCR.io} is {@code ghcr.io}, the host containerd pulls it from; and Docker Hub's alias hosts
     * mapped to {@code docker.io}, the key the configuration and the runtime use.
     *
     * @param registry a host with an optional port, as written
     * @return the host in lower case, {@code docker.io} for Docker Hub's aliases
     */
    public static String normalizeRegistry(String registry) {
        String lowerCase = registry.toLowerCase(Locale.ROOT);
        return switch (lowerCase) {
            case "index.docker.io", "registry-1.docker.io" -> DOCKER_HUB;
            default -> lowerCase;
        };
    }

    /** Whether the string is a registry host with an optional port ({@code host}, {@code host:5000}, {@code [::1]:5000}). */
    public static boolean isValidRegistry(String registry) {
        // The length check comes first: the grammar's repeated groups recurse per component, and a hostile string
        // of thousands of components would overflow the stack.
        return registry.length() <= ReferenceGrammar.NAME_TOTAL_LENGTH_MAX
                && ReferenceGrammar.DOMAIN.matcher(registry).matches();
    }

    /** Whether the string is a repository path ({@code library/nginx}). */
    public static boolean isValidRepository(String repository) {
        return repository.length() <= ReferenceGrammar.NAME_TOTAL_LENGTH_MAX
                && ReferenceGrammar.REMOTE_NAME.matcher(repository).matches();
    }

    /**
     * Whether a host written as the first component of an image reference is read as its registry, as itself: it
     * must look like a registry and not be one of Docker Hub's alias hosts ({@code mirror} alone would be read as
     * {@code docker.io/library/mirror}).
     */
    public static boolean isReadAsRegistry(String host) {
        return isValidRegistry(host) && looksLikeRegistry(host) && normalizeRegistry(host).equals(host)
                && host.equals(host.toLowerCase(Locale.ROOT));
    }

    /** The first path component names a registry only if it has a dot or a port, or is localhost (distribution). */
    private static boolean looksLikeRegistry(String component) {
        return component.indexOf('.') >= 0
                || component.indexOf(':') >= 0
                || component.equals("localhost")
                || !component.equals(component.toLowerCase(Locale.ROOT));
    }

    private static boolean isValidDigest(String digest) {
        return checkDigest(digest).isEmpty();
    }

    /**
     * Checks a digest against the OCI image spec (descriptor.md, "Digests"): the grammar for every algorithm, and
     * for the registered ones their encoding, {@code sha256} 64 and {@code sha512} 128 lower-case hex characters.
     *
     * @param digest a digest as written ({@code sha256:...})
     * @return empty for a valid digest, else why it is not one ({@link Reason#INVALID_DIGEST} for the grammar or an
     *         encoding that is not lower-case hex, {@link Reason#INVALID_DIGEST_LENGTH} for a registered algorithm's
     *         encoding of the wrong length)
     */
    public static Optional<Reason> checkDigest(String digest) {
        if (digest.length() > ReferenceGrammar.DIGEST_LENGTH_MAX || !ReferenceGrammar.DIGEST.matcher(digest).matches()) {
            return Optional.of(Reason.INVALID_DIGEST);
        }
        int colon = digest.indexOf(':');
        String encoded = digest.substring(colon + 1);
        int registeredLength = switch (digest.substring(0, colon)) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> -1;
        };
        if (registeredLength < 0) {
            return Optional.empty();
        }
        if (!ReferenceGrammar.LOWER_CASE_HEX.matcher(encoded).matches()) {
            return Optional.of(Reason.INVALID_DIGEST);
        }
        return encoded.length() == registeredLength ? Optional.empty() : Optional.of(Reason.INVALID_DIGEST_LENGTH);
    }

    private static void requireArgument(boolean valid, String part, String value) {
        if (!valid) {
            throw new IllegalArgumentException("invalid " + part + ": \"" + value + "\"");
        }
    }

    public String registry() {
        return registry;
    }

    public String repository() {
        return repository;
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<String> digest() {
        return Optional.ofNullable(digest);
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    /** What a registry is asked for: the digest when there is one (it decides what is pulled), else the tag or {@code latest}. */
    public String manifestReference() {
        if (digest != null) {
            return digest;
        }
        return tag != null ? tag : "latest";
    }

    /** The fully qualified form, {@code registry/repository[:tag][@digest]}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name());
        if (tag != null) {
            text.append(':').append(tag);
        }
        if (digest != null) {
            text.append('@').append(digest);
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ImageReference that
                && registry.equals(that.registry)
                && repository.equals(that.repository)
                && Objects.equals(tag, that.tag)
                && Objects.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }
}
