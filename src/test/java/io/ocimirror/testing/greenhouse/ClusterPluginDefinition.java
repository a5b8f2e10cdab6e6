package io.ocimirror.testing.greenhouse;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** Greenhouse's cluster-scoped {@code ClusterPluginDefinition}. */
@Group("greenhouse.sap")
@Version("v1alpha1")
public class ClusterPluginDefinition extends CustomResource<PluginDefinitionSpec, Void> {
}
