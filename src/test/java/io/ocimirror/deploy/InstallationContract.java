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
import io.ocimirror.rescue.RescueSettings;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.web.AdmissionRoute;
import io.smallrye.config.WithDefault;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every way of installing the webhook (the kustomize base, the Helm chart) must render: the invariants an
 * admission webhook needs to be safe in a cluster, and agreement with the application's own configuration (ports,
 * paths, file locations, names). A subclass names the rendered objects and the namespace they are installed in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InstallationContract {

    static final String ENABLED_LABEL = "oci-mirror.io/enabled";
    static final String SKIP_LABEL = "oci-mirror.io/skip";
    static final String TLS_SECRET = "oci-mirror-webhook-tls";
    static final String RESCUE_SUFFIX = "-rescue";
    static final String WARM_AHEAD_SUFFIX = "-warm-ahead";

    /** The rendered objects, read strictly. */
    abstract Manifests manifests();

    /** The namespace the webhook is installed in. */
    abstract String namespace();

    @Test
    void namespacedObjectsLiveInTheWebhookNamespace() {
        Set<String> clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration");
        assertAll(manifests().all().stream().map(o -> () -> {
            String where = o.getKind() + "/" + o.getMetadata().getName();
            if (clusterScoped.contains(o.getKind())) {
                assertNull(o.getMetadata().getNamespace(), where + " is cluster-scoped");
            } else {
                assertEquals(namespace(), o.getMetadata().getNamespace(), where);
            }
        }));
    }

    // --- MutatingWebhookConfiguration --------------------------------------------------------------------------

    Stream<Arguments> webhooks() {
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
        Service service = manifests().one(Service.class);
        var target = webhook.getClientConfig().getService();
        assertAll(
                () -> assertNull(webhook.getClientConfig().getUrl(), "call the Service, not a URL"),
                () -> assertEquals(service.getMetadata().getName(), target.getName()),
                () -> assertEquals(service.getMetadata().getNamespace(), target.getNamespace()),
                () -> assertEquals(name.startsWith("observe.") ? AdmissionRoute.OBSERVE_PATH : AdmissionRoute.PATH,
                        target.getPath(), "path served by AdmissionRoute"),
                () -> assertEquals(443, target.getPort()),
                () -> assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 443),
                        "the Service exposes the webhook port"));
    }

    @Test
    void webhookRulesCoverPodsAndPluginDefinitionsOnly() {
        Set<String> rules = new TreeSet<>();
        for (MutatingWebhook webhook : manifests().one(MutatingWebhookConfiguration.class).getWebhooks()) {
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
                "observe.oci-mirror.io /v1 pods [CREATE] Namespaced",
                "observe.oci-mirror.io /v1 pods/ephemeralcontainers [UPDATE] Namespaced",
                "observe.oci-mirror.io greenhouse.sap/v1alpha1 plugindefinitions [CREATE, UPDATE] Namespaced",
                "cluster-scoped.oci-mirror.io greenhouse.sap/v1alpha1 clusterplugindefinitions [CREATE, UPDATE] Cluster")),
                rules);
    }

    Stream<Arguments> namespaces() {
        return Stream.of(
                // case, namespace name, its labels, selected?
                Arguments.of("opted-in namespace", "team-a", Map.of(ENABLED_LABEL, "true"), true),
                Arguments.of("namespace without the label", "team-b", Map.of(), false),
                Arguments.of("label set to false", "team-c", Map.of(ENABLED_LABEL, "false"), false),
                Arguments.of("label with another value", "team-d", Map.of(ENABLED_LABEL, "yes"), false),
                Arguments.of("kube-system even when labelled", "kube-system", Map.of(ENABLED_LABEL, "true"), false),
                Arguments.of("the webhook's own namespace even when labelled", namespace(),
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
    void clusterScopedWebhookHasNoNamespaceSelector() {
        // namespaceSelector does not apply to cluster-scoped objects; their opt-out is the label or the annotation.
        MutatingWebhook webhook = webhook("cluster-scoped.oci-mirror.io");
        assertTrue(isEmpty(webhook.getNamespaceSelector()), "namespaceSelector");
        assertTrue(webhook.getRules().stream().allMatch(r -> "Cluster".equals(r.getScope())));
    }

    Stream<Arguments> objectLabels() {
        List<Arguments> cases = new ArrayList<>();
        for (MutatingWebhook webhook : manifests().one(MutatingWebhookConfiguration.class).getWebhooks()) {
            // webhook, case, the object's labels, sent to the webhook?
            cases.add(Arguments.of(webhook.getName(), "no labels", Map.of(), true));
            cases.add(Arguments.of(webhook.getName(), "other labels", Map.of("app", "web"), true));
            cases.add(Arguments.of(webhook.getName(), "opted out", Map.of(SKIP_LABEL, "true"), false));
            cases.add(Arguments.of(webhook.getName(), "skip label false", Map.of(SKIP_LABEL, "false"), true));
        }
        return cases.stream();
    }

    /** Evaluates each webhook's objectSelector the way the API server does: an opted-out object is never sent. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("objectLabels")
    void objectSelectorLeavesOutObjectsLabelledSkip(String name, String description, Map<String, String> labels,
            boolean sent) {
        assertEquals(sent, matches(webhook(name).getObjectSelector(), labels));
    }

    // --- Deployment --------------------------------------------------------------------------------------------

    @Test
    void deploymentIsHighlyAvailable() {
        Deployment deployment = manifests().one(Deployment.class);
        PodDisruptionBudget budget = manifests().one(PodDisruptionBudget.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        List<WeightedPodAffinityTerm> preferred = deployment.getSpec().getTemplate().getSpec().getAffinity()
                .getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        assertAll(
                () -> assertTrue(deployment.getSpec().getReplicas() >= 2, "replicas"),
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

    Stream<Arguments> probes() {
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
        String image = container().getImage();
        String nameAndTag = Project.property("quarkus.container-image.name") + ":" + Project.version();
        assertTrue(image.equals(nameAndTag) || image.endsWith("/" + nameAndTag), image + " is " + nameAndTag);
        assertTrue(Project.property("quarkus.jib.ports").contains(String.valueOf(Project.intProperty("quarkus.http.ssl-port"))),
                "the image exposes the HTTPS port");
    }

    // --- Service -----------------------------------------------------------------------------------------------

    Stream<Arguments> servicePorts() {
        return Stream.of(
                // Service port name, its port, the application property for the container port behind it
                Arguments.of("https", 443, "quarkus.http.ssl-port"),
                Arguments.of("metrics", 9000, "quarkus.management.port"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servicePorts")
    void servicePortsReachTheApplicationPorts(String name, int port, String property) {
        Service service = manifests().one(Service.class);
        ServicePort servicePort = service.getSpec().getPorts().stream().filter(p -> name.equals(p.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no Service port " + name));
        assertAll(
                () -> assertEquals(port, servicePort.getPort()),
                () -> assertEquals(Project.intProperty(property), containerPort(servicePort.getTargetPort())),
                () -> assertTrue(matches(new LabelSelector(null, service.getSpec().getSelector()),
                        manifests().one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels()),
                        "the Service selects the webhook pods"));
    }

    // --- RBAC --------------------------------------------------------------------------------------------------

    @Test
    void noRuleUsesWildcards() {
        List<PolicyRule> rules = new ArrayList<>();
        manifests().all(Role.class).forEach(r -> rules.addAll(r.getRules()));
        manifests().all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        assertAll(rules.stream().map(rule -> () -> {
            for (List<String> values : List.of(rule.getVerbs(), rule.getResources(), rule.getApiGroups())) {
                assertFalse(values.contains("*"), "wildcard in " + rule);
            }
            assertTrue(isEmpty(rule.getNonResourceURLs()), "no URLs: " + rule);
        }));
    }

    @Test
    void roleReadsOnlyItsOwnConfigMapAndTheCredentialsSecret() throws Exception {
        Role role = manifests().all(Role.class).stream()
                .filter(r -> !r.getMetadata().getName().endsWith(RESCUE_SUFFIX)).findFirst()
                .orElseThrow(() -> new AssertionError("no Role for the ConfigMap"));
        ConfigMap configMap = manifests().one(ConfigMap.class);
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
        String watched = "configmaps/" + configMap.getMetadata().getName();
        assertAll(
                () -> assertTrue(grants.contains(watched), "reads " + watched + ": " + grants),
                () -> mirrors.secretName().ifPresent(secret -> assertTrue(grants.contains("secrets/" + secret),
                        "reads the credentials Secret " + secret + ": " + grants)),
                () -> assertTrue(grants.stream().allMatch(g -> g.equals(watched) || g.startsWith("secrets/")),
                        "no other ConfigMap: " + grants),
                () -> assertTrue(grants.size() <= 2, "at most the ConfigMap and one Secret: " + grants));
    }

    @Test
    void clusterRoleOnlyRecordsEvents() {
        ClusterRole role = manifests().all(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith("-events")).findFirst()
                .orElseThrow(() -> new AssertionError("no ClusterRole *-events"));
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

    /**
     * The pull-failure rescue: read and patch Pods anywhere, and its own Lease in the webhook's namespace: the one the
     * Deployment names ({@code OCI_MIRROR_RESCUE_LEASE_NAME}), else the webhook's default.
     */
    @Test
    void rescueRolesPatchPodsAndHoldTheLeaseOnly() {
        Set<String> grants = new TreeSet<>();
        manifests().all(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().endsWith(RESCUE_SUFFIX))
                .forEach(r -> grants.addAll(grants("ClusterRole", r.getRules())));
        manifests().all(Role.class).stream().filter(r -> r.getMetadata().getName().endsWith(RESCUE_SUFFIX))
                .forEach(r -> grants.addAll(grants("Role", r.getRules())));
        String lease = manifests().one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().stream().filter(env -> env.getName().equals("OCI_MIRROR_RESCUE_LEASE_NAME"))
                .map(EnvVar::getValue).findFirst().orElse(defaultOf("leaseName"));
        assertEquals(new TreeSet<>(Set.of(
                        "ClusterRole /pods [get, list, watch, patch] *",
                        "Role coordination.k8s.io/leases [create] *",
                        "Role coordination.k8s.io/leases [get, update] " + lease)),
                grants);
    }

    /** Warm ahead: read the opted-in Namespaces and the workload kinds whose templates make Pods; nothing else. */
    @Test
    void warmAheadRoleReadsNamespacesAndWorkloadTemplatesOnly() {
        Set<String> grants = new TreeSet<>();
        manifests().all(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith(WARM_AHEAD_SUFFIX))
                .forEach(r -> grants.addAll(grants("ClusterRole", r.getRules())));
        assertEquals(new TreeSet<>(Set.of(
                        "ClusterRole /namespaces [get, list, watch] *",
                        "ClusterRole apps/daemonsets [get, list, watch] *",
                        "ClusterRole apps/deployments [get, list, watch] *",
                        "ClusterRole apps/replicasets [get, list, watch] *",
                        "ClusterRole apps/statefulsets [get, list, watch] *",
                        "ClusterRole batch/cronjobs [get, list, watch] *",
                        "ClusterRole batch/jobs [get, list, watch] *")),
                grants);
    }

    private static Set<String> grants(String kind, List<PolicyRule> rules) {
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : rules) {
            String names = isEmpty(rule.getResourceNames()) ? "*" : String.join(",", rule.getResourceNames());
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    grants.add(kind + " " + group + "/" + resource + " " + rule.getVerbs() + " " + names);
                }
            }
        }
        return grants;
    }

    private static String defaultOf(String setting) {
        try {
            return RescueSettings.class.getMethod(setting).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bindingsGrantTheRolesToTheWebhookServiceAccountOnly() {
        ServiceAccount account = manifests().one(ServiceAccount.class);
        Subject expected = new Subject(null, "ServiceAccount", account.getMetadata().getName(), namespace());
        Set<String> roles = new TreeSet<>();
        manifests().all(Role.class).forEach(r -> roles.add("Role/" + r.getMetadata().getName()));
        manifests().all(ClusterRole.class).forEach(r -> roles.add("ClusterRole/" + r.getMetadata().getName()));
        Set<String> bound = new TreeSet<>();
        List<Executable> checks = new ArrayList<>();
        for (RoleBinding binding : manifests().all(RoleBinding.class)) {
            bound.add(binding.getRoleRef().getKind() + "/" + binding.getRoleRef().getName());
            checks.add(() -> assertEquals(List.of(expected), binding.getSubjects(), binding.getMetadata().getName()));
        }
        for (ClusterRoleBinding binding : manifests().all(ClusterRoleBinding.class)) {
            bound.add(binding.getRoleRef().getKind() + "/" + binding.getRoleRef().getName());
            checks.add(() -> assertEquals(List.of(expected), binding.getSubjects(), binding.getMetadata().getName()));
        }
        checks.add(() -> assertEquals(account.getMetadata().getName(), podSpec().getServiceAccountName(),
                "the pod runs as the ServiceAccount"));
        checks.add(() -> assertEquals(roles, bound, "every role is bound, and only roles that exist"));
        assertAll(checks);
    }

    // --- mirror configuration ----------------------------------------------------------------------------------

    @Test
    void configMapIsTheOneTheApplicationWatches() throws Exception {
        ConfigMap configMap = manifests().one(ConfigMap.class);
        String name = container().getEnv().stream().filter(e -> "OCI_MIRROR_CONFIGMAP_NAME".equals(e.getName()))
                .map(EnvVar::getValue).findFirst()
                .orElse(WebhookSettings.ConfigMap.class.getMethod("name").getAnnotation(WithDefault.class).value());
        String key = WebhookSettings.ConfigMap.class.getMethod("key").getAnnotation(WithDefault.class).value();
        assertEquals(name, configMap.getMetadata().getName(), "the ConfigMap the webhook is told to watch");
        assertEquals(Set.of(key), configMap.getData().keySet(), "oci-mirror.configmap.key default");
        assertNotNull(mirrorConfiguration(configMap), "a valid mirror configuration");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static final long MIB = 1024 * 1024;

    MutatingWebhook webhook(String name) {
        return manifests().one(MutatingWebhookConfiguration.class).getWebhooks().stream()
                .filter(w -> name.equals(w.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no webhook " + name));
    }

    PodSpec podSpec() {
        return manifests().one(Deployment.class).getSpec().getTemplate().getSpec();
    }

    Container container() {
        List<Container> containers = podSpec().getContainers();
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    String env(String name) {
        return container().getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue)
                .filter(Objects::nonNull).findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    VolumeMount mountAt(String path) {
        return container().getVolumeMounts().stream().filter(m -> path.equals(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    Volume volume(String name) {
        return podSpec().getVolumes().stream().filter(v -> name.equals(v.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The container port number a probe or Service targetPort refers to, by number or by name. */
    int containerPort(IntOrString port) {
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

    static MirrorConfiguration mirrorConfiguration(ConfigMap configMap) throws ConfigurationException {
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
