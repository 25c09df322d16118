package dev.dspy4j.provider.http;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the HTTP clients, and null-safe reads of provider replies. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** The string value of {@code node}, or {@code null} if it is missing or not a string. */
    static @Nullable String string(@Nullable JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }

    /** The string value of {@code parent.field}, or {@code null}. */
    static @Nullable String string(@Nullable JsonNode parent, String field) {
        return parent == null ? null : string(parent.get(field));
    }

    /** The integral value of {@code parent.field}, or 0 when absent or not a number. */
    static long count(@Nullable JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node != null && node.isNumber() ? Math.max(0, node.asLong()) : 0;
    }

    /** Compact JSON text of a node (tool-call arguments). */
    static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }
}
