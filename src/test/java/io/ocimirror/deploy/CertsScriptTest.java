package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * certs-scripts/webhook-certs.sh: what it generates (checked with openssl and the JDK), that it is idempotent, how it
 * rotates, and what it asks kubectl to do (a stand-in kubectl records the calls; the recorded caBundle patch is
 * applied to the rendered MutatingWebhookConfiguration).
 */
class CertsScriptTest {

    private static final List<String> SERVICE_NAMES = List.of(
            "oci-mirror-webhook",
            "oci-mirror-webhook.oci-mirror-system",
            "oci-mirror-webhook.oci-mirror-system.svc",
            "oci-mirror-webhook.oci-mirror-system.svc.cluster.local");

    /**
     * PATH entries: everything on this machine but kubectl (generate must not need it), or but openssl. Kept
     * under target/ rather than in a JUnit temporary directory, which warns about every link it deletes.
     */
    private static final Path WITHOUT_KUBECTL = Path.of("target", "deploy-tests", "path-without-kubectl");
    private static final Path WITHOUT_OPENSSL = Path.of("target", "deploy-tests", "path-without-openssl");

    private static Path withoutKubectl;
    private static Path withoutOpenssl;

    @TempDir
    Path work;

    @BeforeAll
    static void preparePaths() {
        Tools.openssl();
        withoutKubectl = Tools.pathWithout(WITHOUT_KUBECTL, Set.of("kubectl"));
        withoutOpenssl = Tools.pathWithout(WITHOUT_OPENSSL, Set.of("openssl"));
    }

    // --- generate ----------------------------------------------------------------------------------------------

    @Test
    void generateWorksWithoutKubectl() {
        Tools.Result result = script(withoutKubectl, "generate", "--dir", dir(), "--dns", "localhost", "--ip", "127.0.0.1");
        assertEquals(0, result.exitCode(), result.output());
        for (String file : List.of("ca.key", "ca.crt", "ca-bundle.crt", "tls.key", "tls.crt")) {
            assertTrue(Files.isRegularFile(work.resolve(file)), file);
        }
    }

    @Test
    void servingCertificateChainsToTheCa() {
        generate("--dns", "localhost", "--ip", "127.0.0.1");
        Tools.Result verify = openssl("verify", "-CAfile", file("ca.crt"), file("tls.crt"));
        assertEquals(0, verify.exitCode(), verify.output());
        assertTrue(verify.stdout().contains(": OK"), verify.output());
    }

