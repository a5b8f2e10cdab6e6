package io.ocimirror.replication;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationStore;
import io.ocimirror.config.WatchedFile;
import io.ocimirror.config.WebhookNamespace;
import io.ocimirror.config.WebhookSettings;
import io.ocimirror.greenhouse.OrganizationSnapshots;
import io.ocimirror.registry.RegistryCredentials;
import io.ocimirror.registry.RegistryCredentialsParser;
import io.ocimirror.registry.RegistryCredentialsParser.InvalidCredentialsException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Keeps {@link CredentialsStore} current. In a cluster: the Secret the mirror configuration names in
 * {@code secretName}, watched, followed when the configuration names another. With a configuration file: the Docker
 * config file {@code oci-mirror.replication.credentials-file}, re-read when it changes. With Greenhouse
 * organisations: each organisation's {@code secretName} Secret in the organisation's namespace, followed the same
 * way, whatever the source of the webhook's own configuration.
 */
@ApplicationScoped
class CredentialSources {

    private static final Logger LOG = Logger.getLogger(CredentialSources.class);

    private final WebhookSettings settings;
    private final MirrorConfigurationStore configurations;
    private final OrganizationSnapshots organizations;
    private final CredentialsStore store;
    private final RegistryCredentialsParser parser;
    private final Instance<KubernetesClient> kubernetes;
    private final WebhookNamespace namespace;
    private WatchedFile file;
    private SecretWatch ownSecret;
    private Optional<String> followedSecret = Optional.empty();
    private final Map<String, SecretWatch> organizationSecrets = new HashMap<>();

    CredentialSources(WebhookSettings settings, MirrorConfigurationStore configurations,
            OrganizationSnapshots organizations, CredentialsStore store, ObjectMapper mapper,
            Instance<KubernetesClient> kubernetes, WebhookNamespace namespace) {
        this.settings = settings;
        this.configurations = configurations;
        this.organizations = organizations;
        this.store = store;
        this.parser = new RegistryCredentialsParser(mapper);
        this.kubernetes = kubernetes;
        this.namespace = namespace;
    }

    void start(@Observes StartupEvent event) {
        if (settings.configFile().isPresent()) {
            settings.replication().credentialsFile().ifPresent(path -> file = new WatchedFile(path,
                    "mirror credentials", text -> apply(() -> parser.fromDockerConfig(text), "file " + path,
                            store::update)).start());
        } else {
            configurations.addListener(this::follow);
        }
        if (settings.greenhouse().enabled()) {
            organizations.addListener(this::followOrganization);
        }
    }

    /** Watches the Secret the configuration names; a configuration without one means anonymous replication. */
    private synchronized void follow(MirrorConfiguration configuration) {
        Optional<String> secretName = configuration.secretName();
        if (secretName.equals(followedSecret)) {
            return;
        }
        close(ownSecret);
        ownSecret = null;
        followedSecret = secretName;
        if (secretName.isEmpty()) {
            store.update(RegistryCredentials.NONE, "a configuration without secretName");
            return;
        }
        ownSecret = new SecretWatch(namespace.get(), secretName.get(), store::update);
    }

    /**
     * Watches the Secret an organisation's snapshot names, in the organisation's namespace; no snapshot (no
     * mirrors, or the organisation is gone) or no {@code secretName} means no credentials for it.
     */
    private synchronized void followOrganization(String organization, Optional<MirrorConfiguration> snapshot) {
        Optional<String> secretName = snapshot.flatMap(MirrorConfiguration::secretName);
        SecretWatch current = organizationSecrets.get(organization);
        if (current != null && secretName.equals(Optional.of(current.name))) {
            return;
        }
        close(organizationSecrets.remove(organization));
        if (secretName.isEmpty()) {
            store.removeNamespace(organization);
            return;
        }
        organizationSecrets.put(organization, new SecretWatch(organization, secretName.get(),
                (credentials, origin) -> store.updateNamespace(organization, credentials, origin)));
    }

    /** One watched Secret; every version is parsed and handed on, a deletion hands on no credentials. */
    private final class SecretWatch {

        private final String name;
        private final SharedIndexInformer<Secret> informer;

        SecretWatch(String secretNamespace, String name, BiConsumer<RegistryCredentials, String> target) {
            this.name = name;
            String origin = "Secret " + secretNamespace + "/" + name;
            LOG.infof("Watching %s for mirror credentials", origin);
            informer = kubernetes.get().secrets().inNamespace(secretNamespace).withName(name).runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Secret secret) {
                    apply(() -> parser.fromSecretData(decoded(secret)), origin, target);
                }

                @Override
                public void onUpdate(Secret oldSecret, Secret newSecret) {
                    apply(() -> parser.fromSecretData(decoded(newSecret)), origin, target);
                }

                @Override
                public void onDelete(Secret secret, boolean deletedFinalStateUnknown) {
                    target.accept(RegistryCredentials.NONE, origin + " (deleted)");
                }
            });
            informer.start().exceptionally(error -> {
                LOG.errorf("Cannot watch %s: %s", origin, error.getMessage());
                return null;
            });
        }
    }

    private interface CredentialsReader {
        RegistryCredentials read() throws InvalidCredentialsException;
    }

    /** An unreadable update keeps the credentials in force; the message names keys, never values. */
    private static void apply(CredentialsReader reader, String origin, BiConsumer<RegistryCredentials, String> target) {
        try {
            target.accept(reader.read(), origin);
        } catch (InvalidCredentialsException e) {
            LOG.errorf("Mirror credentials from %s rejected, keeping the previous ones: %s", origin, e.getMessage());
        }
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> data.put(key,
                    new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    private static void close(SecretWatch watch) {
        if (watch != null) {
            watch.informer.close();
        }
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        close(ownSecret);
        organizationSecrets.values().forEach(CredentialSources::close);
        organizationSecrets.clear();
        if (file != null) {
            file.close();
        }
    }
}
