package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
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
    void aNullableModelIsAnAnyOfOfItsReferenceAndNullWithoutATitle() {
        // given: Optional[Address] at the root and as a property, pydantic's field_title_should_be_set
        // looks through the nullable to the referenced model, which brings its own title
        Map<String, FieldType> address = new LinkedHashMap<>();
        address.put("street", FieldType.STR);
        address.put("city", FieldType.STR);
        FieldType.RecordType addressType = new FieldType.RecordType("Address", address, null);
        FieldType.EnumType tier = new FieldType.EnumType("Tier", Map.of("GOLD", "gold"), null);
        Map<String, FieldType> person = new LinkedHashMap<>();
        person.put("name", new FieldType.OptionalType(FieldType.STR, false));
        person.put("home", new FieldType.OptionalType(addressType, false));
        person.put("tier", new FieldType.OptionalType(tier, true));
        person.put("past_homes", new FieldType.OptionalType(new FieldType.ListType(addressType), true));
        String addressDef = "\"Address\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\", "
                + "\"title\": \"City\"}, \"street\": {\"type\": \"string\", \"title\": \"Street\"}}, \"required\": "
                + "[\"street\", \"city\"], \"title\": \"Address\"}";

        // when / then
        assertThat(JsonSchemas.promptSchemaText(new FieldType.OptionalType(addressType, true))).isEqualTo(
                "{\"$defs\": {" + addressDef + "}, \"anyOf\": [{\"$ref\": \"#/$defs/Address\"}, {\"type\": \"null\"}]}");
        assertThat(JsonSchemas.promptSchemaText(new FieldType.RecordType("Person", person, null))).isEqualTo(
                "{\"type\": \"object\", \"$defs\": {" + addressDef + ", \"Tier\": {\"type\": \"string\", \"enum\": "
                        + "[\"gold\"], \"title\": \"Tier\"}}, \"properties\": {"
                        + "\"home\": {\"anyOf\": [{\"$ref\": \"#/$defs/Address\"}, {\"type\": \"null\"}]}, "
                        + "\"name\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"title\": \"Name\"}, "
                        + "\"past_homes\": {\"anyOf\": [{\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/Address\"}}, "
                        + "{\"type\": \"null\"}], \"title\": \"Past Homes\"}, "
                        + "\"tier\": {\"anyOf\": [{\"$ref\": \"#/$defs/Tier\"}, {\"type\": \"null\"}]}}, "
                        + "\"required\": [\"name\", \"home\", \"tier\", \"past_homes\"], \"title\": \"Person\"}");
    }

    @Test
    void aNullableModelOutputHasNoTitleInTheStructuredOutputSchemaEither() {
        // given
        Map<String, FieldType> address = new LinkedHashMap<>();
        address.put("city", FieldType.STR);
        Signature signature = Signature.of(null, List.of(Field.input("q", FieldType.STR),
                Field.output("home", new FieldType.OptionalType(new FieldType.RecordType("Address", address, null), true))));

        // when
        String format = PythonValues.jsonDumps(JsonSchemas.structuredOutputFormat(signature, true));

        // then
        assertThat(format).contains("\"properties\": {\"home\": {\"anyOf\": [{\"$ref\": \"#/$defs/Address\"}, "
                + "{\"type\": \"null\"}]}}").doesNotContain("\"title\": \"Home\"");
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
        assertThat(PythonText.fieldTitle("line_item")).isEqualTo("Line Item");
        assertThat(PythonText.fieldTitle("9lives")).isEqualTo("9Lives");
        Field.output("x", FieldType.STR);
    }
}