    static Stream<Arguments> names() {
        return Stream.concat(SERVICE_NAMES.stream().map(n -> Arguments.of(n, "-checkhost")),
                Stream.of(Arguments.of("localhost", "-checkhost"), Arguments.of("127.0.0.1", "-checkip")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void servingCertificateCarriesTheName(String name, String check) {
        generate("--dns", "localhost", "--ip", "127.0.0.1");
        Tools.Result result = openssl("x509", "-noout", "-in", file("tls.crt"), check, name);
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains(" does match certificate"), result.output());
    }

    @Test
    void certificatesHaveTheRightShape() throws Exception {
        generate("--dns", "localhost", "--ip", "127.0.0.1");
        X509Certificate ca = certificates("ca.crt").get(0);
        X509Certificate serving = certificates("tls.crt").get(0);
        Set<String> names = new HashSet<>();
        for (List<?> name : serving.getSubjectAlternativeNames()) {
            names.add(name.get(1).toString());
        }
        Set<String> expected = new HashSet<>(SERVICE_NAMES);
        expected.addAll(Set.of("localhost", "127.0.0.1"));
        assertAll(
                () -> assertEquals(expected, names, "exactly the Service names plus the extra ones"),
                () -> assertTrue(ca.getBasicConstraints() >= 0, "the CA is a CA"),
                () -> assertEquals(-1, serving.getBasicConstraints(), "the serving certificate is not a CA"),
                () -> assertEquals(List.of("1.3.6.1.5.5.7.3.1"), serving.getExtendedKeyUsage(), "serverAuth only"),
                () -> assertEquals(ca.getSubjectX500Principal(), serving.getIssuerX500Principal()),
                () -> assertEquals("rw-------", posixMode("ca.key"), "the CA key is private"),
                () -> assertEquals("rw-------", posixMode("tls.key"), "the serving key is private"));
        serving.verify(ca.getPublicKey());
    }

    @Test
    void namespaceAndServiceCanBeChanged() throws Exception {
        generate("--namespace", "platform", "--service", "mirror-hook");
        Set<String> names = new HashSet<>();
        for (List<?> name : certificates("tls.crt").get(0).getSubjectAlternativeNames()) {
            names.add(name.get(1).toString());
        }
        assertEquals(Set.of("mirror-hook", "mirror-hook.platform", "mirror-hook.platform.svc",
                "mirror-hook.platform.svc.cluster.local"), names);
    }

    @Test
    void generatingAgainKeepsEverything() throws Exception {
        generate("--dns", "localhost", "--ip", "127.0.0.1");
        Map<String, byte[]> before = contents();
        Tools.Result again = script(withoutKubectl, "generate", "--dir", dir(), "--dns", "localhost", "--ip", "127.0.0.1");
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.stderr().contains("keeping the serving certificate"), again.output());
        Map<String, byte[]> after = contents();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((file, bytes) -> assertArrayEquals(bytes, after.get(file), file + " unchanged"));
    }

    @Test
    void aNewNameReissuesTheServingCertificateWithTheSameCa() throws Exception {
        generate("--dns", "localhost");
        Map<String, byte[]> before = contents();
        generate("--dns", "localhost", "--dns", "webhook.example.test");
        Map<String, byte[]> after = contents();
        assertArrayEquals(before.get("ca.crt"), after.get("ca.crt"), "same CA");
        assertFalse(java.util.Arrays.equals(before.get("tls.crt"), after.get("tls.crt")), "new certificate");
        Tools.Result check = openssl("x509", "-noout", "-in", file("tls.crt"), "-checkhost", "webhook.example.test");
        assertTrue(check.stdout().contains(" does match certificate"), check.output());
    }

    @Test
    void renewIssuesANewServingCertificateAndKeyWithTheSameCa() throws Exception {
        generate();
        Map<String, byte[]> before = contents();
        X509Certificate old = certificates("tls.crt").get(0);
        generate("--renew");
        Map<String, byte[]> after = contents();
        X509Certificate renewed = certificates("tls.crt").get(0);
        assertAll(
                () -> assertArrayEquals(before.get("ca.crt"), after.get("ca.crt"), "same CA"),
                () -> assertArrayEquals(before.get("ca.key"), after.get("ca.key"), "same CA key"),
                () -> assertArrayEquals(before.get("ca-bundle.crt"), after.get("ca-bundle.crt"), "same bundle"),
                () -> assertNotEquals(old.getSerialNumber(), renewed.getSerialNumber(), "new serial"),
                () -> assertFalse(java.util.Arrays.equals(before.get("tls.key"), after.get("tls.key")), "new key"));
        assertEquals(0, openssl("verify", "-CAfile", file("ca.crt"), file("tls.crt")).exitCode());
    }

    @Test
    void renewingTheCaKeepsThePreviousOneInTheBundle() throws Exception {
        generate();
        X509Certificate oldCa = certificates("ca.crt").get(0);
        generate("--renew-ca");
        X509Certificate newCa = certificates("ca.crt").get(0);
        List<X509Certificate> bundle = certificates("ca-bundle.crt");
        assertAll(
                () -> assertNotEquals(oldCa, newCa, "a new CA"),
                () -> assertEquals(List.of(newCa, oldCa), bundle, "bundle = new CA + previous CA"),
                () -> assertEquals(oldCa, certificates("ca-previous.crt").get(0)),
                () -> assertEquals(0, openssl("verify", "-CAfile", file("ca.crt"), file("tls.crt")).exitCode(),
                        "the serving certificate is issued by the new CA"),
                () -> assertNotEquals(0, openssl("verify", "-CAfile", file("ca-previous.crt"), file("tls.crt")).exitCode(),
                        "not by the old one"),
                () -> assertEquals(0, openssl("verify", "-CAfile", file("ca-bundle.crt"), file("tls.crt")).exitCode(),
                        "the bundle trusts it"));
    }

    // --- errors and help ---------------------------------------------------------------------------------------

    @Test
    void missingOpensslIsExplained() {
        Tools.Result result = script(withoutOpenssl, "generate", "--dir", dir());
        assertNotEquals(0, result.exitCode());
        assertTrue(result.stderr().contains("openssl is not installed") && result.stderr().contains("apt-get install openssl"),
                result.output());
    }

    @Test
    void missingKubectlIsExplained() {
        Tools.Result result = script(withoutKubectl, "install", "--dir", dir());
        assertNotEquals(0, result.exitCode());
        assertTrue(result.stderr().contains("kubectl is not installed") && result.stderr().contains("'install' needs it")
                && result.stderr().contains("'generate' works without kubectl"), result.output());
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                // case, arguments, part of the error
                Arguments.of("unknown command", List.of("sign"), "unknown command 'sign'"),
                Arguments.of("unknown option", List.of("generate", "--bogus"), "unknown option '--bogus'"),
                Arguments.of("option without value", List.of("generate", "--dns"), "--dns needs a value"),
                Arguments.of("days not a number", List.of("generate", "--days", "ten"), "--days needs a whole number"),
                Arguments.of("CA shorter than the certificate", List.of("generate", "--ca-days", "100"),
                        "--ca-days (100) must be more than"),
                Arguments.of("bad namespace", List.of("generate", "--namespace", "Kube_System"), "not a namespace name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void badCommandLinesFailWithAMessage(String name, List<String> arguments, String error) {
        Tools.Result result = script(withoutKubectl, arguments.toArray(String[]::new));
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.stderr().contains(error), result.output());
    }

    @Test
    void helpDescribesEveryCommand() {
        Tools.Result result = script(withoutKubectl, "--help");
        assertEquals(0, result.exitCode(), result.output());
        for (String command : List.of("generate", "install", "rotate", "finish-ca-rotation", "show", "--dns", "--ip")) {
            assertTrue(result.stdout().contains(command), command);
        }
    }

    // --- install, rotate, finish-ca-rotation (stand-in kubectl) ------------------------------------------------

    @Test
    void installPatchesEveryWebhookBeforeUpdatingTheSecret() throws Exception {
        FakeCluster cluster = new FakeCluster();
        Tools.Result result = cluster.script("install");
        assertEquals(0, result.exitCode(), result.output());

        List<String> calls = cluster.calls();
        int patch = indexOf(calls, "patch mutatingwebhookconfiguration oci-mirror-webhook --type=json");
        int secret = indexOf(calls, "apply -f -");
        assertTrue(patch < secret, "the bundle is patched before the Secret changes: " + calls);
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("create secret tls oci-mirror-webhook-tls "
                + "--namespace oci-mirror-system") && c.endsWith("--dry-run=client -o yaml")), calls.toString());

