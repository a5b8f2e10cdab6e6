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
     * Parses and normalises a reference as written in a Pod spec.
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
            if (!isValidDigest(digest)) {
                throw new InvalidReferenceException(input, Reason.INVALID_DIGEST);
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

    private static ImageReference readsBack(ImageReference candidate) throws InvalidReferenceException {
        String text = candidate.toString();
        ImageReference parsed = parse(text);
        if (!parsed.equals(candidate)) {
            throw new InvalidReferenceException(text, Reason.REGISTRY_READ_AS_PATH);
        }
        return candidate;
    }

    /**
     * Maps Docker Hub's alias hosts to {@code docker.io}, the key the configuration and the runtime use. Other hosts
     * are returned as they are.
     */
    public static String normalizeRegistry(String registry) {
        return switch (registry) {
            case "index.docker.io", "registry-1.docker.io" -> DOCKER_HUB;
            default -> registry;
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
        if (digest.length() > ReferenceGrammar.DIGEST_LENGTH_MAX || !ReferenceGrammar.DIGEST.matcher(digest).matches()) {
            return false;
        }
        return !digest.startsWith("sha256:") || ReferenceGrammar.SHA256_DIGEST.matcher(digest).matches();
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
