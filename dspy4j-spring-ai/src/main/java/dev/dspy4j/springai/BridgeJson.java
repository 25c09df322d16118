package dev.dspy4j.springai;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** JSON for the bridge: schemas, tool arguments and results. */
final class BridgeJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private BridgeJson() {}

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(String json) {
        Object value = MAPPER.readValue(json == null || json.isBlank() ? "{}" : json, Object.class);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("Tool arguments must be a JSON object, got: " + json);
    }
}