        MutatingWebhookConfiguration patched = cluster.applyPatch(0);
        byte[] bundle = Files.readAllBytes(work.resolve("ca-bundle.crt"));
        assertEquals(cluster.base.one(MutatingWebhookConfiguration.class).getWebhooks().size(),
                patched.getWebhooks().size(), "every webhook entry");
        for (MutatingWebhook webhook : patched.getWebhooks()) {
            assertArrayEquals(bundle, Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle()),
                    webhook.getName() + " has the bundle");
        }

        Secret applied = cluster.appliedSecret(0);
        String mounted = cluster.base.one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null).map(v -> v.getSecret().getSecretName()).findFirst().orElseThrow();
        assertAll(
                () -> assertEquals("kubernetes.io/tls", applied.getType()),
                () -> assertEquals(mounted, applied.getMetadata().getName(), "the Secret the Deployment mounts"),
                () -> assertEquals("oci-mirror-system", applied.getMetadata().getNamespace()),
                () -> assertArrayEquals(Files.readAllBytes(work.resolve("tls.crt")),
                        Base64.getDecoder().decode(applied.getData().get("tls.crt"))),
                () -> assertArrayEquals(Files.readAllBytes(work.resolve("tls.key")),
                        Base64.getDecoder().decode(applied.getData().get("tls.key"))));
    }

    @Test
    void bundlePatchRefusesAReorderedWebhookList() throws Exception {
        FakeCluster cluster = new FakeCluster();
        assertEquals(0, cluster.script("install").exitCode());
        JsonNode configuration = cluster.webhookConfigurationJson();
        JsonNode reordered = configuration.deepCopy();
        var webhooks = (com.fasterxml.jackson.databind.node.ArrayNode) reordered.get("webhooks");
        JsonNode first = webhooks.remove(0);
        webhooks.add(first);
        assertThrows(JsonPatchApplicationException.class, () -> JsonPatch.apply(cluster.patch(0), reordered),
                "the test operations guard the positions");
    }

    @Test
    void rotateRenewsTheServingCertificateAndKeepsTheBundle() throws Exception {
        FakeCluster cluster = new FakeCluster();
        assertEquals(0, cluster.script("install").exitCode());
        Secret first = cluster.appliedSecret(0);
        Tools.Result rotate = cluster.script("rotate");
        assertEquals(0, rotate.exitCode(), rotate.output());
        Secret second = cluster.appliedSecret(1);
        assertNotEquals(first.getData().get("tls.crt"), second.getData().get("tls.crt"), "a new certificate");
        assertEquals(cluster.bundles(0), cluster.bundles(1), "the same CA bundle");
    }

    @Test
    void caRotationTrustsBothCasUntilFinished() throws Exception {
        FakeCluster cluster = new FakeCluster();
        assertEquals(0, cluster.script("install").exitCode());
        X509Certificate oldCa = certificates("ca.crt").get(0);

        Tools.Result rotate = cluster.script("rotate", "--ca");
        assertEquals(0, rotate.exitCode(), rotate.output());
        X509Certificate newCa = certificates("ca.crt").get(0);
        assertEquals(List.of(newCa, oldCa), cluster.bundles(1), "during the rotation the API server trusts both");

        Tools.Result finish = cluster.script("finish-ca-rotation");
        assertEquals(0, finish.exitCode(), finish.output());
        assertEquals(List.of(newCa), cluster.bundles(2), "afterwards only the new CA");
        assertFalse(Files.exists(work.resolve("ca-previous.crt")));
    }

    @Test
    void finishingRefusesWhileTheSecretHoldsAnotherCertificate() throws Exception {
        FakeCluster cluster = new FakeCluster();
        assertEquals(0, cluster.script("install").exitCode());
        // A new CA and certificate made locally but never installed.
        generate("--renew-ca");
        Tools.Result finish = cluster.script("finish-ca-rotation");
        assertNotEquals(0, finish.exitCode());
        assertTrue(finish.stderr().contains("does not hold"), finish.output());
        assertTrue(Files.exists(work.resolve("ca-previous.crt")), "the previous CA is still trusted");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** A stand-in cluster: fake kubectl first on PATH, holding the rendered base's webhook names. */
    private final class FakeCluster {

        final Path bin = work.resolve("fake-bin");
        final Path state = work.resolve("fake-state");
        final Manifests base = Manifests.render(Project.BASE);
        final ObjectMapper mapper = new ObjectMapper();
        final KubernetesSerialization serialization = new KubernetesSerialization();

        FakeCluster() throws IOException {
            Files.createDirectories(bin);
            Files.createDirectories(state);
            Files.copy(Project.FAKE_KUBECTL, bin.resolve("kubectl"));
            bin.resolve("kubectl").toFile().setExecutable(true);
            StringBuilder names = new StringBuilder();
            for (MutatingWebhook webhook : base.one(MutatingWebhookConfiguration.class).getWebhooks()) {
                names.append(webhook.getName()).append('\n');
            }
            Files.writeString(state.resolve("webhooks"), names);
        }

        Tools.Result script(String... arguments) {
            List<String> all = new ArrayList<>(List.of(arguments));
            all.addAll(List.of("--dir", dir()));
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("PATH", bin.toAbsolutePath() + ":" + withoutKubectl.toAbsolutePath());
            environment.put("FAKE_KUBECTL_STATE", state.toAbsolutePath().toString());
            return Tools.run(Tools.bash(Project.CERTS_SCRIPT, all.toArray(String[]::new)), environment);
        }

        List<String> calls() throws IOException {
            return Files.readAllLines(state.resolve("calls.log"));
        }

        JsonNode patch(int index) throws IOException {
            return mapper.readTree(state.resolve("patch-" + index + ".json").toFile());
        }

        JsonNode webhookConfigurationJson() {
            return base.documents().stream()
                    .filter(d -> "MutatingWebhookConfiguration".equals(d.path("kind").asText())).findFirst().orElseThrow();
        }

        /** The configuration after the API server applied the recorded JSON patch. */
        MutatingWebhookConfiguration applyPatch(int index) throws IOException {
            JsonNode patched = JsonPatch.apply(patch(index), webhookConfigurationJson());
            return serialization.convertValue(patched, MutatingWebhookConfiguration.class);
        }

        List<X509Certificate> bundles(int index) throws Exception {
            MutatingWebhookConfiguration patched = applyPatch(index);
            List<List<X509Certificate>> bundles = new ArrayList<>();
            for (MutatingWebhook webhook : patched.getWebhooks()) {
                bundles.add(parse(Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle())));
            }
            assertEquals(1, new HashSet<>(bundles).size(), "every webhook has the same bundle");
            return bundles.get(0);
        }

        Secret appliedSecret(int index) {
            return serialization.unmarshal(Project.read(state.resolve("applied-" + index + ".yaml")), Secret.class);
        }
    }

    private String dir() {
        return work.toString();
    }

    private String file(String name) {
        return work.resolve(name).toString();
    }

    private void generate(String... extra) {
        List<String> arguments = new ArrayList<>(List.of("generate", "--dir", dir()));
        arguments.addAll(List.of(extra));
        Tools.Result result = script(withoutKubectl, arguments.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.output());
    }

    private static Tools.Result script(Path path, String... arguments) {
        return Tools.run(Tools.bash(Project.CERTS_SCRIPT, arguments), Tools.pathOnly(path));
    }

    private static Tools.Result openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Tools.openssl()));
        command.addAll(List.of(arguments));
        return Tools.run(command, Map.of());
    }

    private Map<String, byte[]> contents() throws IOException {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(work)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(file)) {
                    contents.put(file.getFileName().toString(), Files.readAllBytes(file));
                }
            }
        }
        return contents;
    }

    private List<X509Certificate> certificates(String name) throws Exception {
        return parse(Files.readAllBytes(work.resolve(name)));
    }

    static List<X509Certificate> parse(byte[] pem) throws Exception {
        try (InputStream in = new java.io.ByteArrayInputStream(pem)) {
            Collection<? extends java.security.cert.Certificate> all =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            return all.stream().map(X509Certificate.class::cast).toList();
        }
    }

    private String posixMode(String name) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve(name)));
    }

    private static int indexOf(List<String> calls, String prefix) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no call starting with '" + prefix + "' in " + calls);
    }
}
