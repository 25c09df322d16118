package dev.dspy4j.internal.python;

import dev.dspy4j.internal.PythonFloats;
import dev.dspy4j.internal.records.RecordValues;

import dev.dspy4j.signature.Citations;
import dev.dspy4j.signature.Code;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Reasoning;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Renders values exactly as DSPy puts them into prompts, with Python's spelling: {@code str()}
 * for scalars ({@code True}, {@code None}, {@code 0.4}, {@code 1e-05}), and
 * {@code json.dumps(ensure_ascii=False)} for lists and maps.
 *
 * <p>Values are first reduced to plain JSON-like data ({@link #toJsonable}), as pydantic's JSON
 * mode does in DSPy: enums become their value ({@code toString()}), records become maps keyed by
 * their prompt names ({@link dev.dspy4j.signature.Name} or snake case), {@link Optional} becomes
 * its value or {@code None}, arrays and collections become lists.
 *
 * <p>Stateless and thread-safe.
 */
public final class PythonValues {

    private PythonValues() {}

    /**
     * DSPy's {@code format_field_value}: how a field's value appears in a message. A list given
     * for a {@code str} field becomes a numbered list ({@code [1] «a»}); other lists and maps are
     * compact JSON; everything else is Python's {@code str()}.
     *
     * @param type the field's declared type
     * @param value the value, possibly {@code null}
     * @return the text to put in the message
     */
    public static String formatFieldValue(FieldType type, @Nullable Object value) {
        if (type instanceof FieldType.StrType && (value instanceof Collection<?> || (value != null && value.getClass().isArray()))
                && toJsonable(value) instanceof List<?> items) {
            return numberedList(items);
        }
        if (value instanceof String s) {
            return s;
        }
        Object jsonable = toJsonable(value);
        if (jsonable instanceof Map<?, ?> || jsonable instanceof List<?>) {
            return jsonDumps(jsonable);
        }
        return str(jsonable);
    }

    private static String numberedList(List<?> items) {
        if (items.isEmpty()) {
            return "N/A";
        }
        if (items.size() == 1) {
            return blob(str(items.get(0)));
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append('[').append(i + 1).append("] ").append(blob(str(items.get(i))));
        }
        return out.toString();
    }

    private static String blob(String text) {
        if (text.indexOf('\n') < 0 && text.indexOf('«') < 0 && text.indexOf('»') < 0) {
            return "«" + text + "»";
        }
        return "«««\n    " + text.replace("\n", "\n    ") + "\n»»»";
    }

    /**
     * Reduces a value to plain JSON-like data: {@code String}, {@code Long}/{@code BigInteger},
     * {@code Double}, {@code Boolean}, {@code null}, {@code List} and {@code LinkedHashMap}.
     *
     * @param value any value a signature field may hold
     * @return the plain value
     */
    public static @Nullable Object toJsonable(@Nullable Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double || value instanceof BigInteger) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return Double.parseDouble(Float.toString(f));
        }
        if (value instanceof BigDecimal d) {
            return d.toString();
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        if (value instanceof Optional<?> o) {
            return toJsonable(o.orElse(null));
        }
        if (value instanceof Enum<?> e) {
            return e.toString();
        }
        if (value instanceof Code code) {
            return code.code(); // DSPy's Code serializes to its bare code
        }
        if (value instanceof Reasoning reasoning) {
            return reasoning.content();
        }
        if (value instanceof Citations citations) {
            return toJsonable(citations.toList()); // DSPy's Citations serializes as format() does
        }
        if (value instanceof Record r) {
            return toJsonable(RecordValues.toMap(r));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key = toJsonable(e.getKey());
                out.put(key instanceof String s ? s : jsonKey(key), toJsonable(e.getValue()));
            }
            return out;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>(collection.size());
            for (Object item : collection) {
                out.add(toJsonable(item));
            }
            return out;
        }
        if (value.getClass().isArray()) {
            int length = java.lang.reflect.Array.getLength(value);
            List<Object> out = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                out.add(toJsonable(java.lang.reflect.Array.get(value, i)));
            }
            return out;
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        return value.toString();
    }

    /**
     * Python's {@code str()} of a plain value: {@code True}/{@code False}, {@code None}, Python's
     * float repr, and strings unquoted. Lists and maps use Python's repr ({@code ['a', 1]}).
     */
    public static String str(@Nullable Object value) {
        if (value instanceof String s) {
            return s;
        }
        return repr(value);
    }

    /**
     * Python's {@code repr()} of a plain value: strings quoted as Python quotes them
     * ({@code 'a'}, {@code "it's"}), {@code True}, {@code None}, lists and dicts with Python's
     * spacing.
     */
    public static String repr(@Nullable Object value) {
        StringBuilder out = new StringBuilder();
        appendRepr(out, toJsonable(value));
        return out.toString();
    }

    private static void appendRepr(StringBuilder out, @Nullable Object value) {
        if (value == null) {
            out.append("None");
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof Double d) {
            out.append(floatRepr(d));
        } else if (value instanceof String s) {
            appendStringRepr(out, s);
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                appendRepr(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                appendRepr(out, e.getKey());
                out.append(": ");
                appendRepr(out, e.getValue());
            }
            out.append('}');
        } else {
            out.append(value);
        }
    }

    private static void appendStringRepr(StringBuilder out, String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append(quote);
    }

    /**
     * Python's {@code repr(float)}: the shortest text that reads back as the same double, in
     * fixed notation for exponents from -4 to 15 ({@code 0.0001}, {@code 100.0}) and scientific
     * notation otherwise ({@code 1e-05}, {@code 1.5e+16}); {@code nan}, {@code inf}, {@code -inf}.
     */
    public static String floatRepr(double value) {
        return PythonFloats.repr(value);
    }

    /**
     * Python's {@code json.dumps(value, ensure_ascii=False)}: compact JSON with {@code ", "} and
     * {@code ": "} separators, non-ASCII characters kept, {@code NaN}/{@code Infinity} for
     * non-finite floats.
     */
    public static String jsonDumps(@Nullable Object value) {
        StringBuilder out = new StringBuilder(64);
        appendJson(out, toJsonable(value), -1, 0);
        return out.toString();
    }

    /** Python's {@code json.dumps(value, indent=2, ensure_ascii=False)}. */
    public static String jsonDumpsIndented(@Nullable Object value) {
        StringBuilder out = new StringBuilder(128);
        appendJson(out, toJsonable(value), 2, 0);
        return out.toString();
    }

    /** Appends {@code value} (already plain) as compact Python JSON. */
    static void appendJson(StringBuilder out, @Nullable Object value) {
        appendJson(out, value, -1, 0);
    }

    private static void appendJson(StringBuilder out, @Nullable Object value, int indent, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendJsonString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double d) {
            out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : floatRepr(d));
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                separator(out, first, indent, depth + 1);
                first = false;
                appendJsonString(out, e.getKey() instanceof String s ? s : jsonKey(e.getKey()));
                out.append(": ");
                appendJson(out, e.getValue(), indent, depth + 1);
            }
            close(out, indent, depth);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                separator(out, i == 0, indent, depth + 1);
                appendJson(out, list.get(i), indent, depth + 1);
            }
            close(out, indent, depth);
            out.append(']');
        } else {
            out.append(value);
        }
    }

    private static void separator(StringBuilder out, boolean first, int indent, int depth) {
        if (indent < 0) {
            if (!first) {
                out.append(", ");
            }
        } else {
            if (!first) {
                out.append(',');
            }
            out.append('\n');
            out.repeat(' ', indent * depth);
        }
    }

    private static void close(StringBuilder out, int indent, int depth) {
        if (indent >= 0) {
            out.append('\n');
            out.repeat(' ', indent * depth);
        }
    }

    private static String jsonKey(@Nullable Object key) {
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (key instanceof Double d) {
            return floatRepr(d);
        }
        return key.toString();
    }

    /** Appends a JSON string literal the way Python's {@code json} module writes it (non-ASCII kept). */
    static void appendJsonString(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append(s, from, n);
        out.append('"');
    }
}
