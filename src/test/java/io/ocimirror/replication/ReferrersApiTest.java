package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.registry.RegistryAccessException;
import io.ocimirror.registry.RegistryAccessFactory;
import io.ocimirror.testing.LogCapture;
import io.ocimirror.testing.registry.Descriptor;
import io.ocimirror.testing.registry.MediaTypes;
import io.ocimirror.testing.registry.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The referrers of an image from a registry that has the referrers API ({@code GET /v2/<name>/referrers/<digest>}),
 * and from registries that answer oddly. Docker Distribution 2.8, the registry the other replication tests run, has
 * no referrers API (it answers 404), so a small stub on 127.0.0.1 stands in: it serves fixed answers by path and
 * records what was asked. {@link ReferrersReplicationTest} covers the fallback through a real mirror.
 */
class ReferrersApiTest {

    private static final String REPOSITORY = "signed/app";
    private static final String SUBJECT = "sha256:" + "5".repeat(64);
    private static final String BASE_TAG = "sha256-" + "5".repeat(64);
    private static final String REFERRERS_PATH = "/v2/" + REPOSITORY + "/referrers/" + SUBJECT;
    private static final ReplicationScope SCOPE = new ReplicationScope(ReplicationMode.FULL, List.of());

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private StubRegistry server;
    private RegistryAccess access;
    private LogCapture log;

    private record Answer(int status, String contentType, byte[] body) {
    }

