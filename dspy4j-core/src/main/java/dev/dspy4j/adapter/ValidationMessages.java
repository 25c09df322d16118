package dev.dspy4j.adapter;

import dev.dspy4j.signature.FieldType;
import java.util.List;
import java.util.Map;

/**
 * pydantic's validation-error text, e.g.
 * {@code 1 validation error for int\n  Input should be a valid integer, unable to parse string as
 * an integer [type=int_parsing, input_value='abc', input_type=str]}, which DSPy embeds in its
 * parse errors.
 */
final class ValidationMessages {

    private static final String DOCS = "https://errors.pydantic.dev/2.13/v/";

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

    /** {@code input_value=..., input_type=...} for one input. */
    static String describeInput(Object input) {
        String repr = PythonValues.repr(input);
        if (repr.length() > 50) {
            repr = repr.substring(0, 25) + "..." + repr.substring(repr.length() - 24);
        }
        return "input_value=" + repr + ", input_type=" + pythonTypeName(input);
    }

    private static String pythonTypeName(Object input) {
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
        out.append(errors.size()).append(errors.size() == 1 ? " validation error for " : " validation errors for ")
                .append(title(type));
        for (String[] error : errors) {
            out.append('\n');
            if (!error[0].isEmpty()) {
                out.append(error[0]).append('\n');
            }
            out.append("  ").append(message(error[1], error[3]))
                    .append(" [type=").append(error[1]).append(", ").append(error[2]).append(']')
                    .append("\n    For further information visit ").append(DOCS).append(error[1]);
        }
        return out.toString();
    }

    private static String title(FieldType type) {
        return type instanceof FieldType.OptionalType o ? "nullable[" + title(o.inner()) + "]" : type.pythonName();
    }

    private static String message(String kind, String detail) {
        return switch (kind) {
            case "string_type" -> "Input should be a valid string";
            case "int_parsing" -> "Input should be a valid integer, unable to parse string as an integer";
            case "int_from_float" -> "Input should be a valid integer, got a number with a fractional part";
            case "int_type" -> "Input should be a valid integer";
            case "finite_number" -> "Input should be a finite number";
            case "float_parsing" -> "Input should be a valid number, unable to parse string as a number";
            case "float_type" -> "Input should be a valid number";
            case "bool_parsing" -> "Input should be a valid boolean, unable to interpret input";
            case "bool_type" -> "Input should be a valid boolean";
            case "list_type" -> "Input should be a valid list";
            case "dict_type" -> "Input should be a valid dictionary";
            case "literal_error", "enum" -> "Input should be " + detail;
            case "model_type" -> "Input should be a valid dictionary or instance of " + detail;
            case "missing" -> "Field required";
            case "value_error" -> "Value error, " + detail;
            default -> kind;
        };
    }
}
