package io.ocimirror.testing.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Pushes small, deterministic test artifacts to a registry with the plain distribution API: blob uploads and manifest
 * PUTs. Layers are gzipped tarballs of seeded random bytes, seeded by repository, tag, platform and layer number, so
 * every artifact has its own real blobs and the same names give the same digests (on one JDK: gzip headers differ
 * between JDK versions).
 */
public final class TestContent {

    public static final String SINGLE_IMAGE_REPOSITORY = "library/app";
    public static final String SINGLE_IMAGE_TAG = "1.0";
    public static final String OCI_INDEX_REPOSITORY = "team/multi-oci";
    public static final String OCI_INDEX_TAG = "2.0";
    public static final String DOCKER_LIST_REPOSITORY = "team/multi-docker";
    public static final String DOCKER_LIST_TAG = "3.0";
    public static final String CHART_REPOSITORY = "charts/podinfo";
    public static final String CHART_VERSION = "6.5.0";

    public static final String LINUX_AMD64 = "linux/amd64";
    public static final String LINUX_ARM64 = "linux/arm64";
    public static final List<String> PLATFORMS = List.of(LINUX_AMD64, LINUX_ARM64);

    static final int LAYERS_PER_IMAGE = 2;
    static final int LAYER_PAYLOAD_BYTES = 4096;

    private final RegistryTestClient registry;
    private final ObjectMapper json = new ObjectMapper();

    /** Pushes with this client (give it credentials for a protected registry). */
    public TestContent(RegistryTestClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Pushes to {@code registry} with its own credentials. */
    public static TestContent to(DistributionRegistry registry) {
        return new TestContent(registry.client());
    }

    /** The four standard artifacts, one of each kind. */
    public record Pushed(PushedArtifact singleImage, PushedArtifact ociIndex, PushedArtifact dockerManifestList,
            PushedArtifact helmChart) {

        public List<PushedArtifact> all() {
            return List.of(singleImage, ociIndex, dockerManifestList, helmChart);
        }
    }

    /**
     * Push {@code library/app:1.0} (Docker v2 image, linux/amd64), {@code team/multi-oci:2.0} (OCI index),
     * {@code team/multi-docker:3.0} (Docker manifest list), both for linux/amd64 and linux/arm64, and the Helm chart
     * {@code charts/podinfo:6.5.0}.
     */
    public Pushed pushAll() {
        return new Pushed(
                pushDockerImage(SINGLE_IMAGE_REPOSITORY, SINGLE_IMAGE_TAG, LINUX_AMD64),
                pushOciIndex(OCI_INDEX_REPOSITORY, OCI_INDEX_TAG, PLATFORMS),
                pushDockerManifestList(DOCKER_LIST_REPOSITORY, DOCKER_LIST_TAG, PLATFORMS),
                pushHelmChart(CHART_REPOSITORY, CHART_VERSION));
    }

    /** A single-platform image with a Docker v2 schema 2 manifest, pushed under {@code tag}. */
    public PushedArtifact pushDockerImage(String repository, String tag, String platform) {
        ImageManifest image = pushImage(repository, tag, platform, Format.DOCKER, Optional.of(tag));
        return new PushedArtifact(repository, tag, image.manifest(), List.of(image));
    }

    /** A single-platform image with an OCI image manifest, pushed under {@code tag}. */
    public PushedArtifact pushOciImage(String repository, String tag, String platform) {
        ImageManifest image = pushImage(repository, tag, platform, Format.OCI, Optional.of(tag));
        return new PushedArtifact(repository, tag, image.manifest(), List.of(image));
    }

    /**
     * A linux/amd64 OCI image of the given layers (raw bytes: registries and the walk never look inside a layer),
     * pushed under {@code tag}; its config names the tag, so images of other tags share layers but not configs.
     */
    public PushedArtifact pushLayeredImage(String repository, String tag, List<byte[]> layerContents) {
        List<Descriptor> layers = new ArrayList<>();
        for (byte[] layer : layerContents) {
            layers.add(registry.pushBlob(repository, MediaTypes.OCI_LAYER, layer));
        }
        ObjectNode config = json.createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        config.putArray("history").addObject().put("created_by", "oci-mirror-webhook test content "
                + seedOf(repository, tag, LINUX_AMD64));
        Descriptor configBlob = registry.pushBlob(repository, MediaTypes.OCI_CONFIG, bytes(config));
        ObjectNode manifest = json.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptor(configBlob));
        ArrayNode layerArray = manifest.putArray("layers");
        layers.forEach(layer -> layerArray.add(descriptor(layer)));
        Descriptor pushed = registry.pushManifest(repository, tag, MediaTypes.OCI_MANIFEST, bytes(manifest));
        return new PushedArtifact(repository, tag, pushed,
                List.of(new ImageManifest(Optional.of(LINUX_AMD64), pushed, configBlob, layers)));
    }

