package dev.dspy4j.tool;

import static dev.dspy4j.tool.ToolSchemaTest.ordered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.internal.python.PythonText;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

    @Test
    void acceptsIntegralFloatsAsIntegersButNotBooleans() {
        Map<String, Object> integer = Map.of("type", "integer");

        assertThat(SchemaValidator.check(3L, integer)).isNull();
        assertThat(SchemaValidator.check(3.0, integer)).isNull();
        assertThat(SchemaValidator.check(3.5, integer)).isEqualTo("3.5 is not of type 'integer'");
        assertThat(SchemaValidator.check(false, integer)).isEqualTo("False is not of type 'integer'");
        assertThat(SchemaValidator.check(null, Map.of("type", "number"))).isEqualTo("None is not of type 'number'");
    }

    @Test
    void checksTypeListsConstAndEnumsByPythonEquality() {
        assertThat(SchemaValidator.check("a", Map.of("type", List.of("integer", "null"))))
                .isEqualTo("'a' is not of type 'integer', 'null'");
        assertThat(SchemaValidator.check("b", Map.of("const", "a"))).isEqualTo("'a' was expected");
        assertThat(SchemaValidator.check(1.0, Map.of("enum", List.of(1L, 2L)))).isNull();
        assertThat(SchemaValidator.check(true, Map.of("enum", List.of(1L)))).isEqualTo("True is not one of [1]");
        assertThat(SchemaValidator.check(Double.NaN, Map.of("enum", List.of(1L)))).isEqualTo("nan is not one of [1]");
    }

    @Test
    void checksNestedObjectsArraysAndAdditionalProperties() {
        Map<String, Object> point = ordered("type", "object",
                "properties", ordered("x", Map.of("type", "integer"), "tags", ordered("type", "array", "items",
                        Map.of("type", "string"))),
                "required", List.of("x"), "additionalProperties", false);

        assertThat(SchemaValidator.check(Map.of("x", 1, "tags", List.of("a")), point)).isNull();
        assertThat(SchemaValidator.check(Map.of("tags", List.of()), point)).isEqualTo("'x' is a required property");
        assertThat(SchemaValidator.check(Map.of("x", 1, "tags", Arrays.asList("a", null)), point))
                .isEqualTo("None is not of type 'string'");
        assertThat(SchemaValidator.check(Map.of("x", 1, "y", 2), point))
                .isEqualTo("Additional properties are not allowed ('y' was unexpected)");
        assertThat(SchemaValidator.check(Map.of("y", 2), Map.of("type", "object",
                "additionalProperties", Map.of("type", "string")))).isEqualTo("2 is not of type 'string'");
    }

    @Test
    void acceptsAnythingUnderAnEmptySchema() {
        assertThat(SchemaValidator.check(Map.of("any", List.of(1, "x")), Map.of())).isNull();
        assertThat(SchemaValidator.check(null, Map.of())).isNull();
    }

    @Test
    void titlesFieldsAsPydanticDoes() {
        assertThat(PythonText.fieldTitle("max_items")).isEqualTo("Max Items");
        assertThat(PythonText.fieldTitle("x2y")).isEqualTo("X2Y");
        assertThat(PythonText.fieldTitle("name")).isEqualTo("Name");
    }
}
