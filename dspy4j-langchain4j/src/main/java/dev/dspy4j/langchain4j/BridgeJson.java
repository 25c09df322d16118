package dev.dspy4j.langchain4j;

import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for the bridge, written with dspy4j's Jackson 3 (langchain4j's Jackson 2 stays its own):
 * schemas as text for langchain4j's {@link JsonRawSchema}, tool arguments and results.
 */
final class BridgeJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private BridgeJson() {}

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(String json) {
        Object value = MAPPER.readValue(json.isBlank() ? "{}" : json, Object.class);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("Tool arguments must be a JSON object, got: " + json);
    }

    /**
     * A JSON-schema object (a tool's parameters) as langchain4j's {@link JsonObjectSchema}: each
     * property passes through unchanged as a raw schema, so nothing is lost in translation.
     */
    static JsonObjectSchema objectSchema(Map<String, Object> schema) {
        JsonObjectSchema.Builder builder = JsonObjectSchema.builder();
        if (schema.get("description") instanceof String description) {
            builder.description(description);
        }
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            Map<String, dev.langchain4j.model.chat.request.json.JsonSchemaElement> converted = new LinkedHashMap<>();
            properties.forEach((name, property) -> converted.put(String.valueOf(name), JsonRawSchema.from(write(property))));
            builder.addProperties(converted);
        }
        if (schema.get("required") instanceof List<?> required) {
            List<String> names = new ArrayList<>();
            required.forEach(name -> names.add(String.valueOf(name)));
            builder.required(names);
        }
        if (schema.get("additionalProperties") instanceof Boolean additional) {
            builder.additionalProperties(additional);
        }
        return builder.build();
    }
}
