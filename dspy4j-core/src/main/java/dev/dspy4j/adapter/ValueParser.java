package dev.dspy4j.adapter;

import dev.dspy4j.internal.python.JsonRepair;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.internal.records.RecordValues;

import dev.dspy4j.signature.Citations;
import dev.dspy4j.signature.Code;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.tool.ToolCalls;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * DSPy's {@code parse_value}: turns an output field's text (or, for JSON replies, its JSON value)
 * into a value of the field's type, with pydantic's lax conversions ({@code "42"} to 42,
 * {@code "true"} to true, {@code 3.0} to 3 for an {@code int}).
 *
 * <p>Results are plain Java data: {@link String}, {@link Long} (or {@link BigInteger}),
 * {@link Double}, {@link Boolean}, {@link List}, {@link LinkedHashMap} (keys in the reply's
 * order, or a record's declared order), {@code null}; an enum value becomes the Java constant when
 * {@link FieldType.EnumType#javaType()} is set, else the member's value; a record becomes an
 * instance of {@link FieldType.RecordType#javaType()} when set.
 *
 * <p>Stateless and thread-safe.
 */
final class ValueParser {

    private static final Object FAIL = new Object();

    private ValueParser() {}

    /**
     * DSPy's {@code parse_value(value, annotation)}.
     *
     * <ul>
     *   <li>{@code str}: the text as is;
     *   <li>an enum: the member whose value, then name, equals the text;
     *   <li>{@code Literal}: an exact match, else the text with a {@code Literal[...]} or
     *       {@code str[...]} wrapper and quotes removed;
     *   <li>a non-string value (from a JSON reply): validated as is;
     *   <li>{@code Optional[str]}: the text as is;
 *   <li>{@code ToolCalls}: read by {@link ToolCalls#from(Object)} (a ToolCalls value, as DSPy's
 *       pydantic validation does);
     *   <li>otherwise the text is read with {@link JsonRepair#loads}, falling back to
     *       {@link JsonRepair#literalEval} and then the raw text, and validated.
     * </ul>
     *
     * @param value the text of the field, or a JSON value
     * @param type the field's type
     * @return the typed value
     * @throws IllegalArgumentException naming the expected type and the value (or with DSPy's message)
     *     if the value does not fit
     */
    public static @Nullable Object parseValue(@Nullable Object value, FieldType type) {
        if (type instanceof FieldType.CodeType code) {
            return parseCode(value, code);
        }
        if (isText(type)) {
            return value instanceof String s ? s : PythonValues.str(value);
        }
        if (type instanceof FieldType.EnumType e) {
            return findEnumMember(e, value);
        }
        if (type instanceof FieldType.LiteralType literal) {
            return parseLiteral(literal, value);
        }
        if (!(value instanceof String text)) {
            return validate(value, type);
        }
        if (type instanceof FieldType.OptionalType o && isText(o.inner())) {
            return text;
        }
        Object candidate = JsonRepair.loads(text);
        if ("".equals(candidate) && !text.isEmpty()) {
            try {
                candidate = JsonRepair.literalEval(text);
            } catch (IllegalArgumentException e) {
                candidate = text;
            }
        }
        FieldType present = type instanceof FieldType.OptionalType o ? o.inner() : type;
        if (CustomValues.customType(present) != null) {
            try {
                return validate(candidate, type);
            } catch (IllegalArgumentException e) {
                if (candidate instanceof String) {
                    throw e;
                }
                try {
                    return validate(text, type); // DSPy retries a dspy.Type with the raw text
                } catch (IllegalArgumentException ignored) {
                    throw e;
                }
            }
        }
        return validate(candidate, type);
    }

    private static boolean isText(FieldType type) {
        return type instanceof FieldType.StrType
                || (type instanceof FieldType.SpecialType s && s.kind() == FieldType.SpecialType.Kind.REASONING);
    }

    /**
     * DSPy's path for a {@code Code} field: the text read as JSON (or a Python literal) first, as for
     * any non-{@code str} type; when that is not a string or a {@code {"code": ...}} object, the
     * text itself, as DSPy retries a custom type with the raw value. Either way the code inside a
     * markdown fence is kept.
     */
    private static Code parseCode(@Nullable Object value, FieldType.CodeType type) {
        if (!(value instanceof String text)) {
            return toCode(value, type);
        }
        Object candidate = JsonRepair.loads(text);
        if ("".equals(candidate) && !text.isEmpty()) {
            try {
                candidate = JsonRepair.literalEval(text);
            } catch (IllegalArgumentException e) {
                candidate = text;
            }
        }
        try {
            return toCode(candidate, type);
        } catch (IllegalArgumentException e) {
            return Code.fromText(type.language(), text);
        }
    }

    private static Code toCode(@Nullable Object value, FieldType.CodeType type) {
        if (value instanceof Code code) {
            return code.language().equals(type.language()) ? code : new Code(type.language(), code.code());
        }
        if (value instanceof String text) {
            return Code.fromText(type.language(), text);
        }
        if (value instanceof Map<?, ?> map) {
            if (!map.containsKey("code")) {
                throw new IllegalArgumentException("`code` field is required for `dspy.Code`");
            }
            if (!(map.get("code") instanceof String text)) {
                throw new IllegalArgumentException("`code` field must be a string, but received "
                        + PythonValues.repr(map.get("code")));
            }
            return Code.fromText(type.language(), text);
        }
        throw new IllegalArgumentException("Received invalid value for `dspy.Code`: " + PythonValues.str(value));
    }

    private static Object findEnumMember(FieldType.EnumType type, @Nullable Object identifier) {
        for (Map.Entry<String, String> member : type.members().entrySet()) {
            if (member.getValue().equals(identifier)) {
                return enumResult(type, member.getKey(), member.getValue());
            }
        }
        if (identifier instanceof String name && type.members().containsKey(name)) {
            return enumResult(type, name, type.members().get(name));
        }
        throw new IllegalArgumentException(PythonValues.str(identifier) + " is not a valid name or value for the enum "
                + type.name());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumResult(FieldType.EnumType type, String name, String value) {
        if (type.javaType() == null) {
            return value;
        }
        return Enum.valueOf((Class) type.javaType(), name);
    }

    private static Object parseLiteral(FieldType.LiteralType type, @Nullable Object value) {
        for (Object allowed : type.values()) {
            if (pythonEquals(allowed, value)) {
                return value instanceof Long || value instanceof String || value instanceof Boolean ? value : allowed;
            }
        }
        if (value instanceof String text) {
            String v = PythonText.strip(text);
            if ((v.startsWith("Literal[") || v.startsWith("str[")) && v.endsWith("]")) {
                v = v.substring(v.indexOf('[') + 1, v.length() - 1);
            }
            if (v.length() > 1 && v.charAt(0) == v.charAt(v.length() - 1) && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
                v = v.substring(1, v.length() - 1);
            }
            for (Object allowed : type.values()) {
                if (allowed.equals(v)) {
                    return v;
                }
            }
        }
        StringBuilder message = new StringBuilder();
        message.append(PythonValues.repr(value)).append(" is not one of (");
        List<Object> values = type.values();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                message.append(", ");
            }
            message.append(PythonValues.repr(values.get(i)));
        }
        if (values.size() == 1) {
            message.append(',');
        }
        throw new IllegalArgumentException(message.append(')').toString());
    }

    /** Python's {@code ==} between plain values ({@code 1 == 1.0 == True}). */
    static boolean pythonEquals(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        Double x = numeric(a);
        Double y = numeric(b);
        if (x != null && y != null) {
            return x.equals(y) || x.doubleValue() == y.doubleValue();
        }
        return a.equals(b);
    }

    /** An int or a float, not a bool (which Python counts as an int). */
    private static boolean isNumber(@Nullable Object v) {
        return v instanceof Long || v instanceof Double || v instanceof BigInteger;
    }

    private static @Nullable Double numeric(@Nullable Object v) {
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    /**
     * Validates a plain value against a type with pydantic's lax rules, converting where pydantic
     * would.
     *
     * @param value a plain value ({@link JsonRepair} output, or Java data)
     * @param type the type
     * @return the converted value
     * @throws IllegalArgumentException with a message listing every problem (see ValidationMessages)
     */
    public static @Nullable Object validate(@Nullable Object value, FieldType type) {
        List<String[]> errors = new ArrayList<>(1);
        Object result = validate(PythonValues.toJsonable(value), type, "", errors);
        if (result == FAIL || !errors.isEmpty()) {
            throw new IllegalArgumentException(ValidationMessages.format(type, errors));
        }
        return result;
    }

    private static @Nullable Object validate(@Nullable Object v, FieldType type, String loc, List<String[]> errors) {
        return switch (type) {
            case FieldType.StrType t -> v instanceof String ? v : error(errors, loc, "string_type", v);
            case FieldType.IntType t -> toInt(v, loc, errors);
            case FieldType.FloatType t -> toFloat(v, loc, errors);
            case FieldType.BoolType t -> toBool(v, loc, errors);
            case FieldType.AnyType t -> v;
            case FieldType.OptionalType o -> v == null ? null : validate(v, o.inner(), loc, errors);
            case FieldType.ListType l -> toList(v, l, loc, errors);
            case FieldType.DictType d -> toDict(v, d, loc, errors);
            case FieldType.LiteralType l -> {
                for (Object allowed : l.values()) {
                    if (allowed.equals(v) || (isNumber(allowed) && isNumber(v) && pythonEquals(allowed, v))) {
                        yield allowed;
                    }
                }
                yield error(errors, loc, "literal_error", v, ValidationMessages.expected(l.values()));
            }
            case FieldType.EnumType e -> {
                for (Map.Entry<String, String> member : e.members().entrySet()) {
                    if (member.getValue().equals(v)) {
                        yield enumResult(e, member.getKey(), member.getValue());
                    }
                }
                yield error(errors, loc, "enum", v, ValidationMessages.expected(new ArrayList<>(e.members().values())));
            }
            case FieldType.RecordType r -> toRecord(v, r, loc, errors);
            case FieldType.SpecialType s when s.kind() == FieldType.SpecialType.Kind.TOOL_CALLS -> {
                try {
                    yield ToolCalls.from(v);
                } catch (IllegalArgumentException e) {
                    yield error(errors, loc, "value_error", v, e.getMessage());
                }
            }
            case FieldType.CodeType c -> {
                try {
                    yield toCode(v, c);
                } catch (IllegalArgumentException e) {
                    yield error(errors, loc, "value_error", v, e.getMessage());
                }
            }
            case FieldType.SpecialType s when s.kind() == FieldType.SpecialType.Kind.CITATIONS -> {
                try {
                    yield Citations.from(v);
                } catch (IllegalArgumentException e) {
                    yield error(errors, loc, "value_error", v, e.getMessage());
                }
            }
            case FieldType.Custom c -> customValue(c.type(), v, loc, errors);
            case FieldType.SpecialType s when CustomValues.customType(s) != null ->
                    customValue(CustomValues.customType(s), v, loc, errors);
            case FieldType.SpecialType s -> s.kind() == FieldType.SpecialType.Kind.REASONING
                    ? (v instanceof String ? v : error(errors, loc, "string_type", v)) : v;
        };
    }

    private static @Nullable Object customValue(dev.dspy4j.signature.@Nullable CustomType<?> type, @Nullable Object v,
                                                String loc, List<String[]> errors) {
        if (type == null || v == null) {
            return error(errors, loc, "value_error", v, "a value of " + (type == null ? "this type" : type.name()));
        }
        try {
            return type.coerce(v);
        } catch (IllegalArgumentException e) {
            return error(errors, loc, "value_error", v, e.getMessage());
        }
    }

    private static Object error(List<String[]> errors, String loc, String kind, @Nullable Object input,
                                @Nullable String... detail) {
        errors.add(new String[] {loc, kind, ValidationMessages.describeInput(input), detail.length > 0 ? detail[0] : null});
        return FAIL;
    }

    private static Object toInt(@Nullable Object v, String loc, List<String[]> errors) {
        if (v instanceof Long || v instanceof BigInteger) {
            return v;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return error(errors, loc, "finite_number", v);
            }
            if (d != Math.rint(d)) {
                return error(errors, loc, "int_from_float", v);
            }
            return JsonRepair.integer(new java.math.BigDecimal(d).toBigInteger().toString());
        }
        if (v instanceof String s) {
            String t = PythonText.strip(s).replace("_", "");
            int dot = t.indexOf('.');
            if (dot >= 0 && t.substring(dot + 1).chars().allMatch(c -> c == '0')) {
                t = t.substring(0, dot);
            }
            if (t.startsWith("+")) {
                t = t.substring(1);
            }
            if (!t.isEmpty() && (t.charAt(0) == '-' ? t.length() > 1 && t.substring(1).chars().allMatch(ValueParser::ascii)
                    : t.chars().allMatch(ValueParser::ascii))) {
                return JsonRepair.integer(t);
            }
            return error(errors, loc, "int_parsing", v);
        }
        return error(errors, loc, "int_type", v);
    }

    private static boolean ascii(int c) {
        return c >= '0' && c <= '9';
    }

    private static Object toFloat(@Nullable Object v, String loc, List<String[]> errors) {
        if (v instanceof Double) {
            return v;
        }
        if (v instanceof Long || v instanceof BigInteger) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof String s) {
            String t = PythonText.strip(s);
            String lower = t.toLowerCase(java.util.Locale.ROOT);
            switch (lower) {
                case "inf", "+inf", "infinity", "+infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-inf", "-infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                case "nan", "+nan", "-nan" -> {
                    return Double.NaN;
                }
                default -> { }
            }
            if (!t.isEmpty() && t.chars().allMatch(c -> ascii(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
            return error(errors, loc, "float_parsing", v);
        }
        return error(errors, loc, "float_type", v);
    }

    private static Object toBool(@Nullable Object v, String loc, List<String[]> errors) {
        if (v instanceof Boolean) {
            return v;
        }
        if (v instanceof Long l && (l == 0 || l == 1)) {
            return l == 1;
        }
        if (v instanceof Double d && (d == 0 || d == 1)) {
            return d == 1;
        }
        if (v instanceof String s) {
            switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "1", "on", "t", "true", "y", "yes" -> {
                    return Boolean.TRUE;
                }
                case "0", "off", "f", "false", "n", "no" -> {
                    return Boolean.FALSE;
                }
                default -> {
                    return error(errors, loc, "bool_parsing", v);
                }
            }
        }
        return error(errors, loc, v instanceof Number ? "bool_parsing" : "bool_type", v);
    }

    private static Object toList(@Nullable Object v, FieldType.ListType type, String loc, List<String[]> errors) {
        if (!(v instanceof Collection<?> items)) {
            return error(errors, loc, "list_type", v);
        }
        List<Object> out = new ArrayList<>(items.size());
        int index = 0;
        boolean failed = false;
        for (Object item : items) {
            Object converted = validate(item, type.element(), child(loc, Integer.toString(index++)), errors);
            failed |= converted == FAIL;
            out.add(converted);
        }
        return failed ? FAIL : out;
    }

    private static Object toDict(@Nullable Object v, FieldType.DictType type, String loc, List<String[]> errors) {
        if (!(v instanceof Map<?, ?> map)) {
            return error(errors, loc, "dict_type", v);
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        boolean failed = false;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String keyLoc = child(loc, String.valueOf(e.getKey()));
            Object key = validate(e.getKey(), type.key(), keyLoc + ".[key]", errors);
            Object value = validate(e.getValue(), type.value(), keyLoc, errors);
            failed |= key == FAIL || value == FAIL;
            out.put(key, value);
        }
        return failed ? FAIL : out;
    }

    private static Object toRecord(@Nullable Object v, FieldType.RecordType type, String loc, List<String[]> errors) {
        if (type.javaType() != null && type.javaType().isInstance(v)) {
            return v;
        }
        if (!(v instanceof Map<?, ?> map)) {
            return error(errors, loc, "model_type", v, type.name());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean failed = false;
        for (Map.Entry<String, FieldType> field : type.fields().entrySet()) {
            String fieldLoc = child(loc, field.getKey());
            if (!map.containsKey(field.getKey())) {
                error(errors, fieldLoc, "missing", v);
                failed = true;
                continue;
            }
            Object converted = validate(map.get(field.getKey()), field.getValue(), fieldLoc, errors);
            failed |= converted == FAIL;
            out.put(field.getKey(), converted);
        }
        if (failed) {
            return FAIL;
        }
        if (type.javaType() == null) {
            return out;
        }
        try {
            return RecordValues.construct(type.javaType(), out);
        } catch (IllegalArgumentException e) {
            return error(errors, loc, "value_error", v, e.getMessage());
        }
    }

    private static String child(String loc, String part) {
        return loc.isEmpty() ? part : loc + "." + part;
    }
}
