package dev.dspy4j.signature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A signature's inputs as the JSON schema of a tool's arguments, for offering a program as a tool
 * to another framework (langchain4j, Spring AI): an object with one property per input field, in
 * declared order, each with its description and default; fields without a default are required.
 * Records are inlined rather than referenced, since tool-calling models rarely resolve
 * {@code $ref}s; special types such as images accept any value.
 *
 * <p>Stateless; the returned maps are fresh and mutable, owned by the caller.
 */
public final class InputSchema {

    private InputSchema() {}

    /**
     * The JSON schema of {@code signature}'s inputs.
     *
     * @param signature the signature
     * @return {@code {"type": "object", "properties": {...}, "required": [...]}}
     */
    public static Map<String, Object> of(Signature signature) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Field field : signature.inputs()) {
            Map<String, Object> schema = of(field.type());
            if (field.description() != null && !field.description().isEmpty()) {
                schema.put("description", field.description());
            }
            if (field.hasDefault()) {
                schema.put("default", field.defaultOrNull());
            } else {
                required.add(field.name());
            }
            properties.put(field.name(), schema);
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("type", "object");
        input.put("properties", properties);
        input.put("required", required);
        return input;
    }

    /**
     * The JSON schema of one field type, records inlined; an empty schema (any value) for special
     * types and {@code Any}.
     *
     * @param type the field type
     * @return its schema
     */
    public static Map<String, Object> of(FieldType type) {
        Map<String, Object> schema = new LinkedHashMap<>();
        switch (type) {
            case FieldType.StrType s -> schema.put("type", "string");
            case FieldType.IntType i -> schema.put("type", "integer");
            case FieldType.FloatType f -> schema.put("type", "number");
            case FieldType.BoolType b -> schema.put("type", "boolean");
            case FieldType.AnyType a -> { }
            case FieldType.SpecialType s -> { }
            case FieldType.CodeType c -> schema.put("type", "string");
            case FieldType.Custom c -> schema.putAll(c.type().jsonSchema());
            case FieldType.ListType l -> {
                schema.put("type", "array");
                schema.put("items", of(l.element()));
            }
            case FieldType.DictType d -> {
                schema.put("type", "object");
                schema.put("additionalProperties", of(d.value()));
            }
            case FieldType.LiteralType l -> schema.put("enum", List.copyOf(l.values()));
            case FieldType.OptionalType o -> schema.put("anyOf", List.of(of(o.inner()), Map.of("type", "null")));
            case FieldType.EnumType e -> schema.put("enum", new ArrayList<>(e.members().values()));
            case FieldType.RecordType r -> {
                Map<String, Object> properties = new LinkedHashMap<>();
                r.fields().forEach((name, fieldType) -> properties.put(name, of(fieldType)));
                schema.put("type", "object");
                schema.put("properties", properties);
                schema.put("required", List.copyOf(r.fields().keySet()));
            }
        }
        return schema;
    }
}
