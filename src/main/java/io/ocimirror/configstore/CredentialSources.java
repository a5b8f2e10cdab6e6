package io.ocimirror.configstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.informers.Informers;
import io.ocimirror.registry.RegistryCredentials;
import io.ocimirror.registry.RegistryCredentialsParser.InvalidCredentialsException;
import io.ocimirror.registry.RegistryCredentialsParser;
import io.ocimirror.settings.WebhookSettings;
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
 * Keeps every owner's credentials in the {@link ConfigurationStore} current, listening to the store like every other
 * listener: for each owner, the Secret its snapshot names in {@code secretName}, in the owner's namespace (the
 * webhook's own, or the organisation's), watched, and followed when the snapshot names another. With a configuration
 * file, the webhook's own credentials come from the Docker config file
 * {@code oci-mirror.replication.credentials-file} instead, re-read when it changes.
 */
@ApplicationScoped
class CredentialSources {

    private static final Logger LOG = Logger.getLogger(CredentialSources.class);

    private final WebhookSettings settings;
    private final ConfigurationStore store;
    private final RegistryCredentialsParser parser;
    private final Instance<KubernetesClient> kubernetes;
    private final WebhookNamespace namespace;
    private final Map<ConfigurationOwner, SecretWatch> secrets = new HashMap<>();
    private WatchedFile file;

    CredentialSources(WebhookSettings settings, ConfigurationStore store, ObjectMapper mapper,
            Instance<KubernetesClient> kubernetes, WebhookNamespace namespace) {
        this.settings = settings;
        this.store = store;
        this.parser = new RegistryCredentialsParser(mapper);
        this.kubernetes = kubernetes;
        this.namespace = namespace;
    }

    void start(@Observes StartupEvent event) {
        settings.configFile().flatMap(configFile -> settings.replication().credentialsFile()).ifPresent(path ->
                file = new WatchedFile(path, "mirror credentials", text -> apply(ConfigurationOwner.WEBHOOK,
                        () -> parser.fromDockerConfig(text), "file " + path)).start());
        store.addListener(this::follow);
    }

    /**
     * Watches the Secret an owner's snapshot names; no snapshot (no mirrors, or the organisation is gone) or no
     * {@code secretName} means anonymous replication for it.
     */
    private synchronized void follow(ConfigurationOwner owner, Optional<MirrorConfiguration> snapshot) {
        if (owner instanceof ConfigurationOwner.Webhook && settings.configFile().isPresent()) {
            return;
        }
        Optional<String> secretName = snapshot.flatMap(MirrorConfiguration::secretName);
        SecretWatch current = secrets.get(owner);
        if (current != null && secretName.equals(Optional.of(current.name))) {
            return;
        }
        close(secrets.remove(owner));
        if (secretName.isEmpty()) {
            if (snapshot.isPresent()) {
                store.updateCredentials(owner, RegistryCredentials.NONE, "a configuration without secretName");
            }
            return;
        }
        secrets.put(owner, new SecretWatch(owner, secretNamespace(owner), secretName.get()));
    }

    private String secretNamespace(ConfigurationOwner owner) {
        return owner instanceof ConfigurationOwner.Organization organization ? organization.name() : namespace.get();
    }

    /** One watched Secret; every version is parsed and handed on, a deletion hands on no credentials. */
    private final class SecretWatch {

        private final ConfigurationOwner owner;
        private final String name;
        private final String origin;
        private final SharedIndexInformer<Secret> informer;

        SecretWatch(ConfigurationOwner owner, String secretNamespace, String name) {
            this.owner = owner;
            this.name = name;
            this.origin = "Secret " + secretNamespace + "/" + name;
            LOG.infof("Watching %s for the mirror credentials of %s", origin, owner);
            informer = kubernetes.get().secrets().inNamespace(secretNamespace).withName(name).runnableInformer(0);
            informer.addEventHandler(Informers.latestState(
                    secret -> applyIfCurrent(() -> parser.fromSecretData(decoded(secret))),
                    secret -> applyIfCurrent(() -> RegistryCredentials.NONE)));
            Informers.start(informer, origin);
        }

        /** An event of a Secret the owner no longer names (queued before the switch) changes nothing. */
        private void applyIfCurrent(CredentialsReader reader) {
            synchronized (CredentialSources.this) {
                if (secrets.get(owner) == this) {
                    apply(owner, reader, origin);
                }
            }
        }
    }

    private interface CredentialsReader {
        RegistryCredentials read() throws InvalidCredentialsException;
    }

    /** An unreadable update keeps the credentials in force; the message names keys, never values. */
    private void apply(ConfigurationOwner owner, CredentialsReader reader, String origin) {
        try {
            store.updateCredentials(owner, reader.read(), origin);
        } catch (InvalidCredentialsException e) {
            LOG.warnf("Mirror credentials of %s from %s rejected, keeping the previous ones: %s", owner, origin,
                    e.getMessage());
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
        secrets.values().forEach(CredentialSources::close);
        secrets.clear();
        if (file != null) {
            file.close();
        }
    }
}
