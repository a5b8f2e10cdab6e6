package io.ocimirror.greenhouse;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.ocimirror.config.ConfigurationOwner;
import java.util.Map;
import java.util.Optional;

/**
 * What the webhook reads of a Greenhouse {@code Organization} ({@code greenhouse.sap/v1alpha1}, cluster-scoped):
 * its name, which is also the namespace of its resources, and {@code spec.configMapRef}, the ConfigMap in that
 * namespace holding {@code containerRegistryConfig} (Greenhouse api/v1alpha1/organization_types.go).
 *
 * @param name         the organisation's name and namespace
 * @param uid          {@code metadata.uid}, so that Events attach to this very object
 * @param configMapRef {@code spec.configMapRef}; empty when unset or blank
 */
record OrganizationResource(String name, String uid, Optional<String> configMapRef) {

    static final String API_VERSION = "greenhouse.sap/v1alpha1";
    static final String KIND = "Organization";
    /** Addressed without API discovery: the plural and scope are fixed by Greenhouse's CRD. */
    static final ResourceDefinitionContext RESOURCE = new ResourceDefinitionContext.Builder()
            .withGroup("greenhouse.sap")
            .withVersion("v1alpha1")
            .withKind(KIND)
            .withPlural("organizations")
            .withNamespaced(false)
            .build();

    static OrganizationResource from(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        Optional<String> configMapRef = spec instanceof Map<?, ?> map && map.get("configMapRef") instanceof String ref
                && !ref.isBlank() ? Optional.of(ref.trim()) : Optional.empty();
        return new OrganizationResource(resource.getMetadata().getName(), resource.getMetadata().getUid(), configMapRef);
    }

    /** The owner of the organisation's mirror configuration. */
    ConfigurationOwner owner() {
        return ConfigurationOwner.organization(name);
    }

    /** The Organization as an Event's involvedObject: no namespace, so {@code kubectl describe} finds it. */
    ObjectReference reference() {
        return new ObjectReferenceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withName(name)
                .withUid(uid)
                .build();
    }
}
