package dev.dspy4j.mcp;

import dev.dspy4j.signature.FieldType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON schema of an input field's type, for an exported program's MCP input schema: the
 * shapes pydantic gives the same Python types, records inlined (MCP clients rarely resolve
 * {@code $ref}s). Special types (images, history...) accept any value.
 */
final class InputSchemas {

    private InputSchemas() {}

    static Map<String, Object> of(FieldType type) {
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
                schema.put("items", of(l.element()));
                schema.put("type", "array");
            }
            case FieldType.DictType d -> {
                schema.put("additionalProperties", of(d.value()));
                schema.put("type", "object");
            }
            case FieldType.LiteralType l -> schema.put("enum", List.copyOf(l.values()));
            case FieldType.OptionalType o -> schema.put("anyOf", List.of(of(o.inner()), Map.of("type", "null")));
            case FieldType.EnumType e -> {
                schema.put("enum", new ArrayList<>(e.members().values()));
                schema.put("title", e.name());
            }
            case FieldType.RecordType r -> {
                Map<String, Object> properties = new LinkedHashMap<>();
                r.fields().forEach((name, fieldType) -> properties.put(name, of(fieldType)));
                schema.put("properties", properties);
                schema.put("required", List.copyOf(r.fields().keySet()));
                schema.put("title", r.name());
                schema.put("type", "object");
            }
        }
        return schema;
    }
}
