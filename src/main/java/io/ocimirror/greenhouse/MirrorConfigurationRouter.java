package io.ocimirror.greenhouse;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationStore;
import io.ocimirror.config.WebhookSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Picks the mirror configuration snapshot an admission uses. With Greenhouse organisations on, as Greenhouse
 * does: an object in namespace N uses organisation N's snapshot when Organization N exists, a
 * ClusterPluginDefinition the configured cluster organisation's; every other object uses the webhook's own
 * configuration. Off, everything uses the webhook's own configuration. Reads memory only (admission path).
 */
@ApplicationScoped
public class MirrorConfigurationRouter {

    private static final String GREENHOUSE_GROUP = "greenhouse.sap";
    private static final String CLUSTER_PLUGIN_DEFINITIONS = "clusterplugindefinitions";

    private final MirrorConfigurationStore own;
    private final Optional<OrganizationSnapshots> organizations;
    private final String clusterOrganization;

    @Inject
    MirrorConfigurationRouter(WebhookSettings settings, MirrorConfigurationStore own,
            OrganizationSnapshots organizations) {
        this(own, settings.greenhouse().enabled() ? Optional.of(organizations) : Optional.empty(),
                settings.greenhouse().clusterOrganization());
    }

    private MirrorConfigurationRouter(MirrorConfigurationStore own, Optional<OrganizationSnapshots> organizations,
            String clusterOrganization) {
        this.own = own;
        this.organizations = organizations;
        this.clusterOrganization = clusterOrganization;
    }

    /** A router that sends every request to {@code own}: Greenhouse organisations off. */
    public static MirrorConfigurationRouter ownConfigurationOnly(MirrorConfigurationStore own) {
        return new MirrorConfigurationRouter(own, Optional.empty(), "");
    }

    /**
     * The snapshot for one admission request.
     *
     * @param namespace {@code request.namespace}, {@code ""} for a cluster-scoped object
     * @param group     {@code request.resource.group}
     * @param resource  {@code request.resource.resource} (plural, such as {@code pods})
     * @return the snapshot to rewrite with; empty when none is in force there (nothing is rewritten)
     */
    public Optional<MirrorConfiguration> forRequest(String namespace, String group, String resource) {
        if (organizations.isEmpty()) {
            return own.current();
        }
        boolean clusterPluginDefinition = GREENHOUSE_GROUP.equals(group) && CLUSTER_PLUGIN_DEFINITIONS.equals(resource);
        String organization = clusterPluginDefinition ? clusterOrganization : namespace;
        Optional<OrganizationState> state = organization.isEmpty()
                ? Optional.empty()
                : organizations.get().state(organization);
        return state.isPresent() ? state.get().configuration() : own.current();
    }
}
