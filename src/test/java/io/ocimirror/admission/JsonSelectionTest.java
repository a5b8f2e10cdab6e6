package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonSelectionTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private static final JsonSelection POD_IMAGES = JsonSelection.fields(Map.of(
            "metadata", JsonSelection.wholeFields("name", "annotations"),
            "spec", JsonSelection.fields(Map.of("containers", JsonSelection.wholeFields("name", "image")))));

    @Test
    void keepsTheSelectedFieldsAndNothingElse() throws IOException {
        String pod = """
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "web", "labels": {"app": "web"}, "annotations": {"a": "1", "b": {"c": [1, 2]}},
                              "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}]},
                 "spec": {"containers": [{"name": "app", "image": "nginx", "env": [{"name": "X", "value": "y"}]},
                                         {"name": "side", "image": "redis:7", "ports": [{"containerPort": 6379}]}],
                          "volumes": [{"name": "data", "emptyDir": {}}]}}
                """;

        assertEquals(mapper.readTree("""
                {"metadata": {"name": "web", "annotations": {"a": "1", "b": {"c": [1, 2]}}},
                 "spec": {"containers": [{"name": "app", "image": "nginx"}, {"name": "side", "image": "redis:7"}]}}
                """), read(POD_IMAGES, pod));
    }

    /** Wherever a selection of fields meets something other than an object, the value is kept as the input has it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "scalar where an object is selected | {\"metadata\": 7, \"spec\": null}   | {\"metadata\": 7, \"spec\": null}",
            "string array element               | {\"spec\": {\"containers\": [\"x\", {\"image\": \"y\", \"tty\": true}]}}"
                    + " | {\"spec\": {\"containers\": [\"x\", {\"image\": \"y\"}]}}",
            "nested arrays                      | {\"spec\": {\"containers\": [[{\"name\": \"n\", \"args\": []}]]}}"
                    + " | {\"spec\": {\"containers\": [[{\"name\": \"n\"}]]}}",
            "image of another type              | {\"spec\": {\"containers\": [{\"image\": {\"ref\": [1]}}]}}"
                    + " | {\"spec\": {\"containers\": [{\"image\": {\"ref\": [1]}}]}}",
            "empty objects                      | {\"metadata\": {}, \"spec\": {\"containers\": []}}"
                    + " | {\"metadata\": {}, \"spec\": {\"containers\": []}}",
            "root array                         | [{\"metadata\": {\"name\": \"a\", \"uid\": \"u\"}}, 3]"
                    + " | [{\"metadata\": {\"name\": \"a\"}}, 3]",
            "root scalar                        | \"text\" | \"text\"",
    })
    void keepsValuesOfOtherShapesAsTheyAre(String name, String input, String expected) throws IOException {
        assertEquals(mapper.readTree(expected), read(POD_IMAGES, input));
    }

    @Test
    void readsWholeValuesWithEverythingInThem() throws IOException {
        String document = "{\"a\": {\"b\": [1, {\"c\": null}], \"d\": \"e\"}, \"f\": 1.5}";

        assertEquals(mapper.readTree(document), read(JsonSelection.WHOLE, document));
        assertEquals(mapper.readTree("{\"a\": {\"b\": [1, {\"c\": null}], \"d\": \"e\"}}"),
                read(JsonSelection.wholeFields("a"), document));
    }

    @Test
    void aFieldGivenTwiceKeepsTheLastValueAsATreeWould() throws IOException {
        String document = "{\"a\": 1, \"b\": 2, \"a\": 3}";

        assertEquals(mapper.readTree("{\"a\": 3}"), read(JsonSelection.wholeFields("a"), document));
    }

    @Test
    void combinesSelections() throws IOException {
        JsonSelection names = JsonSelection.fields(Map.of("metadata", JsonSelection.wholeFields("name")));
        JsonSelection annotations = JsonSelection.fields(Map.of("metadata", JsonSelection.wholeFields("annotations"),
                "kind", JsonSelection.WHOLE));
        String document = "{\"kind\": \"Pod\", \"metadata\": {\"name\": \"n\", \"annotations\": {\"a\": \"b\"}, \"uid\": \"u\"}}";

        assertEquals(mapper.readTree("{\"kind\": \"Pod\", \"metadata\": {\"name\": \"n\", \"annotations\": {\"a\": \"b\"}}}"),
                read(names.and(annotations), document));
        assertEquals(mapper.readTree(document), read(names.and(JsonSelection.WHOLE), document));
        assertEquals(mapper.readTree(document), read(JsonSelection.WHOLE.and(names), document));
    }

    /** Skipping is not trusting: the skipped parts are still parsed, and malformed JSON there is an error. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad literal in a skipped object | {\"metadata\": {\"name\": \"n\"}, \"status\": {\"phase\": tru}}",
            "bad escape in a skipped string  | {\"status\": \"a\\qb\", \"metadata\": {}}",
            "unclosed skipped array          | {\"status\": [1, 2",
            "missing colon in a skipped field | {\"status\" {}}",
            "unclosed selected array          | {\"spec\": {\"containers\": [{\"name\": \"a\"}, ",
            "unclosed selected object         | {\"metadata\": {\"name\": \"a\"",
    })
    void rejectsMalformedJsonInSkippedParts(String name, String input) {
        assertThrows(JsonProcessingException.class, () -> read(POD_IMAGES, input));
    }

    private JsonNode read(JsonSelection selection, String json) throws IOException {
        try (JsonParser parser = mapper.createParser(json)) {
            parser.nextToken();
            return selection.read(parser);
        }
    }
}