    @BeforeEach
    void start() throws RegistryAccessException {
        server = StubRegistry.start().handle("/v2/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(path);
            Answer answer = answers.getOrDefault(path, new Answer(404, "application/json", StubRegistry.NO_BODY));
            StubRegistry.respond(exchange, answer.status(), Map.of("Content-Type", answer.contentType()),
                    answer.body());
        });
        access = new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(5), System::nanoTime).access(
                new RegistryAccessFactory.Endpoint(server.host(), true, Optional.empty(), false), Optional.empty());
        log = LogCapture.install();
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(log);
        server.close();
    }

    @Test
    void walksWhatTheReferrersApiListsOnceAndNeverAsksForTheFallbackTag() {
        Descriptor signature = artifact("signature");
        Descriptor sbom = artifact("sbom");
        referrersApiLists(List.of(signature, sbom));
        answers.put(manifestPath(BASE_TAG + ".sig"), answers.get(manifestPath(signature.digest())));

        ReferrersWalk.Result result = walk();

        assertEquals(ReferrersWalk.Listing.REFERRERS_API, result.listing());
        assertEquals(2, result.artifacts(), "the signature under its tag is the listed one: walked once");
        assertEquals(4, result.blobs());
        assertEquals(List.of(), result.problems());
        assertTrue(requests.stream().noneMatch(path -> path.equals(manifestPath(BASE_TAG))), requests::toString);
        assertEquals(List.of(), log.atLeast(Level.WARNING), "404s of the .att and .sbom tags are no failures");
    }

    @Test
    void walksAtMostTheFirstSixteenListedReferrers() {
        referrersApiLists(IntStream.range(0, 20).mapToObj(i -> artifact("signature " + i)).toList());

        ReferrersWalk.Result result = walk();

        assertEquals(ReferrersWalk.MAX_REFERRERS, result.artifacts());
        assertEquals(20 - ReferrersWalk.MAX_REFERRERS, result.leftOut());
        assertTrue(result.summary().endsWith("4 more listed beyond the first 16 left out"), result.summary());
    }

    static Stream<Arguments> oddAnswers() {
        return Stream.of(
                Arguments.of("a listing naming a child that is no digest",
                        (Consumer<ReferrersApiTest>) test -> test.referrersApiAnswers(index(
                                "{\"mediaType\": \"%s\", \"digest\": \"../../../v2/other\", \"size\": 1}"
                                        .formatted(MediaTypes.OCI_MANIFEST))),
                        ReferrersWalk.Listing.REFERRERS_API, List.of(Failure.UNSUPPORTED), 3),
                Arguments.of("a referrers tag holding an image manifest",
                        (Consumer<ReferrersApiTest>) test -> test.answers.put(manifestPath(BASE_TAG),
                                test.answers.get(manifestPath(test.artifact("not an index").digest()))),
                        ReferrersWalk.Listing.FAILED, List.of(Failure.UNSUPPORTED), 3),
                Arguments.of("a mirror failing with 503: the lookups after it are not tried",
                        (Consumer<ReferrersApiTest>) test -> test.answers.put(REFERRERS_PATH,
                                new Answer(503, "text/plain", StubRegistry.NO_BODY)),
                        ReferrersWalk.Listing.FAILED, List.of(Failure.UNAVAILABLE), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddAnswers")
    void recordsAnOddAnswerAsAProblemAndGoesOn(String name, Consumer<ReferrersApiTest> registry,
            ReferrersWalk.Listing listing, List<Failure> problems, int cosignLookups) {
        registry.accept(this);

        ReferrersWalk.Result result = walk();

        assertEquals(listing, result.listing());
        assertEquals(problems, result.problems().stream().map(ReferrersWalk.Problem::failure).toList(),
                result.problems()::toString);
        assertEquals(cosignLookups, requests.stream().filter(path -> path.startsWith(manifestPath(BASE_TAG + ".")))
                .count(), requests::toString);
        assertTrue(requests.stream().noneMatch(path -> path.contains("..") || path.contains("/other")),
                requests::toString);
    }

    /** How registries without the referrers API answer it, besides 404; each is "no API here", no failure. */
    static Stream<Arguments> noReferrersApi() {
        return Stream.of(
                Arguments.of("406 (Artifactory)", new Answer(406, "application/json", StubRegistry.NO_BODY)),
                Arguments.of("400 (Quay)", new Answer(400, "application/json", StubRegistry.NO_BODY)),
                Arguments.of("405", new Answer(405, "text/plain", StubRegistry.NO_BODY)),
                Arguments.of("501", new Answer(501, "text/plain", StubRegistry.NO_BODY)),
                Arguments.of("401 without a challenge (Harbor 2.7)",
                        new Answer(401, "application/json", StubRegistry.NO_BODY)),
                Arguments.of("200 with application/json", new Answer(200, "application/json",
                        "{\"repositories\": []}".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("200 with an OCI index's Content-Type but an image manifest", json("""
                        {"schemaVersion": 2, "mediaType": "%s", "config": {"mediaType": "%s", "digest": "%s",
                         "size": 2}, "layers": []}
                        """.formatted(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_EMPTY, "sha256:" + "4".repeat(64)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noReferrersApi")
    void takesAnAnswerOfARegistryWithoutTheApiForNoApiAndReadsTheReferrersTag(String name, Answer answer) {
        referrersApiAnswers(answer);
        answers.put(manifestPath(BASE_TAG), index(descriptorJson(artifact("signature"))));

        ReferrersWalk.Result result = walk();

        assertEquals(ReferrersWalk.Listing.FALLBACK_TAG, result.listing());
        assertEquals(1, result.artifacts());
        assertEquals(List.of(), result.problems());
        assertEquals(List.of(REFERRERS_PATH, manifestPath(BASE_TAG)), requests.subList(0, 2));
        assertEquals(List.of(), log.atLeast(Level.WARNING), "no API is no failure");
    }

    static Stream<Arguments> subjectsUnderTheirReferrersTag() {
        return Stream.of(
                Arguments.of("an index", MediaTypes.OCI_INDEX, "{\"schemaVersion\": 2, \"mediaType\": \"%s\", "
                        + "\"manifests\": [%s, %s]}"),
                Arguments.of("an image manifest", MediaTypes.OCI_MANIFEST, "{\"schemaVersion\": 2, \"mediaType\": "
                        + "\"%s\", \"config\": %s, \"layers\": [%s]}"));
    }

    /**
     * GitLab resolves the tag {@code sha256-<hex>} to the manifest {@code sha256:<hex>}: the subject under its
     * referrers tag is no listing of referrers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("subjectsUnderTheirReferrersTag")
    void takesTheSubjectUnderItsReferrersTagForNothingListed(String name, String mediaType, String template) {
        String first = mediaType.equals(MediaTypes.OCI_INDEX) ? platformJson(artifact("amd64"), "amd64")
                : descriptorJson(blob("{}"));
        String second = mediaType.equals(MediaTypes.OCI_INDEX) ? platformJson(artifact("arm64"), "arm64")
                : descriptorJson(blob("layer"));
        byte[] subject = template.formatted(mediaType, first, second).getBytes(StandardCharsets.UTF_8);
        String subjectDigest = Descriptor.of(mediaType, subject).digest();
        String tag = subjectDigest.replace(':', '-');
        answers.put(manifestPath(subjectDigest), new Answer(200, mediaType, subject));
        answers.put(manifestPath(tag), new Answer(200, mediaType, subject));

        ReferrersWalk.Result result = walk(subjectDigest);

        assertEquals(ReferrersWalk.Listing.NONE, result.listing());
        assertEquals(List.of(), result.problems());
        assertEquals(0, result.artifacts());
        assertEquals(0, result.blobs());
        assertEquals(List.of("/v2/" + REPOSITORY + "/referrers/" + subjectDigest, manifestPath(tag),
                manifestPath(tag + ".sig"), manifestPath(tag + ".att"), manifestPath(tag + ".sbom")), requests);
        assertEquals(List.of(), log.atLeast(Level.WARNING));
    }

    @Test
    void refusesASubjectThatIsNoDigestWithoutAsking() {
        RegistryAccessException refused = assertThrows(RegistryAccessException.class,
                () -> access.referrers(REPOSITORY, "../manifests/latest"));

        assertEquals(Failure.UNSUPPORTED, refused.failure());
        assertEquals(List.of(), requests);
    }

    @Test
    void answersNothingForARegistryWithoutTheApiAndLogsNoFailure() throws RegistryAccessException {
        assertEquals(Optional.empty(), access.referrers(REPOSITORY, SUBJECT));
        assertEquals(Optional.empty(), access.manifestIfPresent(REPOSITORY, BASE_TAG + ".sig"));

        assertEquals(List.of(REFERRERS_PATH, manifestPath(BASE_TAG + ".sig")), requests);
        assertEquals(List.of(), log.atLeast(Level.WARNING));
    }

    private ReferrersWalk.Result walk() {
        return walk(SUBJECT);
    }

    private ReferrersWalk.Result walk(String subject) {
        return ReferrersWalk.walk(access,
                ImageReference.of(server.host(), REPOSITORY, Optional.of("1.0"), Optional.empty()), subject, SCOPE,
                Fetches.sequential().scope(server.host()));
    }

    private void referrersApiLists(List<Descriptor> referrers) {
        referrersApiAnswers(index(referrers.stream().map(ReferrersApiTest::descriptorJson).toArray(String[]::new)));
    }

    private void referrersApiAnswers(Answer answer) {
        answers.put(REFERRERS_PATH, answer);
    }

    /** An OCI 1.1 artifact: empty config, one layer; served by its digest, with its blobs. */
    private Descriptor artifact(String payload) {
        byte[] manifest = ("""
                {"schemaVersion": 2, "mediaType": "%s", "artifactType": "application/vnd.example+json",
                 "config": %s, "layers": [%s], "subject": {"mediaType": "%s", "digest": "%s", "size": 1}}
                """.formatted(MediaTypes.OCI_MANIFEST, descriptorJson(blob("{}")), descriptorJson(blob(payload)),
                MediaTypes.OCI_MANIFEST, SUBJECT)).getBytes(StandardCharsets.UTF_8);
        Descriptor descriptor = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
        answers.put(manifestPath(descriptor.digest()), new Answer(200, MediaTypes.OCI_MANIFEST, manifest));
        return descriptor;
    }

    private Descriptor blob(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Descriptor descriptor = Descriptor.of(MediaTypes.OCI_EMPTY, bytes);
        answers.put("/v2/" + REPOSITORY + "/blobs/" + descriptor.digest(),
                new Answer(200, "application/octet-stream", bytes));
        return descriptor;
    }

    private static Answer index(String... descriptors) {
        return json("{\"schemaVersion\": 2, \"mediaType\": \"%s\", \"manifests\": [%s]}".formatted(MediaTypes.OCI_INDEX,
                String.join(",", descriptors)));
    }

    private static Answer json(String body) {
        return new Answer(200, MediaTypes.OCI_INDEX, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String descriptorJson(Descriptor descriptor) {
        return "{\"mediaType\": \"%s\", \"digest\": \"%s\", \"size\": %d}".formatted(descriptor.mediaType(),
                descriptor.digest(), descriptor.size());
    }

    private static String platformJson(Descriptor descriptor, String architecture) {
        return "{\"mediaType\": \"%s\", \"digest\": \"%s\", \"size\": %d, \"platform\": {\"os\": \"linux\", "
                .formatted(descriptor.mediaType(), descriptor.digest(), descriptor.size())
                + "\"architecture\": \"%s\"}}".formatted(architecture);
    }

    private static String manifestPath(String reference) {
        return "/v2/" + REPOSITORY + "/manifests/" + reference;
    }
}
