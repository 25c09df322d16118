package dev.dspy4j.internal.python;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code orjson.dumps(recursive_mask(value), option=OPT_INDENT_2)} as DSPy's Refine and SIMBA write
 * the values they show an LM: two-space indents, {@code ": "} between key and value, non-ASCII
 * kept, examples and predictions as their maps, floats in orjson's (ryu's) shortest form, non-finite
 * floats as {@code null}, and anything else as DSPy's {@code <non-serializable: Type>} placeholder.
 */
public final class Orjson {

    private Orjson() {
    }

    /** The value as indented JSON text. */
    public static String dumpsIndented(@Nullable Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, @Nullable Object value, int depth) {
        switch (value) {
            case null -> out.append("null");
            case String s -> PythonValues.appendJsonString(out, s);
            case Boolean b -> out.append(b);
            case Double d -> out.append(floatText(d));
            case Float f -> out.append(floatText(f.doubleValue()));
            case Number n -> out.append(n);
            case Enum<?> e -> PythonValues.appendJsonString(out, e.name());
            case Example e -> write(out, e.toMap(), depth);
            case Prediction p -> write(out, p.toMap(), depth);
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    out.append("{}");
                    return;
                }
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
                    first = false;
                    PythonValues.appendJsonString(out, String.valueOf(entry.getKey()));
                    out.append(": ");
                    write(out, entry.getValue(), depth + 1);
                }
                out.append('\n').append("  ".repeat(depth)).append('}');
            }
            case List<?> list -> {
                if (list.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "\n" : ",\n").append("  ".repeat(depth + 1));
                    write(out, list.get(i), depth + 1);
                }
                out.append('\n').append("  ".repeat(depth)).append(']');
            }
            default -> PythonValues.appendJsonString(out,
                    "<non-serializable: " + value.getClass().getSimpleName() + ">");
        }
    }

    /**
     * A float as orjson writes it (ryu's shortest round-trip digits): {@code 1.0}, {@code 0.75},
     * {@code 0.00001}, {@code 1e-6}, {@code 1e16}, {@code 1.5e20}; {@code null} for NaN and
     * infinities.
     */
    public static String floatText(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        String sign = d < 0 ? "-" : "";
        // Double.toString gives the shortest digits that round-trip (JDK 19 and later)
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int length = digits.length();
        int k = -exact.scale();
        int point = length + k;
        StringBuilder out = new StringBuilder(sign);
        if (k >= 0 && point <= 16) {
            out.append(digits).append("0".repeat(k)).append(".0");
        } else if (point > 0 && point <= 16) {
            out.append(digits, 0, point).append('.').append(digits, point, length);
        } else if (point > -5 && point <= 0) {
            out.append("0.").append("0".repeat(-point)).append(digits);
        } else if (length == 1) {
            out.append(digits).append('e').append(point - 1);
        } else {
            out.append(digits.charAt(0)).append('.').append(digits, 1, length).append('e').append(point - 1);
        }
        return out.toString();
    }
}
