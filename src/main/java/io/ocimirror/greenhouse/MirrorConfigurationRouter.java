package io.ocimirror.greenhouse;

import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.settings.WebhookSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Picks the mirror configuration an admission uses. With Greenhouse organisations on, as Greenhouse does: an object
 * in namespace N uses organisation N's configuration when Organization N exists, a ClusterPluginDefinition the
 * configured cluster organisation's; every other object uses the webhook's own configuration. Off, everything uses
 * the webhook's own configuration. Reads memory only (admission path).
 */
@ApplicationScoped
public class MirrorConfigurationRouter {

    private static final String GREENHOUSE_GROUP = "greenhouse.sap";
    private static final String CLUSTER_PLUGIN_DEFINITIONS = "clusterplugindefinitions";

    private final ConfigurationStore store;
    private final boolean organizations;
    private final String clusterOrganization;

    @Inject
    MirrorConfigurationRouter(WebhookSettings settings, ConfigurationStore store) {
        this(store, settings.greenhouse().enabled(), settings.greenhouse().clusterOrganization());
    }

    private MirrorConfigurationRouter(ConfigurationStore store, boolean organizations, String clusterOrganization) {
        this.store = store;
        this.organizations = organizations;
        this.clusterOrganization = clusterOrganization;
    }

    /** A router that sends every request to the webhook's own configuration: Greenhouse organisations off. */
    public static MirrorConfigurationRouter ownConfigurationOnly(ConfigurationStore store) {
        return new MirrorConfigurationRouter(store, false, "");
    }

    /**
     * The configuration for one admission request.
     *
     * @param namespace {@code request.namespace}, {@code ""} for a cluster-scoped object
     * @param group     {@code request.resource.group}
     * @param resource  {@code request.resource.resource} (plural, such as {@code pods})
     * @return the snapshot to rewrite with and its owner; empty when none is in force there (nothing is rewritten)
     */
    public Optional<OwnedConfiguration> forRequest(String namespace, String group, String resource) {
        if (!organizations) {
            return store.owned(ConfigurationOwner.WEBHOOK);
        }
        boolean clusterPluginDefinition = GREENHOUSE_GROUP.equals(group) && CLUSTER_PLUGIN_DEFINITIONS.equals(resource);
        String organization = clusterPluginDefinition ? clusterOrganization : namespace;
        ConfigurationOwner owner = organization.isEmpty()
                ? ConfigurationOwner.WEBHOOK
                : ConfigurationOwner.organization(organization);
        return store.state(owner).isPresent() ? store.owned(owner) : store.owned(ConfigurationOwner.WEBHOOK);
    }
}
