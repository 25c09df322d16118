package dev.dspy4j.optimize;

import dev.dspy4j.data.Example;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Python's {@code repr} of the values MIPROv2's dataset summary shows the prompt model: a list of
 * examples prints as {@code [Example({'review': '...', 'sentiment': 'positive'}) (input_keys={'review'}), ...]},
 * with the input keys sorted as DSPy sorts them before sending.
 */
final class PythonRepr {

    private PythonRepr() {}

    /** {@code repr(list_of_examples)} with sorted input keys. */
    static String examples(List<Example> examples) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < examples.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            Example example = examples.get(i);
            out.append("Example(").append(value(example.toMap())).append(") (input_keys=");
            if (example.inputKeys().isEmpty()) {
                out.append("None");
            } else {
                StringBuilder keys = new StringBuilder("{");
                for (String key : new TreeSet<>(example.inputKeys())) {
                    keys.append(keys.length() > 1 ? ", " : "").append(string(key));
                }
                out.append(keys).append('}');
            }
            out.append(')');
        }
        return out.append(']').toString();
    }

    /** {@code str(value)}: a string as is, anything else as its repr. */
    static String str(Object value) {
        return value instanceof String s ? s : value(value);
    }

    /** {@code repr(value)} for strings, numbers, booleans, None, lists and string-keyed maps. */
    static String value(Object value) {
        return switch (value) {
            case null -> "None";
            case String s -> string(s);
            case Boolean b -> b ? "True" : "False";
            case Number n -> String.valueOf(n);
            case Example e -> "Example(" + value(e.toMap()) + ")";
            case Map<?, ?> map -> {
                StringBuilder out = new StringBuilder("{");
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(out.length() > 1 ? ", " : "").append(value(entry.getKey())).append(": ")
                            .append(value(entry.getValue()));
                }
                yield out.append('}').toString();
            }
            case List<?> list -> {
                StringBuilder out = new StringBuilder("[");
                for (Object item : list) {
                    out.append(out.length() > 1 ? ", " : "").append(value(item));
                }
                yield out.append(']').toString();
            }
            default -> string(value.toString());
        };
    }

    /** {@code repr(str)}: single quotes unless the text has a single quote and no double quote. */
    static String string(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == quote || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else if (!isPrintable(c)) {
                out.append(c <= 0xff ? String.format("\\x%02x", c)
                        : c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.append(quote).toString();
    }

    /** Close to Python's {@code str.isprintable}: not a control, format, separator (but space) or unassigned character. */
    private static boolean isPrintable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
