package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

    @Test
    void putsTypeFirstForContainers() {
        assertThat(JsonSchemas.promptSchemaText(new FieldType.ListType(FieldType.STR)))
                .isEqualTo("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}");
        assertThat(JsonSchemas.promptSchemaText(new FieldType.DictType(FieldType.STR, new FieldType.ListType(FieldType.STR))))
                .isEqualTo("{\"type\": \"object\", \"additionalProperties\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}");
        assertThat(JsonSchemas.promptSchemaText(new FieldType.DictType(FieldType.STR, FieldType.ANY)))
                .isEqualTo("{\"type\": \"object\", \"additionalProperties\": true}");
    }

    @Test
    void writesOptionalsAsAnyOfWithNull() {
        assertThat(JsonSchemas.promptSchemaText(new FieldType.OptionalType(FieldType.INT, true)))
                .isEqualTo("{\"anyOf\": [{\"type\": \"integer\"}, {\"type\": \"null\"}]}");
    }

    @Test
    void sortsRecordPropertiesAndKeepsRequiredOrder() {
        Map<String, FieldType> address = new LinkedHashMap<>();
        address.put("street", FieldType.STR);
        address.put("city", FieldType.STR);
        Map<String, FieldType> person = new LinkedHashMap<>();
        person.put("name", FieldType.STR);
        person.put("home_address", new FieldType.RecordType("Address", address, null));
        assertThat(JsonSchemas.promptSchemaText(new FieldType.RecordType("Person", person, null))).isEqualTo(
                "{\"type\": \"object\", \"$defs\": {\"Address\": {\"type\": \"object\", \"properties\": "
                        + "{\"city\": {\"type\": \"string\", \"title\": \"City\"}, \"street\": {\"type\": \"string\", "
                        + "\"title\": \"Street\"}}, \"required\": [\"street\", \"city\"], \"title\": \"Address\"}}, "
                        + "\"properties\": {\"home_address\": {\"$ref\": \"#/$defs/Address\"}, \"name\": {\"type\": "
                        + "\"string\", \"title\": \"Name\"}}, \"required\": [\"name\", \"home_address\"], \"title\": "
                        + "\"Person\"}");
    }

    @Test
    void describesLiteralsAndEnums() {
        assertThat(JsonSchemas.promptSchemaText(new FieldType.LiteralType(List.of("a", "b"))))
                .isEqualTo("{\"type\": \"string\", \"enum\": [\"a\", \"b\"]}");
        FieldType.EnumType label = new FieldType.EnumType("Label", Map.of("POS", "pos"), null);
        assertThat(JsonSchemas.promptSchemaText(new FieldType.ListType(label))).isEqualTo(
                "{\"type\": \"array\", \"$defs\": {\"Label\": {\"type\": \"string\", \"enum\": [\"pos\"], \"title\": "
                        + "\"Label\"}}, \"items\": {\"$ref\": \"#/$defs/Label\"}}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void buildsStrictStructuredOutputFormats() {
        Signature signature = Signature.parse("question -> answer, confidence: float");
        var format = JsonSchemas.structuredOutputFormat(signature, true);
        assertThat(format.name()).isEqualTo("DSPyProgramOutputs");
        assertThat(format.strict()).isTrue();
        Map<String, Object> schema = format.schema();
        assertThat(schema).containsEntry("required", List.of("answer", "confidence"))
                .containsEntry("additionalProperties", false);
        assertThat((Map<String, Object>) schema.get("properties")).containsEntry("confidence",
                Map.of("title", "Confidence", "type", "number"));
    }

    @Test
    void titlesFieldNamesLikePydantic() {
        assertThat(JsonSchemas.pythonTitle("line_item")).isEqualTo("Line Item");
        assertThat(JsonSchemas.pythonTitle("9lives")).isEqualTo("9Lives");
        Field.output("x", FieldType.STR);
    }
}
