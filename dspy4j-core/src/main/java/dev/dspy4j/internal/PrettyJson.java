package dev.dspy4j.internal;

import dev.dspy4j.adapter.PythonValues;
import java.util.Collection;
import java.util.Map;

/**
 * Writes plain Java values (maps, collections, strings, numbers, booleans, null) as JSON the way
 * DSPy's saves do (orjson with 2-space indent): {@code "key": value}, non-ASCII characters kept,
 * floats in Python's shortest repr, NaN and infinities as {@code null}. Not public API.
 */
public final class PrettyJson {

    private PrettyJson() {}

    /** The value as indented JSON, without a trailing newline. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out, 0);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out, int depth) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "\n" : ",\n");
                first = false;
                indent(out, depth + 1);
                quote(String.valueOf(entry.getKey()), out);
                out.append(": ");
                write(entry.getValue(), out, depth + 1);
            }
            out.append('\n');
            indent(out, depth);
            out.append('}');
        } else if (value instanceof Collection<?> items) {
            if (items.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                out.append(first ? "\n" : ",\n");
                first = false;
                indent(out, depth + 1);
                write(item, out, depth + 1);
            }
            out.append('\n');
            indent(out, depth);
            out.append(']');
        } else {
            scalar(value, out);
        }
    }

    private static void scalar(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            // orjson writes NaN and infinities as null, keeping the file valid JSON
            out.append(Double.isFinite(d) ? PythonValues.floatRepr(d) : "null");
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Enum<?> e) {
            quote(e.toString(), out);
        } else {
            quote(value.toString(), out);
        }
    }

    /** Appends {@code s} as a JSON string literal, escaping only what JSON requires. */
    public static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void indent(StringBuilder out, int depth) {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }
}
