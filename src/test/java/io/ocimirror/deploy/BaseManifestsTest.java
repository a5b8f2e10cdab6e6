package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.ocimirror.config.ConfigurationException;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import io.ocimirror.config.WebhookSettings;
import io.ocimirror.web.MutateResource;
import io.smallrye.config.WithDefault;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/base as kubectl renders it: the invariants an admission webhook needs to be safe in a cluster, and
 * agreement with the application's own configuration (ports, paths, file locations, names).
 */
class BaseManifestsTest {

    private static final String NAMESPACE = "oci-mirror-system";
    private static final String ENABLED_LABEL = "oci-mirror.io/enabled";
    private static final String TLS_SECRET = "oci-mirror-webhook-tls";

    private static Manifests base;

    @BeforeAll
    static void render() {
        manifests();
    }

    // --- inventory ---------------------------------------------------------------------------------------------

    @Test
    void rendersExactlyTheExpectedObjects() {
        Set<String> rendered = new TreeSet<>();
        base.all().forEach(o -> rendered.add(o.getKind() + "/" + o.getMetadata().getName()));
        assertEquals(new TreeSet<>(Set.of(
                "Namespace/oci-mirror-system",
                "ServiceAccount/oci-mirror-webhook",
                "Role/oci-mirror-webhook",
                "RoleBinding/oci-mirror-webhook",
                "ClusterRole/oci-mirror-webhook-events",
                "ClusterRoleBinding/oci-mirror-webhook-events",
                "ConfigMap/oci-mirror-config",
                "Deployment/oci-mirror-webhook",
                "PodDisruptionBudget/oci-mirror-webhook",
                "Service/oci-mirror-webhook",
                "MutatingWebhookConfiguration/oci-mirror-webhook")), rendered);
    }

    @Test
    void namespacedObjectsLiveInTheWebhookNamespace() {
        Set<String> clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration");
        assertAll(base.all().stream().map(o -> () -> {
            String where = o.getKind() + "/" + o.getMetadata().getName();
            if (clusterScoped.contains(o.getKind())) {
                assertNull(o.getMetadata().getNamespace(), where + " is cluster-scoped");
            } else {
                assertEquals(NAMESPACE, o.getMetadata().getNamespace(), where);
            }
        }));
    }

    @Test
    void namespaceEnforcesRestrictedPodSecurityAndIsNotOptedIn() {
        Namespace namespace = base.one(Namespace.class);
        assertEquals(NAMESPACE, namespace.getMetadata().getName());
        Map<String, String> labels = namespace.getMetadata().getLabels();
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
        assertFalse(labels.containsKey(ENABLED_LABEL), "the webhook must not mutate its own pods");
    }

    // --- MutatingWebhookConfiguration --------------------------------------------------------------------------

