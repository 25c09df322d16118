package dev.dspy4j.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputSchemaTest {

    @Test
    void describesEachInputInOrderAndRequiresAllWithoutADefault() {
        // given
        Signature signature = Signature.parse(
                "question: str, tags: list[str], weights: dict[str, float], mode: Literal['a', 'b'], "
                        + "limit: int | None -> answer");

        // when
        Map<String, Object> schema = InputSchema.of(signature);

        // then
        assertThat(schema).containsEntry("type", "object");
        assertThat(schema.get("required")).isEqualTo(List.of("question", "tags", "weights", "mode", "limit"));
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
        assertThat(properties.keySet()).containsExactly("question", "tags", "weights", "mode", "limit");
        assertThat(properties.get("question")).isEqualTo(Map.of("type", "string"));
        assertThat(properties.get("tags")).isEqualTo(Map.of("type", "array", "items", Map.of("type", "string")));
        assertThat(properties.get("weights"))
                .isEqualTo(Map.of("type", "object", "additionalProperties", Map.of("type", "number")));
        assertThat(properties.get("mode")).isEqualTo(Map.of("enum", List.of("a", "b")));
        assertThat(properties.get("limit"))
                .isEqualTo(Map.of("anyOf", List.of(Map.of("type", "integer"), Map.of("type", "null"))));
    }
}
