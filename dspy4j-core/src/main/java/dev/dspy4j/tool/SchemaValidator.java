package dev.dspy4j.tool;

import dev.dspy4j.internal.python.PythonValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks a plain value (as {@link PythonValues#toJsonable} makes it) against the JSON-schema
 * subset tool arguments use: {@code type}, {@code enum}, {@code const}, {@code anyOf},
 * {@code properties}, {@code required}, {@code additionalProperties} and {@code items}. Other
 * keywords ({@code title}, {@code default}, {@code description}, formats, bounds...) are ignored.
 * Messages follow Python's {@code jsonschema} ({@code 'x' is not of type 'integer'}) so the LM
 * reads what it would read from DSPy. Stateless.
 */
final class SchemaValidator {

    private SchemaValidator() {}

    /**
     * The first way the value breaks the schema, or {@code null} if it is valid.
     *
     * @param value a plain value: String, Long, Double, Boolean, List, Map or null
     * @param schema a JSON schema as a map
     */
    static @Nullable String check(@Nullable Object value, Map<?, ?> schema) {
        Object type = schema.get("type");
        if (type instanceof String name && !hasType(value, name)) {
            return PythonValues.repr(value) + " is not of type " + PythonValues.repr(name);
        }
        if (type instanceof List<?> names && names.stream().noneMatch(n -> n instanceof String s && hasType(value, s))) {
            return PythonValues.repr(value) + " is not of type " + String.join(", ", names.stream()
                    .map(PythonValues::repr).toList());
        }
        if (schema.get("enum") instanceof List<?> allowed && allowed.stream().noneMatch(a -> same(a, value))) {
            return PythonValues.repr(value) + " is not one of " + PythonValues.repr(allowed);
        }
        if (schema.containsKey("const") && !same(schema.get("const"), value)) {
            return PythonValues.repr(schema.get("const")) + " was expected";
        }
        if (schema.get("anyOf") instanceof List<?> options && options.stream()
                .noneMatch(o -> o instanceof Map<?, ?> m && check(value, m) == null)) {
            return PythonValues.repr(value) + " is not valid under any of the given schemas";
        }
        if (value instanceof Map<?, ?> object) {
            String problem = checkObject(object, schema);
            if (problem != null) {
                return problem;
            }
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (Object item : list) {
                String problem = check(item, items);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static @Nullable String checkObject(Map<?, ?> object, Map<?, ?> schema) {
        Map<?, ?> properties = schema.get("properties") instanceof Map<?, ?> p ? p : Map.of();
        if (schema.get("required") instanceof List<?> required) {
            for (Object name : required) {
                if (!object.containsKey(name)) {
                    return PythonValues.repr(name) + " is a required property";
                }
            }
        }
        for (Map.Entry<?, ?> e : object.entrySet()) {
            Object propertySchema = properties.get(e.getKey());
            if (propertySchema == null) {
                propertySchema = schema.get("additionalProperties");
            }
            if (propertySchema instanceof Map<?, ?> m) {
                String problem = check(e.getValue(), m);
                if (problem != null) {
                    return problem;
                }
            } else if (Boolean.FALSE.equals(propertySchema)) {
                return "Additional properties are not allowed (" + PythonValues.repr(e.getKey()) + " was unexpected)";
            }
        }
        return null;
    }

    private static boolean hasType(@Nullable Object value, String type) {
        return switch (type) {
            case "string" -> value instanceof String;
            case "integer" -> value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte || value instanceof BigInteger
                    || (value instanceof Double d && !d.isInfinite() && d == Math.rint(d))
                    || (value instanceof BigDecimal b && b.stripTrailingZeros().scale() <= 0);
            case "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            case "null" -> value == null;
            case "array" -> value instanceof List<?>;
            case "object" -> value instanceof Map<?, ?>;
            default -> true;
        };
    }

    /** Python's {@code ==} as jsonschema uses it: numbers by value, booleans apart from numbers. */
    private static boolean same(@Nullable Object a, @Nullable Object b) {
        if (a instanceof Number x && b instanceof Number y && finite(x) && finite(y)) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return a == null ? b == null : a.equals(b);
    }

    private static boolean finite(Number n) {
        return !(n instanceof Double d && !Double.isFinite(d)) && !(n instanceof Float f && !Float.isFinite(f));
    }
}
