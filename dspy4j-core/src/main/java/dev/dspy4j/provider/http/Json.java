package dev.dspy4j.provider.http;

import dev.dspy4j.internal.JsonTrees;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Null-safe reads of provider replies (trees are read and written by {@link JsonTrees}). */
final class Json {

    private static final Logger LOG = LoggerFactory.getLogger(Json.class);

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

    /**
     * The integral value of {@code parent.field} (a token count): 0 when absent, not a number or
     * negative; a fraction is truncated; a count beyond {@code long} (e.g. {@code 1e30}) is clamped
     * to {@link Long#MAX_VALUE} with a warning naming the field, rather than failing a call whose
     * completion is fine over its bookkeeping.
     */
    static long count(@Nullable JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || !node.isNumber()) {
            return 0;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Math.max(0, node.asLong());
        }
        double value = node.asDouble(); // fractions, huge integers and +-Infinity
        if (value <= 0) {
            return 0;
        }
        if (value < 0x1p63) {
            return (long) value;
        }
        LOG.warn("The provider reported usage field \"{}\" = {}, too large for a token count; counting it as {}",
                field, node, Long.MAX_VALUE);
        return Long.MAX_VALUE;
    }

    /** {@code a + b}, or {@link Long#MAX_VALUE} instead of overflowing (counts are never negative). */
    static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Compact JSON text of a node (tool-call arguments). */
    static String write(JsonNode node) {
        return JsonTrees.writeString(node);
    }
}
