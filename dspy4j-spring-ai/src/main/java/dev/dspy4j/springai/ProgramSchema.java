package dev.dspy4j.springai;

import dev.dspy4j.data.Prediction;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A signature's inputs as a tool's JSON schema, and a prediction's outputs as the tool's result:
 * the same shapes dspy4j-mcp and dspy4j-langchain4j give an exported program (records inlined, as tool-calling models
 * rarely resolve {@code $ref}s; special types such as images accept any value).
 */
final class ProgramSchema {

    private ProgramSchema() {}

    static Map<String, Object> inputs(Signature signature) {
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

    static Map<String, Object> outputs(Prediction prediction, Signature signature) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (Field field : signature.outputs()) {
            outputs.put(field.name(), prediction.get(field.name()));
        }
        return outputs;
    }

    private static Map<String, Object> of(FieldType type) {
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
