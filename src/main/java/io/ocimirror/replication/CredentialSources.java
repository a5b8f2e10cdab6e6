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
import io.ocimirror.replication.RegistryCredentialsParser.InvalidCredentialsException;
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
import org.jboss.logging.Logger;

/**
 * Keeps {@link CredentialsStore} current. In a cluster: the Secret the mirror configuration names in
 * {@code secretName}, watched, followed when the configuration names another. With a configuration file: the Docker
 * config file {@code oci-mirror.replication.credentials-file}, re-read when it changes.
 */
@ApplicationScoped
class CredentialSources {

    private static final Logger LOG = Logger.getLogger(CredentialSources.class);

    private final WebhookSettings settings;
    private final MirrorConfigurationStore configurations;
    private final CredentialsStore store;
    private final RegistryCredentialsParser parser;
    private final Instance<KubernetesClient> kubernetes;
    private final WebhookNamespace namespace;
    private WatchedFile file;
    private SharedIndexInformer<Secret> secretInformer;
    private Optional<String> followedSecret = Optional.empty();

    CredentialSources(WebhookSettings settings, MirrorConfigurationStore configurations, CredentialsStore store,
            ObjectMapper mapper, Instance<KubernetesClient> kubernetes, WebhookNamespace namespace) {
        this.settings = settings;
        this.configurations = configurations;
        this.store = store;
        this.parser = new RegistryCredentialsParser(mapper);
        this.kubernetes = kubernetes;
        this.namespace = namespace;
    }

    void start(@Observes StartupEvent event) {
        if (settings.configFile().isPresent()) {
            settings.replication().credentialsFile().ifPresent(path -> file = new WatchedFile(path,
                    "mirror credentials", text -> apply(() -> parser.fromDockerConfig(text), "file " + path)).start());
        } else {
            configurations.addListener(this::follow);
        }
    }

    /** Watches the Secret the configuration names; a configuration without one means anonymous replication. */
    private synchronized void follow(MirrorConfiguration configuration) {
        Optional<String> secretName = configuration.secretName();
        if (secretName.equals(followedSecret)) {
            return;
        }
        closeInformer();
        followedSecret = secretName;
        if (secretName.isEmpty()) {
            store.update(RegistryCredentials.NONE, "a configuration without secretName");
            return;
        }
        String ns = namespace.get();
        String origin = "Secret " + ns + "/" + secretName.get();
        LOG.infof("Watching %s for mirror credentials", origin);
        secretInformer = kubernetes.get().secrets().inNamespace(ns).withName(secretName.get()).runnableInformer(0);
        secretInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                apply(() -> parser.fromSecretData(decoded(secret)), origin);
            }

            @Override
            public void onUpdate(Secret oldSecret, Secret newSecret) {
                apply(() -> parser.fromSecretData(decoded(newSecret)), origin);
            }

            @Override
            public void onDelete(Secret secret, boolean deletedFinalStateUnknown) {
                store.update(RegistryCredentials.NONE, origin + " (deleted)");
            }
        });
        secretInformer.start().exceptionally(error -> {
            LOG.errorf("Cannot watch %s: %s", origin, error.getMessage());
            return null;
        });
    }

    private interface CredentialsReader {
        RegistryCredentials read() throws InvalidCredentialsException;
    }

    /** An unreadable update keeps the credentials in force; the message names keys, never values. */
    private void apply(CredentialsReader reader, String origin) {
        try {
            store.update(reader.read(), origin);
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

    private void closeInformer() {
        if (secretInformer != null) {
            secretInformer.close();
            secretInformer = null;
        }
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        closeInformer();
        if (file != null) {
            file.close();
        }
    }
}
