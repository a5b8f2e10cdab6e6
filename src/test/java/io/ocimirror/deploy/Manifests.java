package io.ocimirror.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A rendered kustomization ({@code kubectl kustomize DIR}) read into fabric8's typed model. Reading is strict: a
 * field the model does not know (a typo such as {@code readinesProbe}, or a field at the wrong level) would land in
 * the model's catch-all {@code additionalProperties} and be silently ignored by a test, so any such field fails.
 * Kinds without a model class (cert-manager's) are read as {@link GenericKubernetesResource}, and only those.
 */
final class Manifests {

    /** API groups whose kinds are expected to have no fabric8 model class. */
    private static final Set<String> GENERIC_GROUPS = Set.of("cert-manager.io", "monitoring.coreos.com");

    private final List<HasMetadata> objects;
    private final List<JsonNode> documents;

    private Manifests(List<HasMetadata> objects, List<JsonNode> documents) {
        this.objects = List.copyOf(objects);
        this.documents = List.copyOf(documents);
    }

    static Manifests render(Path kustomization) {
        String yaml = Tools.run(List.of(Tools.kubectl(), "kustomize", kustomization.toString()), Map.of()).stdoutOrFail();
        return parse(yaml);
    }

    static Manifests parse(String yaml) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        ObjectMapper yamlReader = new ObjectMapper(new YAMLFactory());
        List<HasMetadata> objects = new ArrayList<>();
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = yamlReader.getFactory().createParser(yaml);
                MappingIterator<JsonNode> iterator = yamlReader.readValues(parser, JsonNode.class)) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                String apiVersion = document.path("apiVersion").asText();
                String kind = document.path("kind").asText();
                String where = kind + " " + document.path("metadata").path("name").asText();
                Class<? extends KubernetesResource> type = serialization.getRegisteredKubernetesResource(apiVersion, kind);
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                if (type == null || type == GenericKubernetesResource.class) {
                    if (!GENERIC_GROUPS.contains(group)) {
                        throw new AssertionError(where + ": " + apiVersion + " has no typed model; is the apiVersion right?");
                    }
                    type = GenericKubernetesResource.class;
                }
                HasMetadata object = (HasMetadata) serialization.convertValue(document, type);
                if (!(object instanceof GenericKubernetesResource)) {
                    List<String> unknown = new ArrayList<>();
                    collectUnknownFields(object, where, unknown);
                    if (!unknown.isEmpty()) {
                        throw new AssertionError("fields the Kubernetes model does not know: " + unknown);
                    }
                }
                objects.add(object);
                documents.add(document);
            }
        } catch (IOException | com.fasterxml.jackson.databind.RuntimeJsonMappingException e) {
            throw new AssertionError("manifests are not YAML: " + e.getMessage(), e);
        }
        return new Manifests(objects, documents);
    }

    List<HasMetadata> all() {
        return objects;
    }

    /** The raw JSON of each object, in the order rendered. */
    List<JsonNode> documents() {
        return documents;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The only object of a type; fails if there is none or more than one. */
    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + " but found " + found.size());
        }
        return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /** A custom resource (read as generic) by kind and name. */
    GenericKubernetesResource generic(String kind, String name) {
        return all(GenericKubernetesResource.class).stream()
                .filter(o -> kind.equals(o.getKind()) && name.equals(o.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /**
     * Walks the typed object graph and reports every non-empty {@code additionalProperties}: the fields the model
     * did not recognise.
     */
    private static void collectUnknownFields(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> collection) {
            int index = 0;
            for (Object element : collection) {
                collectUnknownFields(element, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(value, path + "[" + key + "]", unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot read " + path + "." + getter.getName(), e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            String field = getter.getName().substring(3);
            collectUnknownFields(value, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1),
                    unknown);
        }
    }
}