    /** {@code size} bytes of random data, the same for the same seed: a layer's content. */
    public static byte[] layerBytes(String seed, int size) {
        return seededBytes(seed, size);
    }

    /** An OCI image index of OCI image manifests, one per platform; children pushed by digest, the index by tag. */
    public PushedArtifact pushOciIndex(String repository, String tag, List<String> platforms) {
        return pushIndex(repository, tag, platforms, Format.OCI);
    }

    /** A Docker manifest list of Docker v2 manifests, one per platform; children by digest, the list by tag. */
    public PushedArtifact pushDockerManifestList(String repository, String tag, List<String> platforms) {
        return pushIndex(repository, tag, platforms, Format.DOCKER);
    }

    /**
     * A Helm chart as Helm 3 pushes it: an OCI manifest with a {@code application/vnd.cncf.helm.config.v1+json}
     * config and one {@code application/vnd.cncf.helm.chart.content.v1.tar+gzip} layer. The chart is named after the
     * last path component of the repository and tagged with its version.
     */
    public PushedArtifact pushHelmChart(String repository, String version) {
        String name = repository.substring(repository.lastIndexOf('/') + 1);
        ObjectNode chartConfig = json.createObjectNode()
                .put("name", name)
                .put("version", version)
                .put("description", "Test chart for oci-mirror-webhook")
                .put("apiVersion", "v2")
                .put("type", "application");
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name + "/Chart.yaml", ("apiVersion: v2\nname: " + name + "\nversion: " + version
                + "\ndescription: Test chart for oci-mirror-webhook\ntype: application\n")
                .getBytes(StandardCharsets.UTF_8));
        files.put(name + "/values.yaml", "replicaCount: 1\n".getBytes(StandardCharsets.UTF_8));
        Descriptor config = registry.pushBlob(repository, MediaTypes.HELM_CONFIG, bytes(chartConfig));
        Descriptor chart = registry.pushBlob(repository, MediaTypes.HELM_CHART, Tarball.gzip(Tarball.tar(files)));
        return pushOneLayerManifest(repository, Optional.of(version), config, chart, manifest -> { });
    }

    /**
     * A signature, attestation or SBOM as cosign pushes one next to an image: an OCI image manifest whose config is a
     * small image config and whose one layer is {@code payload} of media type {@code layerType}, under {@code tag}
     * ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}).
     */
    public PushedArtifact pushCosignArtifact(String repository, String tag, String layerType, byte[] payload) {
        ObjectNode config = json.createObjectNode().put("architecture", "").put("os", "");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(Descriptor.sha256(payload));
        Descriptor configBlob = registry.pushBlob(repository, MediaTypes.OCI_CONFIG, bytes(config));
        Descriptor layer = registry.pushBlob(repository, layerType, payload);
        return pushOneLayerManifest(repository, Optional.of(tag), configBlob, layer, manifest -> { });
    }

    /**
     * An artifact as an OCI 1.1 client pushes one: an OCI image manifest with {@code artifactType}, the empty config
     * ({@link MediaTypes#OCI_EMPTY}, the JSON {@code {}}), one layer of {@code payload} with the artifact type as its
     * media type, and {@code subject}; pushed by its digest, untagged.
     */
    public PushedArtifact pushReferrer(String repository, Descriptor subject, String artifactType, byte[] payload) {
        Descriptor configBlob = registry.pushBlob(repository, MediaTypes.OCI_EMPTY,
                "{}".getBytes(StandardCharsets.UTF_8));
        Descriptor layer = registry.pushBlob(repository, artifactType, payload);
        return pushOneLayerManifest(repository, Optional.empty(), configBlob, layer, manifest -> {
            manifest.put("artifactType", artifactType);
            manifest.set("subject", descriptor(subject));
        });
    }

    /**
     * Pushes an OCI image manifest of {@code config} and one {@code layer}, with the fields {@code extra} adds, under
     * {@code tag} or, without one, by its digest.
     */
    private PushedArtifact pushOneLayerManifest(String repository, Optional<String> tag, Descriptor config,
            Descriptor layer, Consumer<ObjectNode> extra) {
        ObjectNode manifest = json.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        extra.accept(manifest);
        manifest.set("config", descriptor(config));
        manifest.putArray("layers").add(descriptor(layer));
        byte[] manifestBytes = bytes(manifest);
        String reference = tag.orElseGet(() -> Descriptor.sha256(manifestBytes));
        Descriptor pushed = registry.pushManifest(repository, reference, MediaTypes.OCI_MANIFEST, manifestBytes);
        return new PushedArtifact(repository, reference, pushed,
                List.of(new ImageManifest(Optional.empty(), pushed, config, List.of(layer))));
    }

    /**
     * The index a client without the referrers API keeps under the referrers tag schema's tag ({@code sha256-<hex>}
     * of the subject's digest), listing {@code referrers} with their {@code artifactType}.
     */
    public Descriptor pushReferrersTag(String repository, Descriptor subject, List<PushedArtifact> referrers,
            String artifactType) {
        ObjectNode index = json.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode entries = index.putArray("manifests");
        referrers.forEach(referrer -> entries.add(descriptor(referrer.manifest()).put("artifactType", artifactType)));
        return registry.pushManifest(repository, "sha256-" + subject.hex(), MediaTypes.OCI_INDEX, bytes(index));
    }

    private PushedArtifact pushIndex(String repository, String tag, List<String> platforms, Format format) {
        List<ImageManifest> children = new ArrayList<>();
        ObjectNode index = json.createObjectNode().put("schemaVersion", 2).put("mediaType", format.indexType);
        ArrayNode entries = index.putArray("manifests");
        for (String platform : platforms) {
            ImageManifest child = pushImage(repository, tag, platform, format, Optional.empty());
            children.add(child);
            ObjectNode entry = descriptor(child.manifest());
            entry.set("platform", platformNode(platform));
            entries.add(entry);
        }
        Descriptor pushed = registry.pushManifest(repository, tag, format.indexType, bytes(index));
        return new PushedArtifact(repository, tag, pushed, children);
    }

    /** Config, layers and manifest of one image; the manifest under {@code tag}, or under its digest if none. */
    private ImageManifest pushImage(String repository, String tag, String platform, Format format,
            Optional<String> manifestTag) {
        String[] osArch = platform.split("/");
        if (osArch.length != 2) {
            throw new IllegalArgumentException("platform is os/architecture: " + platform);
        }
        List<Descriptor> layers = new ArrayList<>();
        ArrayNode diffIds = json.createArrayNode();
        for (int layer = 0; layer < LAYERS_PER_IMAGE; layer++) {
            String seed = repository + ":" + tag + "/" + platform + "/layer-" + layer;
            byte[] tar = Tarball.tar(Map.of("data/layer-" + layer + ".bin", seededBytes(seed, LAYER_PAYLOAD_BYTES)));
            diffIds.add(Descriptor.sha256(tar));
            layers.add(registry.pushBlob(repository, format.layerType, Tarball.gzip(tar)));
        }
        ObjectNode config = json.createObjectNode()
                .put("architecture", osArch[1])
                .put("os", osArch[0]);
        config.putObject("config").putArray("Cmd").add("/data/app");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        config.putArray("history").addObject().put("created_by", "oci-mirror-webhook test content " + seedOf(
                repository, tag, platform));
        Descriptor configBlob = registry.pushBlob(repository, format.configType, bytes(config));

        ObjectNode manifest = json.createObjectNode().put("schemaVersion", 2).put("mediaType", format.manifestType);
        manifest.set("config", descriptor(configBlob));
        ArrayNode layerArray = manifest.putArray("layers");
        layers.forEach(layer -> layerArray.add(descriptor(layer)));
        byte[] manifestBytes = bytes(manifest);
        String reference = manifestTag.orElseGet(() -> Descriptor.sha256(manifestBytes));
        Descriptor pushed = registry.pushManifest(repository, reference, format.manifestType, manifestBytes);
        return new ImageManifest(Optional.of(platform), pushed, configBlob, layers);
    }

    private ObjectNode descriptor(Descriptor descriptor) {
        return json.createObjectNode()
                .put("mediaType", descriptor.mediaType())
                .put("digest", descriptor.digest())
                .put("size", descriptor.size());
    }

    private ObjectNode platformNode(String platform) {
        String[] osArch = platform.split("/");
        return json.createObjectNode().put("architecture", osArch[1]).put("os", osArch[0]);
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write test JSON", e);
        }
    }

    private static String seedOf(String repository, String tag, String platform) {
        return repository + ":" + tag + "/" + platform;
    }

    /** {@code size} bytes of {@link Random} seeded with the first 8 bytes of SHA-256 of {@code seed}. */
    static byte[] seededBytes(String seed, int size) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            byte[] bytes = new byte[size];
            new Random(ByteBuffer.wrap(hash).getLong()).nextBytes(bytes);
            return bytes;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The media types of one manifest family. */
    private enum Format {
        DOCKER(MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_CONFIG,
                MediaTypes.DOCKER_LAYER),
        OCI(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, MediaTypes.OCI_LAYER);

        final String indexType;
        final String manifestType;
        final String configType;
        final String layerType;

        Format(String indexType, String manifestType, String configType, String layerType) {
            this.indexType = indexType;
            this.manifestType = manifestType;
            this.configType = configType;
            this.layerType = layerType;
        }
    }
}
