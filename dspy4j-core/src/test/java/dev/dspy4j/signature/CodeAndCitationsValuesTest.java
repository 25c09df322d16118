package dev.dspy4j.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.Citation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodeAndCitationsValuesTest {

    @Test
    void keepsTheCodeOfTheFirstFenceWhateverItsLanguageTag() {
        assertThat(Code.stripFence("Here:\n```java\nint x;\n```\nand\n```python\ny\n```")).isEqualTo("int x;");
        assertThat(Code.stripFence("```\n  x = 1\n```")).isEqualTo("x = 1");
        assertThat(Code.stripFence("run ```ls -l``` now")).isEqualTo("ls -l");
        assertThat(Code.stripFence("x = 1  ")).isEqualTo("x = 1  ");
        assertThat(Code.fromText("python", "```python\nprint(1)\n```")).isEqualTo(new Code("python", "print(1)"));
    }

    @Test
    void readsCitationsInEachShapeDspyAccepts() {
        Map<String, Object> one = Map.of("cited_text", "a", "document_index", 1L, "start_char_index", 2L,
                "end_char_index", 3L);
        Citation expected = new Citation("char_location", "a", 1, null, 2, 3, null);

        assertThat(Citations.from(List.of(one)).citations()).containsExactly(expected);
        assertThat(Citations.from(Map.of("citations", List.of(one))).citations()).containsExactly(expected);
        assertThat(Citations.from(one).citations()).containsExactly(expected);
        assertThat(Citations.from(List.of(one)).toList()).containsExactly(Map.of("type", "char_location",
                "cited_text", "a", "document_index", 1L, "start_char_index", 2L, "end_char_index", 3L));
        assertThatThrownBy(() -> Citations.from("text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid value for `Citations`");
        assertThatThrownBy(() -> Citations.from(Map.of("cited_text", "a"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("document_index");
    }
}
