package io.ocimirror.testing.greenhouse;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** Greenhouse's namespaced {@code PluginDefinition}, typed for reading patched objects strictly. */
@Group("greenhouse.sap")
@Version("v1alpha1")
public class PluginDefinition extends CustomResource<PluginDefinitionSpec, Void> implements Namespaced {
}
