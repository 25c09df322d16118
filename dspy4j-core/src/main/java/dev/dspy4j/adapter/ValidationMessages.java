package dev.dspy4j.adapter;

import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.signature.FieldType;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The text of a value that does not fit its field's type, which the adapters embed in DSPy's
 * parse errors ({@code Failed to parse field x with value v from the LM response. Error message:
 * ...}). It names the expected type in DSPy's words and as a Java type, what was wrong (with the
 * allowed values for a literal or enum), and the value received, e.g.
 * {@code the value does not fit int (Java Long): Input should be a valid integer, unable to parse
 * string as an integer; got 'abc' (str)}.
 */
final class ValidationMessages {

    private ValidationMessages() {}

    /** "{@code 'a' or 'b'}" / "{@code 'a', 'b' or 'c'}" as pydantic lists expected values. */
    static String expected(List<?> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(i == values.size() - 1 ? " or " : ", ");
            }
            out.append(PythonValues.repr(values.get(i)));
        }
        return out.toString();
    }

    /** {@code got <value> (<type>)} for one input, long values shortened in the middle. */
    static String describeInput(@Nullable Object input) {
        String repr = PythonValues.repr(input);
        if (repr.length() > 50) {
            repr = repr.substring(0, 25) + "..." + repr.substring(repr.length() - 24);
        }
        return "got " + repr + " (" + pythonTypeName(input) + ")";
    }

    private static String pythonTypeName(@Nullable Object input) {
        if (input == null) {
            return "NoneType";
        }
        if (input instanceof String) {
            return "str";
        }
        if (input instanceof Boolean) {
            return "bool";
        }
        if (input instanceof Double) {
            return "float";
        }
        if (input instanceof Number) {
            return "int";
        }
        if (input instanceof List<?>) {
            return "list";
        }
        if (input instanceof Map<?, ?>) {
            return "dict";
        }
        return input.getClass().getSimpleName();
    }

    /** The whole message for errors {@code [loc, kind, input description, detail]}. */
    static String format(FieldType type, List<String[]> errors) {
        StringBuilder out = new StringBuilder();
        String expected = type.pythonName() + " (Java " + javaName(type) + ")";
        if (errors.size() == 1 && errors.get(0)[0].isEmpty()) {
            String[] error = errors.get(0);
            return out.append("the value does not fit ").append(expected).append(": ")
                    .append(message(error[1], error[3])).append("; ").append(error[2]).toString();
        }
        out.append(errors.size()).append(errors.size() == 1 ? " problem" : " problems")
                .append(" converting the value to ").append(expected).append(':');
        for (String[] error : errors) {
            out.append("\n  ").append(error[0].isEmpty() ? "(the value)" : error[0].replace('\n', '.')).append(": ")
                    .append(message(error[1], error[3])).append("; ").append(error[2]);
        }
        return out.toString();
    }

    /** The Java type a value of {@code type} becomes. */
    static String javaName(FieldType type) {
        return switch (type) {
            case FieldType.StrType s -> "String";
            case FieldType.IntType i -> "Long";
            case FieldType.FloatType f -> "Double";
            case FieldType.BoolType b -> "Boolean";
            case FieldType.AnyType a -> "Object";
            case FieldType.ListType l -> "List<" + javaName(l.element()) + ">";
            case FieldType.DictType d -> "Map<" + javaName(d.key()) + ", " + javaName(d.value()) + ">";
            case FieldType.LiteralType l -> "one of " + expected(l.values());
            case FieldType.OptionalType o -> javaName(o.inner()) + " or null";
            case FieldType.EnumType e -> e.javaType() != null ? "enum " + e.javaType().getName() : "one of "
                    + expected(new java.util.ArrayList<>(e.members().values()));
            case FieldType.RecordType r -> r.javaType() != null ? "record " + r.javaType().getName()
                    : "Map<String, Object> with fields " + r.fields().keySet();
            default -> type.pythonName();
        };
    }

    private static @Nullable String message(String kind, @Nullable String detail) {
        return switch (kind) {
            case "string_type" -> "expected a string";
            case "int_parsing" -> "expected an integer, but the text is not a whole number";
            case "int_from_float" -> "expected an integer, but the number has a fractional part";
            case "int_type" -> "expected an integer";
            case "finite_number" -> "expected a finite number";
            case "float_parsing" -> "expected a number, but the text is not a number";
            case "float_type" -> "expected a number";
            case "bool_parsing" -> "expected a boolean (true/false, yes/no, on/off or 1/0)";
            case "bool_type" -> "expected a boolean";
            case "list_type" -> "expected a list";
            case "dict_type" -> "expected an object of names and values";
            case "literal_error", "enum" -> "expected one of the allowed values " + detail;
            case "model_type" -> "expected an object with the fields of " + detail;
            case "missing" -> "a required field is missing";
            case "value_error" -> detail;
            default -> kind;
        };
    }
}
