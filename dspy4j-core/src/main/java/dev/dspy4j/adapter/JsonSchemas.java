package dev.dspy4j.adapter;

import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON schemas DSPy shows and sends, as pydantic generates them: the schema in a prompt's
 * {@code # note: the value you produce must adhere to the JSON schema: ...} and the JSON-schema
 * {@code response_format} of {@link JsonAdapter}'s structured outputs.
 *
 * <p>Named types follow pydantic: the root enum or record is inlined; any other reference to one
 * is a {@code {"$ref": "#/$defs/Name"}} with the definition under {@code $defs}. Record
 * properties carry pydantic's title ({@code line_item} becomes {@code "Line Item"}), except those
 * whose type is a model or an enum, optional or not.
 *
 * <p>Schemas are fresh mutable {@link LinkedHashMap}s. Stateless and thread-safe.
 */
final class JsonSchemas {

    private JsonSchemas() {}

    /**
     * The schema DSPy prints in a field's type note: pydantic's schema with, recursively,
     * {@code "type"} first and all other keys (property names included) sorted; lists such as
     * {@code required} keep their order.
     *
     * @param type the output field's type
     * @return the ordered schema
     */
    public static Map<String, Object> promptSchema(FieldType type) {
        return typeFirst(schema(type));
    }

    /** {@link #promptSchema} as DSPy prints it: {@code json.dumps(schema, ensure_ascii=False)}. */
    public static String promptSchemaText(FieldType type) {
        return PythonValues.jsonDumps(promptSchema(type));
    }

    /**
     * pydantic's {@code TypeAdapter(type).json_schema()}, keys in pydantic's own order
     * (alphabetical, properties in declared order).
     *
     * @param type the type
     * @return the schema
     */
    public static Map<String, Object> schema(FieldType type) {
        Map<String, Map<String, Object>> defs = new TreeMap<>();
        Map<String, Object> root = switch (type) {
            case FieldType.RecordType r -> recordSchema(r, defs);
            case FieldType.EnumType e -> enumSchema(e);
            default -> inline(type, defs);
        };
        if (!defs.isEmpty()) {
            Map<String, Object> withDefs = new LinkedHashMap<>();
            withDefs.put("$defs", new LinkedHashMap<>(defs));
            withDefs.putAll(root);
            return withDefs;
        }
        return root;
    }

    /**
     * The {@code response_format} for JSON-schema structured outputs of a signature's outputs: a
     * model named {@code DSPyProgramOutputs} whose objects all list every property as required
     * and forbid additional properties, named {@code DSPyProgramOutputs} and strict (OpenAI writes
     * it as {@code {"type": "json_schema", "json_schema": {"name", "strict": true, "schema"}}}).
     *
     * @param signature the signature
     * @param nativeFunctionCalling whether a {@code ToolCalls} output is left to native tool calls
     *     (and so omitted)
     * @return the response format
     * @throws IllegalArgumentException if an output is an open-ended {@code dict}, which
     *     structured outputs cannot express
     */
    public static ResponseFormat.JsonSchema structuredOutputFormat(Signature signature, boolean nativeFunctionCalling) {
        Map<String, Map<String, Object>> defs = new TreeMap<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        List<Object> required = new ArrayList<>();
        for (Field field : signature.outputs()) {
            if (field.type() instanceof FieldType.DictType) {
                throw new IllegalArgumentException("Field '" + field.name()
                        + "' has an open-ended mapping type which is not supported by Structured Outputs.");
            }
            if (nativeFunctionCalling && isToolCalls(field.type())) {
                continue;
            }
            Map<String, Object> property = property(field.name(), field.type(), defs);
            if (field.hasDefault()) {
                Object value = PythonValues.toJsonable(field.defaultOrNull());
                if (value != null) {
                    property.put("default", value);
                }
            }
            properties.put(field.name(), property);
            required.add(field.name());
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        if (!defs.isEmpty()) {
            schema.put("$defs", new LinkedHashMap<>(defs));
        }
        schema.put("properties", properties);
        schema.put("required", required);
        schema.put("title", "DSPyProgramOutputs");
        schema.put("type", "object");
        enforceStrict(schema);
        return new ResponseFormat.JsonSchema("DSPyProgramOutputs", schema, true);
    }

    static boolean isToolCalls(FieldType type) {
        return type instanceof FieldType.SpecialType s && s.kind() == FieldType.SpecialType.Kind.TOOL_CALLS;
    }

    @SuppressWarnings("unchecked")
    private static void enforceStrict(Map<String, Object> part) {
        if ("object".equals(part.get("type"))) {
            Object props = part.get("properties");
            if (props instanceof Map<?, ?> map) {
                part.put("required", new ArrayList<Object>(map.keySet()));
                part.put("additionalProperties", false);
                for (Object sub : map.values()) {
                    if (sub instanceof Map<?, ?> subMap) {
                        enforceStrict((Map<String, Object>) subMap);
                    }
                }
            } else if (!part.containsKey("additionalProperties") || Boolean.TRUE.equals(part.get("additionalProperties"))) {
                part.put("properties", new LinkedHashMap<>());
                part.put("required", new ArrayList<>());
                part.put("additionalProperties", false);
            }
        }
        if ("array".equals(part.get("type")) && part.get("items") instanceof Map<?, ?> items) {
            enforceStrict((Map<String, Object>) items);
        }
        if (part.get("anyOf") instanceof List<?> options) {
            for (Object option : options) {
                if (option instanceof Map<?, ?> o) {
                    enforceStrict((Map<String, Object>) o);
                }
            }
        }
        if (part.get("$defs") instanceof Map<?, ?> defs) {
            for (Object def : defs.values()) {
                enforceStrict((Map<String, Object>) def);
            }
        }
    }

    private static Map<String, Object> inline(FieldType type, Map<String, Map<String, Object>> defs) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (type) {
            case FieldType.StrType t -> out.put("type", "string");
            case FieldType.IntType t -> out.put("type", "integer");
            case FieldType.FloatType t -> out.put("type", "number");
            case FieldType.BoolType t -> out.put("type", "boolean");
            case FieldType.AnyType t -> { }
            case FieldType.ListType l -> {
                out.put("items", inline(l.element(), defs));
                out.put("type", "array");
            }
            case FieldType.DictType d -> {
                Map<String, Object> values = inline(d.value(), defs);
                values.remove("title");
                out.put("additionalProperties", values.isEmpty() ? Boolean.TRUE : values);
                out.put("type", "object");
            }
            case FieldType.OptionalType o -> {
                Map<String, Object> none = new LinkedHashMap<>();
                none.put("type", "null");
                List<Object> anyOf = new ArrayList<>();
                Map<String, Object> inner = inline(o.inner(), defs);
                if (inner.get("anyOf") instanceof List<?> nested) {
                    anyOf.addAll(nested);
                } else {
                    anyOf.add(inner);
                }
                anyOf.add(none);
                out.put("anyOf", anyOf);
            }
            case FieldType.LiteralType l -> literal(l.values(), out);
            case FieldType.EnumType e -> {
                defs.putIfAbsent(e.name(), enumSchema(e));
                out.put("$ref", "#/$defs/" + e.name());
            }
            case FieldType.RecordType r -> {
                if (!defs.containsKey(r.name())) {
                    defs.put(r.name(), new LinkedHashMap<>()); // placeholder against recursion
                    defs.put(r.name(), recordSchema(r, defs));
                }
                out.put("$ref", "#/$defs/" + r.name());
            }
            case FieldType.CodeType c -> out.put("type", "string");
            case FieldType.Custom c -> out.putAll(copy(c.type().jsonSchema()));
            case FieldType.SpecialType s -> {
                switch (s.kind()) {
                    case REASONING -> out.put("type", "string");
                    case TOOL_CALLS -> toolCallsSchema(out, defs);
                    case IMAGE, AUDIO, FILE, DOCUMENT ->
                            out.putAll(copy(java.util.Objects.requireNonNull(CustomValues.customType(s)).jsonSchema()));
                    default -> { }
                }
            }
        }
        return out;
    }

    /** A mutable deep copy of a schema, so that strict mode can edit it without touching the type's own. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        schema.forEach((key, value) -> out.put(key, copyValue(value)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return copy((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(copyValue(item)));
            return out;
        }
        return value;
    }

    /**
     * DSPy's {@code ToolCalls} schema, without {@code tool_call_results} and without the calls'
     * {@code id} (DSPy removes both from the schema it shows the LM).
     */
    private static void toolCallsSchema(Map<String, Object> out, Map<String, Map<String, Object>> defs) {
        Map<String, Object> name = new LinkedHashMap<>();
        name.put("title", "Name");
        name.put("type", "string");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("additionalProperties", true);
        args.put("title", "Args");
        args.put("type", "object");
        Map<String, Object> callProperties = new LinkedHashMap<>();
        callProperties.put("name", name);
        callProperties.put("args", args);
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("properties", callProperties);
        call.put("required", new ArrayList<Object>(List.of("name", "args")));
        call.put("title", "ToolCall");
        call.put("type", "object");
        defs.putIfAbsent("ToolCall", call);
        Map<String, Object> items = new LinkedHashMap<>();
        items.put("$ref", "#/$defs/ToolCall");
        Map<String, Object> calls = new LinkedHashMap<>();
        calls.put("items", items);
        calls.put("title", "Tool Calls");
        calls.put("type", "array");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("tool_calls", calls);
        out.put("properties", properties);
        out.put("required", new ArrayList<Object>(List.of("tool_calls")));
        out.put("title", "ToolCalls");
        out.put("type", "object");
    }

    private static void literal(List<Object> values, Map<String, Object> out) {
        List<Object> plain = new ArrayList<>(values.size());
        Class<?> kind = null;
        boolean same = true;
        for (Object value : values) {
            Object jsonable = PythonValues.toJsonable(value);
            plain.add(jsonable);
            Class<?> k = jsonable == null ? Void.class : jsonable.getClass();
            same &= kind == null || kind == k;
            kind = k;
        }
        if (plain.size() == 1) {
            out.put("const", plain.get(0));
        } else {
            out.put("enum", plain);
        }
        if (same) {
            String type = kind == String.class ? "string" : kind == Long.class ? "integer" : kind == Double.class ? "number"
                    : kind == Boolean.class ? "boolean" : kind == Void.class ? "null" : null;
            if (type != null) {
                out.put("type", type);
            }
        }
    }

    private static Map<String, Object> enumSchema(FieldType.EnumType type) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enum", new ArrayList<Object>(type.members().values()));
        out.put("title", type.name());
        out.put("type", "string");
        return out;
    }

    private static Map<String, Object> recordSchema(FieldType.RecordType type, Map<String, Map<String, Object>> defs) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<Object> required = new ArrayList<>();
        for (Map.Entry<String, FieldType> field : type.fields().entrySet()) {
            properties.put(field.getKey(), property(field.getKey(), field.getValue(), defs));
            required.add(field.getKey());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("properties", properties);
        out.put("required", required);
        out.put("title", type.name());
        out.put("type", "object");
        return out;
    }

    private static Map<String, Object> property(String name, FieldType type, Map<String, Map<String, Object>> defs) {
        Map<String, Object> schema = inline(type, defs);
        if (!takesFieldTitle(type)) {
            return schema;
        }
        schema.put("title", PythonText.fieldTitle(name));
        return new TreeMap<String, Object>(schema).entrySet().stream().collect(LinkedHashMap::new,
                (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll);
    }

    /**
     * pydantic's {@code field_title_should_be_set}: a property is titled after its field unless
     * its type is a referenced model or enum, which carries its own title; an optional one
     * ({@code anyOf: [{$ref}, {type: null}]}) is looked through, so it gets no title either.
     */
    private static boolean takesFieldTitle(FieldType type) {
        return switch (type) {
            case FieldType.OptionalType o -> takesFieldTitle(o.inner());
            case FieldType.RecordType r -> false;
            case FieldType.EnumType e -> false;
            default -> true;
        };
    }

    /** Recursively: {@code "type"} first, then the other keys in code-point order. */
    @SuppressWarnings("unchecked")
    static <T> T typeFirst(T value) {
        if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>();
            for (Object key : map.keySet()) {
                keys.add((String) key);
            }
            keys.sort((a, b) -> a.equals(b) ? 0 : "type".equals(a) ? -1 : "type".equals(b) ? 1 : a.compareTo(b));
            Map<String, Object> out = new LinkedHashMap<>();
            for (String key : keys) {
                Object child = map.get(key);
                out.put(key, child == null ? null : typeFirst(child));
            }
            return (T) out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(typeFirst(item));
            }
            return (T) out;
        }
        return value;
    }
}