    static Stream<Arguments> webhooks() {
        return manifests().one(MutatingWebhookConfiguration.class).getWebhooks().stream()
                .map(w -> Arguments.of(w.getName(), w));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webhooks")
    void webhookFailsOpenQuicklyAndDeclaresItsSideEffects(String name, MutatingWebhook webhook) {
        assertAll(
                () -> assertEquals("Ignore", webhook.getFailurePolicy(), "failurePolicy"),
                () -> assertNotNull(webhook.getTimeoutSeconds(), "timeoutSeconds (the default is 10)"),
                () -> assertTrue(webhook.getTimeoutSeconds() >= 1 && webhook.getTimeoutSeconds() <= 5,
                        "timeoutSeconds " + webhook.getTimeoutSeconds() + " must be 1..5"),
                () -> assertEquals("NoneOnDryRun", webhook.getSideEffects(), "sideEffects"),
                () -> assertEquals("IfNeeded", webhook.getReinvocationPolicy(), "reinvocationPolicy"),
                () -> assertEquals(List.of("v1"), webhook.getAdmissionReviewVersions(), "admissionReviewVersions"),
                () -> assertEquals("Equivalent", webhook.getMatchPolicy(), "matchPolicy"),
                () -> assertTrue(name.split("\\.").length >= 3, "a webhook name must be fully qualified: " + name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webhooks")
    void webhookCallsTheServiceOnTheMutatePath(String name, MutatingWebhook webhook) {
        Service service = base.one(Service.class);
        var target = webhook.getClientConfig().getService();
        assertAll(
                () -> assertNull(webhook.getClientConfig().getUrl(), "call the Service, not a URL"),
                () -> assertEquals(service.getMetadata().getName(), target.getName()),
                () -> assertEquals(service.getMetadata().getNamespace(), target.getNamespace()),
                () -> assertEquals(MutateResource.PATH, target.getPath(),
                        "path served by MutateResource"),
                () -> assertEquals(443, target.getPort()),
                () -> assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 443),
                        "the Service exposes the webhook port"),
                // Filled in at install time by certs-scripts or cert-manager; a stale one here would be wrong.
                () -> assertNull(webhook.getClientConfig().getCaBundle(), "no caBundle in the base"));
    }

    @Test
    void webhookRulesCoverPodsAndPluginDefinitionsOnly() {
        Set<String> rules = new TreeSet<>();
        for (MutatingWebhook webhook : base.one(MutatingWebhookConfiguration.class).getWebhooks()) {
            for (RuleWithOperations rule : webhook.getRules()) {
                for (String group : rule.getApiGroups()) {
                    for (String version : rule.getApiVersions()) {
                        for (String resource : rule.getResources()) {
                            rules.add(webhook.getName() + " " + group + "/" + version + " " + resource + " "
                                    + new TreeSet<>(rule.getOperations()) + " " + rule.getScope());
                        }
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of(
                "namespaced.oci-mirror.io /v1 pods [CREATE] Namespaced",
                "namespaced.oci-mirror.io /v1 pods/ephemeralcontainers [UPDATE] Namespaced",
                "namespaced.oci-mirror.io greenhouse.sap/v1alpha1 plugindefinitions [CREATE, UPDATE] Namespaced",
                "cluster-scoped.oci-mirror.io greenhouse.sap/v1alpha1 clusterplugindefinitions [CREATE, UPDATE] Cluster")),
                rules);
    }

    static Stream<Arguments> namespaces() {
        return Stream.of(
                // case, namespace name, its labels, selected?
                Arguments.of("opted-in namespace", "team-a", Map.of(ENABLED_LABEL, "true"), true),
                Arguments.of("namespace without the label", "team-b", Map.of(), false),
                Arguments.of("label set to false", "team-c", Map.of(ENABLED_LABEL, "false"), false),
                Arguments.of("label with another value", "team-d", Map.of(ENABLED_LABEL, "yes"), false),
                Arguments.of("kube-system even when labelled", "kube-system", Map.of(ENABLED_LABEL, "true"), false),
                Arguments.of("the webhook's own namespace even when labelled", NAMESPACE,
                        Map.of(ENABLED_LABEL, "true"), false));
    }

    /** Evaluates the namespaced webhook's namespaceSelector the way the API server does. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("namespaces")
    void namespaceSelectorOptsInByLabelAndExcludesSystemNamespaces(String name, String namespace,
            Map<String, String> labels, boolean selected) {
        MutatingWebhook webhook = webhook("namespaced.oci-mirror.io");
        Map<String, String> withName = new java.util.HashMap<>(labels);
        // Set by the API server on every namespace since Kubernetes 1.21.
        withName.put("kubernetes.io/metadata.name", namespace);
        assertEquals(selected, matches(webhook.getNamespaceSelector(), withName));
    }

    @Test
    void clusterScopedWebhookHasNoSelectors() {
        // namespaceSelector does not apply to cluster-scoped objects; their opt-out is an annotation read by the app.
        MutatingWebhook webhook = webhook("cluster-scoped.oci-mirror.io");
        assertTrue(isEmpty(webhook.getNamespaceSelector()), "namespaceSelector");
        assertTrue(isEmpty(webhook.getObjectSelector()), "objectSelector");
        assertTrue(webhook.getRules().stream().allMatch(r -> "Cluster".equals(r.getScope())));
    }

    // --- Deployment --------------------------------------------------------------------------------------------

    @Test
    void deploymentIsHighlyAvailable() {
        Deployment deployment = base.one(Deployment.class);
        PodDisruptionBudget budget = base.one(PodDisruptionBudget.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        List<WeightedPodAffinityTerm> preferred = deployment.getSpec().getTemplate().getSpec().getAffinity()
                .getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        assertAll(
                () -> assertEquals(2, deployment.getSpec().getReplicas(), "replicas"),
                () -> assertTrue(matches(deployment.getSpec().getSelector(), podLabels), "selector matches pods"),
                () -> assertEquals(new IntOrString(0),
                        deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable(),
                        "a rolling update never drops below the replica count"),
                () -> assertEquals(new IntOrString(1), budget.getSpec().getMinAvailable(), "PDB minAvailable"),
                () -> assertNull(budget.getSpec().getMaxUnavailable(), "PDB sets only minAvailable"),
                () -> assertTrue(matches(budget.getSpec().getSelector(), podLabels), "PDB selects the pods"),
                () -> assertTrue(preferred.stream().anyMatch(term ->
                        "kubernetes.io/hostname".equals(term.getPodAffinityTerm().getTopologyKey())
                                && matches(term.getPodAffinityTerm().getLabelSelector(), podLabels)),
                        "anti-affinity spreads the pods over nodes"));
    }

    @Test
    void podRunsAsNonRootWithNothingPrivileged() {
        PodSpec pod = podSpec();
        PodSecurityContext podSecurity = pod.getSecurityContext();
        SecurityContext container = container().getSecurityContext();
        int imageUser = Project.intProperty("quarkus.jib.user");
        assertAll(
                () -> assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot(), "runAsNonRoot"),
                () -> assertNotNull(podSecurity.getRunAsUser(), "a numeric uid, so runAsNonRoot can be checked"),
                () -> assertTrue(podSecurity.getRunAsUser() > 0, "runAsUser is not root"),
                () -> assertEquals(imageUser, podSecurity.getRunAsUser().intValue(),
                        "runAsUser is the image's user (quarkus.jib.user)"),
                () -> assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType(), "seccomp"),
                () -> assertEquals(Boolean.FALSE, container.getAllowPrivilegeEscalation(), "allowPrivilegeEscalation"),
                () -> assertEquals(Boolean.TRUE, container.getReadOnlyRootFilesystem(), "readOnlyRootFilesystem"),
                () -> assertEquals(List.of("ALL"), container.getCapabilities().getDrop(), "drop all capabilities"),
                () -> assertTrue(isEmpty(container.getCapabilities().getAdd()), "no capability added"),
                () -> assertTrue(container.getPrivileged() == null || !container.getPrivileged(), "not privileged"),
                () -> assertTrue(container.getRunAsUser() == null || container.getRunAsUser() > 0,
                        "the container does not override the uid with root"),
                () -> assertTrue(pod.getHostNetwork() == null || !pod.getHostNetwork(), "no host network"),
                () -> assertTrue(pod.getVolumes().stream().allMatch(v -> v.getHostPath() == null), "no hostPath"));
    }

    @Test
    void temporaryFilesGoToAnEmptyDirBecauseTheRootFilesystemIsReadOnly() {
        VolumeMount tmp = mountAt("/tmp");
        Volume volume = volume(tmp.getName());
        assertNotNull(volume.getEmptyDir(), "/tmp is an emptyDir");
    }

    @Test
    void tlsSecretIsMountedWhereTheApplicationReadsTheCertificate() {
        java.nio.file.Path certFile = java.nio.file.Path.of(Project.property("oci-mirror.tls.cert-file"));
        java.nio.file.Path keyFile = java.nio.file.Path.of(Project.property("oci-mirror.tls.key-file"));
        assertEquals(certFile.getParent(), keyFile.getParent(), "certificate and key in one directory");
        VolumeMount mount = mountAt(certFile.getParent().toString());
        Volume volume = volume(mount.getName());
        assertAll(
                () -> assertEquals(Boolean.TRUE, mount.getReadOnly(), "read-only mount"),
                () -> assertNotNull(volume.getSecret(), "the mount is a Secret volume"),
                () -> assertEquals(TLS_SECRET, volume.getSecret().getSecretName()),
                // A kubernetes.io/tls Secret has the keys tls.crt and tls.key; without items they become file names.
                () -> assertTrue(isEmpty(volume.getSecret().getItems()), "Secret keys used as file names"),
                () -> assertEquals("tls.crt", certFile.getFileName().toString()),
                () -> assertEquals("tls.key", keyFile.getFileName().toString()),
                () -> assertTrue(mount.getSubPath() == null || mount.getSubPath().isEmpty(),
                        "no subPath: a subPath mount never sees a rotated Secret"));
    }

    static Stream<Arguments> probes() {
        Container container = manifests().one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        return Stream.of(
                Arguments.of("liveness", container.getLivenessProbe(), "/q/health/live"),
                Arguments.of("readiness", container.getReadinessProbe(), "/q/health/ready"),
                Arguments.of("startup", container.getStartupProbe(), "/q/health/started"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void probesAskTheManagementInterface(String name, Probe probe, String path) {
        assertNotNull(probe, name + " probe");
        HTTPGetAction get = probe.getHttpGet();
        assertAll(
                () -> assertEquals(path, get.getPath()),
                () -> assertTrue(get.getScheme() == null || "HTTP".equals(get.getScheme()), "plain HTTP"),
                () -> assertEquals(Project.intProperty("quarkus.management.port"), containerPort(get.getPort()),
                        "quarkus.management.port"));
    }

    @Test
    void containerPortsAreTheApplicationPorts() {
        assertAll(
                () -> assertEquals(Project.intProperty("quarkus.http.ssl-port"), containerPort(new IntOrString("https"))),
                () -> assertEquals(Project.intProperty("quarkus.management.port"),
                        containerPort(new IntOrString("metrics"))));
    }

    @Test
    void memoryLimitFitsTheJvmFlags() {
        var resources = container().getResources();
        long request = bytes(resources.getRequests().get("memory"));
        long limit = bytes(resources.getLimits().get("memory"));
        String options = env("JAVA_TOOL_OPTIONS");
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(options);
        assertTrue(percentage.find(), "JAVA_TOOL_OPTIONS sets -XX:MaxRAMPercentage: " + options);
        double heap = limit * Double.parseDouble(percentage.group(1)) / 100;
        assertAll(
                () -> assertNotNull(resources.getRequests().get("cpu"), "cpu request"),
                () -> assertTrue(limit >= request, "memory limit >= request"),
                () -> assertTrue(heap >= 128 * MIB, "heap " + heap / MIB + " MiB is enough for the webhook"),
                // Metaspace (~70 MiB for this application), code cache, thread stacks and Netty buffers live outside
                // the heap; the kernel kills the container when heap plus these exceed the limit.
                () -> assertTrue(limit - heap >= 150 * MIB, "non-heap room " + (limit - heap) / MIB + " MiB"),
                () -> assertTrue(options.contains("-XX:+ExitOnOutOfMemoryError"), "exit on OutOfMemoryError"),
                () -> assertFalse(options.contains("-Xmx"), "no -Xmx next to MaxRAMPercentage"));
    }

    @Test
    void configMapNamespaceIsThePodsOwn() {
        EnvVar namespace = container().getEnv().stream()
                .filter(e -> "OCI_MIRROR_CONFIGMAP_NAMESPACE".equals(e.getName())).findFirst().orElseThrow();
        assertEquals("metadata.namespace", namespace.getValueFrom().getFieldRef().getFieldPath());
    }

    @Test
    void imageIsTheOneJibBuilds() {
        assertEquals(Project.property("quarkus.container-image.name") + ":" + Project.version(), container().getImage());
        assertTrue(Project.property("quarkus.jib.ports").contains(String.valueOf(Project.intProperty("quarkus.http.ssl-port"))),
                "the image exposes the HTTPS port");
    }

    // --- Service -----------------------------------------------------------------------------------------------

    static Stream<Arguments> servicePorts() {
        return Stream.of(
                // Service port name, its port, the application property for the container port behind it
                Arguments.of("https", 443, "quarkus.http.ssl-port"),
                Arguments.of("metrics", 9000, "quarkus.management.port"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servicePorts")
    void servicePortsReachTheApplicationPorts(String name, int port, String property) {
        Service service = base.one(Service.class);
        ServicePort servicePort = service.getSpec().getPorts().stream().filter(p -> name.equals(p.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no Service port " + name));
        assertAll(
                () -> assertEquals(port, servicePort.getPort()),
                () -> assertEquals(Project.intProperty(property), containerPort(servicePort.getTargetPort())),
                () -> assertTrue(matches(new LabelSelector(null, service.getSpec().getSelector()),
                        base.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels()),
                        "the Service selects the webhook pods"));
    }

    // --- RBAC --------------------------------------------------------------------------------------------------

    @Test
    void noRuleUsesWildcards() {
        List<PolicyRule> rules = new ArrayList<>();
        base.all(Role.class).forEach(r -> rules.addAll(r.getRules()));
        base.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        assertAll(rules.stream().map(rule -> () -> {
            for (List<String> values : List.of(rule.getVerbs(), rule.getResources(), rule.getApiGroups())) {
                assertFalse(values.contains("*"), "wildcard in " + rule);
            }
            assertTrue(isEmpty(rule.getNonResourceURLs()), "no URLs: " + rule);
        }));
    }

    @Test
    void roleReadsOnlyItsOwnConfigMapAndTheCredentialsSecret() throws Exception {
        Role role = base.one(Role.class);
        ConfigMap configMap = base.one(ConfigMap.class);
        MirrorConfiguration mirrors = mirrorConfiguration(configMap);
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            assertEquals(List.of(""), rule.getApiGroups(), "core group only: " + rule);
            assertTrue(Set.of("get", "list", "watch").containsAll(rule.getVerbs()), "read-only verbs: " + rule);
            assertFalse(isEmpty(rule.getResourceNames()), "every rule is limited by name: " + rule);
            for (String resource : rule.getResources()) {
                for (String name : rule.getResourceNames()) {
                    grants.add(resource + "/" + name);
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of(
                "configmaps/" + configMap.getMetadata().getName(),
                "secrets/" + mirrors.secretName().orElseThrow())), grants);
    }

    @Test
    void clusterRoleOnlyRecordsEvents() {
        ClusterRole role = base.one(ClusterRole.class);
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            assertTrue(isEmpty(rule.getResourceNames()), "Event names are generated");
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    grants.add(group + "/" + resource + " " + new TreeSet<>(rule.getVerbs()));
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of("/events [create, patch]", "events.k8s.io/events [create, patch]")), grants);
    }

    @Test
    void bindingsGrantTheRolesToTheWebhookServiceAccountOnly() {
        ServiceAccount account = base.one(ServiceAccount.class);
        String podAccount = podSpec().getServiceAccountName();
        RoleBinding binding = base.one(RoleBinding.class);
        ClusterRoleBinding clusterBinding = base.one(ClusterRoleBinding.class);
        Subject expected = new Subject(null, "ServiceAccount", account.getMetadata().getName(), NAMESPACE);
        assertAll(
                () -> assertEquals(account.getMetadata().getName(), podAccount, "the pod runs as the ServiceAccount"),
                () -> assertEquals(List.of(expected), binding.getSubjects()),
                () -> assertEquals(List.of(expected), clusterBinding.getSubjects()),
                () -> assertEquals("Role", binding.getRoleRef().getKind()),
                () -> assertEquals(base.one(Role.class).getMetadata().getName(), binding.getRoleRef().getName()),
                () -> assertEquals("ClusterRole", clusterBinding.getRoleRef().getKind()),
                () -> assertEquals(base.one(ClusterRole.class).getMetadata().getName(),
                        clusterBinding.getRoleRef().getName()));
    }

    // --- mirror configuration ----------------------------------------------------------------------------------

    @Test
    void configMapIsTheOneTheApplicationWatches() throws Exception {
        ConfigMap configMap = base.one(ConfigMap.class);
        String name = WebhookSettings.ConfigMap.class.getMethod("name").getAnnotation(WithDefault.class).value();
        String key = WebhookSettings.ConfigMap.class.getMethod("key").getAnnotation(WithDefault.class).value();
        assertEquals(name, configMap.getMetadata().getName(), "oci-mirror.configmap.name default");
        assertEquals(Set.of(key), configMap.getData().keySet(), "oci-mirror.configmap.key default");
        assertFalse(mirrorConfiguration(configMap).mirrors().isEmpty());
    }

    @Test
    void mirrorConfigurationIsTheExample() throws Exception {
        // kustomize cannot read files outside deploy/base, so the example is copied there; this keeps them one.
        String example = Files.readString(Project.EXAMPLE_MIRROR_CONFIG);
        String copy = Files.readString(Project.BASE.resolve("mirror-config.yaml"));
        assertEquals(example, copy, "deploy/base/mirror-config.yaml differs from examples/mirror-config.yaml;"
                + " run: cp examples/mirror-config.yaml deploy/base/mirror-config.yaml");
        assertEquals(example, base.one(ConfigMap.class).getData().get("containerRegistryConfig"),
                "the ConfigMap carries the file unchanged");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static final long MIB = 1024 * 1024;

    /** For the @MethodSource factories: the rendered base, whichever runs first. */
    private static synchronized Manifests manifests() {
        if (base == null) {
            base = Manifests.render(Project.BASE);
        }
        return base;
    }

    private static MutatingWebhook webhook(String name) {
        return base.one(MutatingWebhookConfiguration.class).getWebhooks().stream()
                .filter(w -> name.equals(w.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no webhook " + name));
    }

    private static PodSpec podSpec() {
        return base.one(Deployment.class).getSpec().getTemplate().getSpec();
    }

    private static Container container() {
        List<Container> containers = podSpec().getContainers();
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    private static String env(String name) {
        return container().getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue)
                .filter(Objects::nonNull).findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static VolumeMount mountAt(String path) {
        return container().getVolumeMounts().stream().filter(m -> path.equals(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private static Volume volume(String name) {
        return podSpec().getVolumes().stream().filter(v -> name.equals(v.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The container port number a probe or Service targetPort refers to, by number or by name. */
    private static int containerPort(IntOrString port) {
        if (port.getIntVal() != null) {
            assertTrue(container().getPorts().stream().anyMatch(p -> p.getContainerPort().equals(port.getIntVal())),
                    "port " + port.getIntVal() + " is declared by the container");
            return port.getIntVal();
        }
        return container().getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    private static long bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).setScale(0, java.math.RoundingMode.UNNECESSARY).longValueExact();
    }

    private static MirrorConfiguration mirrorConfiguration(ConfigMap configMap) throws ConfigurationException {
        return new MirrorConfigurationParser().parse(configMap.getData().get("containerRegistryConfig"));
    }

    private static boolean isEmpty(LabelSelector selector) {
        return selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && isEmpty(selector.getMatchExpressions()));
    }

    /** fabric8 reads an absent list as an empty one. */
    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    /** Label selector semantics (k8s.io/apimachinery labels.Selector): every term must hold. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> label : selector.getMatchLabels().entrySet()) {
                if (!label.getValue().equals(labels.get(label.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = labels.get(requirement.getKey());
                Set<String> values = new HashSet<>(requirement.getValues() == null ? List.of() : requirement.getValues());
                boolean holds = switch (requirement.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new AssertionError("unknown operator " + requirement.getOperator());
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }
}
