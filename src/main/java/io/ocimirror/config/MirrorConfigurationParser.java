package io.ocimirror.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ocimirror.config.Exclusions.ImagePattern;
import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.reference.ImageReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Reads the YAML under the ConfigMap key {@code containerRegistryConfig} (Greenhouse's organisation registry
 * configuration plus this webhook's extensions) into a validated {@link MirrorConfiguration}. Unknown keys are
 * errors: a misspelt {@code basedomain} must not silently turn mirroring off.
 */
public final class MirrorConfigurationParser {

    private static final Set<String> ROOT_KEYS =
            Set.of("primaryMirror", "secretName", "registryMirrors", "exclude", "replication");
    private static final Set<String> MIRROR_KEYS = Set.of("baseDomain", "subPath", "replicationHost", "insecure",
            "rewritePolicy", "caFile", "stopBlobReadsEarly", "replication");
    private static final Set<String> MIRROR_REPLICATION_KEYS = Set.of("referrers");
    private static final Set<String> EXCLUDE_KEYS = Set.of("images", "namespaces", "ownerApiGroups");
    private static final Set<String> REPLICATION_KEYS = Set.of("mode", "platforms", "referrers");
    private static final Pattern KUBERNETES_NAME =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern PLATFORM = Pattern.compile("([a-z0-9]+)/([a-z0-9_]+)(?:/([a-z0-9]+))?");
    private static final List<Platform> DEFAULT_PLATFORMS =
            List.of(new Platform("linux", "amd64", Optional.empty()));

    private final ObjectMapper yaml;

    public MirrorConfigurationParser() {
        YAMLFactory factory = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        this.yaml = new ObjectMapper(factory);
    }

    /**
     * The keys this parser accepts, by where they stand: {@code ""} for the top level, {@code registryMirrors.*} for
     * a mirror, {@code registryMirrors.*.replication} for a mirror's replication, {@code exclude} and
     * {@code replication} for those sections. The published JSON Schema (deploy/mirror-config.schema.json) must name
     * the same keys.
     */
    public static Map<String, Set<String>> acceptedKeys() {
        return Map.of("", ROOT_KEYS, "registryMirrors.*", MIRROR_KEYS,
                "registryMirrors.*.replication", MIRROR_REPLICATION_KEYS, "exclude", EXCLUDE_KEYS,
                "replication", REPLICATION_KEYS);
    }

    /**
     * Reads and validates a configuration.
     *
     * @param text the YAML of the {@code containerRegistryConfig} key: one document
     * @return the configuration
     * @throws ConfigurationException naming the key and the problem, or the line of a YAML error (a duplicate key)
     *     or of a second document
     */
    public MirrorConfiguration parse(String text) throws ConfigurationException {
        Document document = read(text);
        if (document.nextLine().isPresent()) {
            throw new ConfigurationException("several YAML documents: a second starts at line "
                    + document.nextLine().getAsInt() + "; the configuration is one document (remove the ---)");
        }
        JsonNode root = document.root();
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigurationException("configuration is empty: registryMirrors is required");
        }
        requireObject(root, "(root)");
        requireKnownKeys(root, "", ROOT_KEYS);

        Optional<String> primaryMirror = optionalHost(root, "primaryMirror");
        Optional<String> secretName = optionalText(root, "secretName");
        if (secretName.isPresent() && !KUBERNETES_NAME.matcher(secretName.get()).matches()) {
            throw new ConfigurationException("secretName: \"" + secretName.get() + "\" is not a Kubernetes name");
        }
        ReplicationScope replication = parseReplication(root.get("replication"));
        // The top-level referrers setting is only the default of each mirror's.
        boolean referrers = root.hasNonNull("replication")
                && optionalBoolean(root.get("replication"), "referrers", "replication.referrers");
        Map<String, Mirror> mirrors = parseMirrors(root.get("registryMirrors"), primaryMirror, referrers);
        return new MirrorConfiguration(
                Map.copyOf(mirrors), secretName, parseExclusions(root.get("exclude")), replication);
    }

    /**
     * A configuration read as Greenhouse reads an organisation's: keys this parser does not know were left out.
     *
     * @param configuration the validated configuration
     * @param ignoredKeys   the key paths left out ({@code registryMirrors.docker.io.mirrorHost}), in document order
     */
    public record Lenient(MirrorConfiguration configuration, List<String> ignoredKeys) {
    }

    /**
     * Parses like {@link #parse}, except that unknown keys are left out and named instead of rejecting the whole
     * configuration: Greenhouse decodes an organisation's YAML with gopkg.in/yaml.v3, which ignores keys it does not
     * know, so a configuration Greenhouse accepts must not be refused here for an extra key.
     *
     * @param text the YAML of the {@code containerRegistryConfig} key
     * @return the configuration and the key paths that were left out
     * @throws ConfigurationException for every other problem {@link #parse} reports
     */
    public Lenient parseIgnoringUnknownKeys(String text) throws ConfigurationException {
        Document document = read(text);
        if (!(document.root() instanceof ObjectNode tree)) {
            return new Lenient(parse(text), List.of());
        }
        List<String> ignored = new ArrayList<>();
        removeUnknownKeys(tree, "", ROOT_KEYS, ignored);
        if (tree.get("registryMirrors") instanceof ObjectNode mirrors) {
            for (String source : fieldNames(mirrors)) {
                if (mirrors.get(source) instanceof ObjectNode mirror) {
                    removeUnknownKeys(mirror, "registryMirrors." + source + ".", MIRROR_KEYS, ignored);
                    if (mirror.get("replication") instanceof ObjectNode replication) {
                        removeUnknownKeys(replication, "registryMirrors." + source + ".replication.",
                                MIRROR_REPLICATION_KEYS, ignored);
                    }
                }
            }
        }
        if (tree.get("exclude") instanceof ObjectNode exclude) {
            removeUnknownKeys(exclude, "exclude.", EXCLUDE_KEYS, ignored);
        }
        if (tree.get("replication") instanceof ObjectNode replication) {
            removeUnknownKeys(replication, "replication.", REPLICATION_KEYS, ignored);
        }
        // yaml.v3 decodes the first document of several.
        document.nextLine().ifPresent(line -> ignored.add("the YAML documents from line " + line));
        // JSON is YAML: the pruned tree goes through the one strict parser.
        return new Lenient(parse(tree.toString()), List.copyOf(ignored));
    }

    /**
     * The first YAML document of a text, and the line where a second one starts: the ConfigMap key holds one
     * document, and Jackson would otherwise drop the rest without a word. Documents that are empty (a trailing
     * {@code ---}) do not count.
     */
    private record Document(JsonNode root, OptionalInt nextLine) {
    }

    private Document read(String text) throws ConfigurationException {
        try (JsonParser parser = yaml.createParser(text)) {
            JsonNode root = yaml.readTree(parser);
            JsonToken next = parser.nextToken();
            while (next == JsonToken.VALUE_NULL || (next == JsonToken.VALUE_STRING && parser.getText().isEmpty())) {
                next = parser.nextToken();
            }
            return new Document(root, next == null
                    ? OptionalInt.empty()
                    : OptionalInt.of(parser.currentTokenLocation().getLineNr()));
        } catch (JacksonException e) {
            JsonLocation location = e.getLocation();
            throw new ConfigurationException("not valid YAML: " + e.getOriginalMessage()
                    + (location == null ? "" : " (line " + location.getLineNr() + ", column "
                            + location.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ConfigurationException("not valid YAML: " + e.getMessage(), e);
        }
    }

    private static void removeUnknownKeys(ObjectNode node, String prefix, Set<String> known, List<String> ignored) {
        for (String name : fieldNames(node)) {
            if (!known.contains(name)) {
                node.remove(name);
                ignored.add(prefix + name);
            }
        }
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private Map<String, Mirror> parseMirrors(JsonNode node, Optional<String> primaryMirror, boolean referrers)
            throws ConfigurationException {
        if (node == null) {
            throw new ConfigurationException("registryMirrors: is required ({} for none: nothing is rewritten)");
        }
        // Empty (or written without a value, which YAML makes null and Jackson an empty string) is a configuration
        // that rewrites nothing: an installation before its admin has filled in the mirrors.
        if (node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            return new LinkedHashMap<>();
        }
        requireObject(node, "registryMirrors");
        Map<String, Mirror> mirrors = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = "registryMirrors." + field.getKey();
            if (!ImageReference.isValidRegistry(field.getKey())) {
                throw new ConfigurationException(key + ": \"" + field.getKey() + "\" is not a registry host");
            }
            String source = ImageReference.normalizeRegistry(field.getKey());
            Mirror mirror = parseMirror(source, field.getValue(), key, primaryMirror, referrers);
            Mirror alias = mirrors.get(source);
            if (alias != null && !alias.equals(mirror)) {
                throw new ConfigurationException(key + ": names the same registry as registryMirrors." + keys.get(source)
                        + " (" + source + ") with other mirror settings; keep one key, or make both the same");
            }
            mirrors.putIfAbsent(source, mirror);
            keys.putIfAbsent(source, field.getKey());
        }
        for (Mirror mirror : mirrors.values()) {
            String key = "registryMirrors." + keys.get(mirror.sourceRegistry());
            for (String host : List.of(mirror.baseDomain(), mirror.replicationHost())) {
                if (mirrors.containsKey(host)) {
                    throw new ConfigurationException(key + ": mirror host " + host
                            + " is also a source registry; references would be rewritten twice");
                }
            }
        }
        requireDistinctLocations(mirrors, keys);
        return mirrors;
    }

    /**
     * Two sources whose mirror locations overlap on a host (the same sub-path, or one inside the other, the root
     * holding everything) would make the owner of a mirrored reference ambiguous: which source it came from, which
     * host replicates it, whose breaker and metrics count it.
     */
    private static void requireDistinctLocations(Map<String, Mirror> mirrors, Map<String, String> keys)
            throws ConfigurationException {
        // Each host's sub-paths so far, with the position of the mirror that holds each. Earlier mirrors on one host
        // never overlap (that would have been reported), so a later mirror has only its own sub-path's ancestors
        // and descendants to look up: near-linear where comparing every pair took minutes for 20,000 mirrors.
        Map<String, NavigableMap<String, Integer>> locations = new HashMap<>();
        List<Mirror> all = List.copyOf(mirrors.values());
        for (int i = 0; i < all.size(); i++) {
            Mirror later = all.get(i);
            OptionalInt first = Stream.of(later.baseDomain(), later.replicationHost()).distinct()
                    .map(locations::get)
                    .filter(Objects::nonNull)
                    .flatMapToInt(paths -> overlapping(paths, later.subPath()))
                    .min();
            if (first.isPresent()) {
                Mirror earlier = all.get(first.getAsInt());
                String host = sharedHost(later, earlier).orElseThrow();
                throw new ConfigurationException("registryMirrors." + keys.get(later.sourceRegistry())
                        + ": its mirror location " + host + "/" + later.subPath() + " overlaps that of registryMirrors."
                        + keys.get(earlier.sourceRegistry()) + " (" + host + "/" + earlier.subPath()
                        + "); mirrored references of the two could not be told apart (give each its own subPath,"
                        + " neither inside the other)");
            }
            for (String host : new HashSet<>(List.of(later.baseDomain(), later.replicationHost()))) {
                locations.computeIfAbsent(host, h -> new TreeMap<>()).put(later.subPath(), i);
            }
        }
    }

    /** The positions of the sub-paths that hold {@code subPath} (itself, its parents, the root) or lie within it. */
    private static IntStream overlapping(NavigableMap<String, Integer> paths, String subPath) {
        IntStream.Builder found = IntStream.builder();
        for (String outer = subPath; ; outer = outer.substring(0, Math.max(outer.lastIndexOf('/'), 0))) {
            Integer position = paths.get(outer);
            if (position != null) {
                found.add(position);
            }
            if (outer.isEmpty()) {
                break;
            }
        }
        // '0' follows '/': the keys from "a/" up to "a0" are those under "a/".
        Map<String, Integer> within = subPath.isEmpty() ? paths : paths.subMap(subPath + "/", subPath + "0");
        within.values().forEach(found::add);
        return found.build();
    }

    private static Optional<String> sharedHost(Mirror one, Mirror other) {
        return Stream.of(one.baseDomain(), one.replicationHost())
                .filter(host -> host.equals(other.baseDomain()) || host.equals(other.replicationHost()))
                .findFirst();
    }

    private Mirror parseMirror(String source, JsonNode node, String key, Optional<String> primaryMirror,
            boolean defaultReferrers) throws ConfigurationException {
        requireObject(node, key);
        requireKnownKeys(node, key + ".", MIRROR_KEYS);
        String baseDomain = optionalHost(node, "baseDomain", key + ".baseDomain")
                .orElseThrow(() -> new ConfigurationException(key + ".baseDomain: is required"));
        if (!ImageReference.isReadAsRegistry(baseDomain)) {
            throw new ConfigurationException(key + ".baseDomain: \"" + baseDomain + "\" would be read as a Docker Hub"
                    + " path in an image reference (a registry host needs a dot, a port or the name localhost)");
        }
        String subPath = optionalText(node, "subPath", key + ".subPath").map(MirrorConfigurationParser::trimSlashes)
                .orElse("");
        if (!subPath.isEmpty() && !ImageReference.isValidRepository(subPath)) {
            throw new ConfigurationException(key + ".subPath: \"" + subPath
                    + "\" is not a repository path (lower-case components separated by /)");
        }
        String replicationHost = optionalHost(node, "replicationHost", key + ".replicationHost")
                .or(() -> primaryMirror)
                .orElse(baseDomain);
        boolean insecure = optionalBoolean(node, "insecure", key + ".insecure");
        RewritePolicy rewritePolicy = RewritePolicy.ALWAYS;
        Optional<String> policyText = optionalText(node, "rewritePolicy", key + ".rewritePolicy");
        if (policyText.isPresent()) {
            rewritePolicy = switch (policyText.get()) {
                case "always" -> RewritePolicy.ALWAYS;
                case "replicated" -> RewritePolicy.REPLICATED;
                default -> throw new ConfigurationException(key + ".rewritePolicy: \"" + policyText.get()
                        + "\" is not one of always, replicated");
            };
        }
        Optional<Path> caFile = optionalText(node, "caFile", key + ".caFile").map(Path::of);
        if (caFile.isPresent() && !caFile.get().isAbsolute()) {
            throw new ConfigurationException(key + ".caFile: \"" + caFile.get()
                    + "\" is not an absolute path (the PEM bundle of the CA that signed the mirror's certificate)");
        }
        boolean stopBlobReadsEarly = optionalBoolean(node, "stopBlobReadsEarly", key + ".stopBlobReadsEarly");
        boolean referrers = parseMirrorReferrers(node.get("replication"), key + ".replication", defaultReferrers);
        return new Mirror(source, baseDomain, subPath, replicationHost, insecure, rewritePolicy, caFile,
                stopBlobReadsEarly, referrers);
    }

    /** A mirror's {@code replication.referrers}, or the top-level one when the mirror sets none. */
    private static boolean parseMirrorReferrers(JsonNode node, String key, boolean defaultReferrers)
            throws ConfigurationException {
        if (node == null || node.isNull()) {
            return defaultReferrers;
        }
        requireObject(node, key);
        requireKnownKeys(node, key + ".", MIRROR_REPLICATION_KEYS);
        return optionalBoolean(node, "referrers", key + ".referrers", defaultReferrers);
    }

    private Exclusions parseExclusions(JsonNode node) throws ConfigurationException {
        if (node == null || node.isNull()) {
            return Exclusions.NONE;
        }
        requireObject(node, "exclude");
        requireKnownKeys(node, "exclude.", EXCLUDE_KEYS);
        List<ImagePattern> images = new ArrayList<>();
        for (String glob : stringList(node, "images", "exclude.images")) {
            images.add(ImagePattern.compile(glob));
        }
        return new Exclusions(List.copyOf(images),
                Set.copyOf(stringList(node, "namespaces", "exclude.namespaces")),
                Set.copyOf(stringList(node, "ownerApiGroups", "exclude.ownerApiGroups")));
    }

    private ReplicationScope parseReplication(JsonNode node) throws ConfigurationException {
        if (node == null || node.isNull()) {
            return new ReplicationScope(ReplicationMode.FULL, DEFAULT_PLATFORMS);
        }
        requireObject(node, "replication");
        requireKnownKeys(node, "replication.", REPLICATION_KEYS);
        ReplicationMode mode = ReplicationMode.FULL;
        Optional<String> modeText = optionalText(node, "mode", "replication.mode");
        if (modeText.isPresent()) {
            mode = switch (modeText.get()) {
                case "full" -> ReplicationMode.FULL;
                case "manifest" -> ReplicationMode.MANIFEST;
                default -> throw new ConfigurationException(
                        "replication.mode: \"" + modeText.get() + "\" is not one of full, manifest");
            };
        }
        List<String> platformTexts = stringList(node, "platforms", "replication.platforms");
        if (platformTexts.isEmpty()) {
            return new ReplicationScope(mode, DEFAULT_PLATFORMS);
        }
        if (platformTexts.equals(List.of("all"))) {
            return new ReplicationScope(mode, List.of());
        }
        List<Platform> platforms = new ArrayList<>();
        for (String text : platformTexts) {
            var matcher = PLATFORM.matcher(text);
            if (!matcher.matches()) {
                throw new ConfigurationException("replication.platforms: \"" + text
                        + "\" is not os/architecture[/variant] (or the single entry all)");
            }
            platforms.add(new Platform(matcher.group(1), matcher.group(2), Optional.ofNullable(matcher.group(3))));
        }
        return new ReplicationScope(mode, List.copyOf(platforms));
    }

    private static void requireObject(JsonNode node, String key) throws ConfigurationException {
        if (!node.isObject()) {
            throw new ConfigurationException(key + ": must be a mapping, got " + describe(node));
        }
    }

    private static void requireKnownKeys(JsonNode node, String prefix, Set<String> known)
            throws ConfigurationException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigurationException(prefix + name + ": unknown key (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static Optional<String> optionalText(JsonNode parent, String field) throws ConfigurationException {
        return optionalText(parent, field, field);
    }

    private static Optional<String> optionalText(JsonNode parent, String field, String key)
            throws ConfigurationException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new ConfigurationException(key + ": must be a string, got " + describe(node));
        }
        return Optional.of(node.asText().trim());
    }

    private static Optional<String> optionalHost(JsonNode parent, String field) throws ConfigurationException {
        return optionalHost(parent, field, field);
    }

    private static Optional<String> optionalHost(JsonNode parent, String field, String key)
            throws ConfigurationException {
        Optional<String> host = optionalText(parent, field, key).filter(text -> !text.isEmpty());
        if (host.isPresent() && !ImageReference.isValidRegistry(host.get())) {
            throw new ConfigurationException(key + ": \"" + host.get()
                    + "\" is not a host name with an optional port (no scheme, no path)");
        }
        return host.map(h -> h.toLowerCase(Locale.ROOT));
    }

    private static boolean optionalBoolean(JsonNode parent, String field, String key) throws ConfigurationException {
        return optionalBoolean(parent, field, key, false);
    }

    private static boolean optionalBoolean(JsonNode parent, String field, String key, boolean absent)
            throws ConfigurationException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isBoolean()) {
            throw new ConfigurationException(key + ": must be true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    private static List<String> stringList(JsonNode parent, String field, String key) throws ConfigurationException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigurationException(key + ": must be a list of strings, got " + describe(node));
        }
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new ConfigurationException(key + "[" + i + "]: must be a non-empty string, got " + describe(item));
            }
            values.add(item.asText().trim());
        }
        return List.copyOf(values);
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "a mapping";
            case ARRAY -> "a list";
            case STRING -> "the string \"" + node.asText() + "\"";
            case NULL -> "nothing";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + node;
        };
    }
}
