package dev.dspy4j.internal.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRepairTest {

    @Test
    void readsValidJsonLikePythonJsonLoads() {
        assertThat(JsonRepair.loads("{\"a\": [1, 2.5, true, null]}"))
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1L, 2.5, true, null)));
        assertThat(JsonRepair.loads(" 0.90 ")).isEqualTo(0.9);
        assertThat(JsonRepair.loads("42")).isEqualTo(42L);
        assertThat(JsonRepair.loads("NaN")).isEqualTo(Double.NaN);
    }

    @Test
    void repairsSingleQuotesTrailingCommasAndUnquotedKeys() {
        assertThat(JsonRepair.loads("{'answer': 'Paris', 'n': 3,}")).isEqualTo(Map.of("answer", "Paris", "n", 3L));
        assertThat(JsonRepair.loads("{answer: \"Paris\"}")).isEqualTo(Map.of("answer", "Paris"));
        assertThat(JsonRepair.loads("[1, 2, 3,]")).isEqualTo(List.of(1L, 2L, 3L));
    }

    @Test
    void readsDigitSeparatorsAndPythonBooleans() {
        assertThat(JsonRepair.loads("{'score': 123_456.789}")).isEqualTo(Map.of("score", 123456.789));
        assertThat(JsonRepair.loads("{'ok': True, 'bad': False}")).isEqualTo(Map.of("ok", true, "bad", false));
    }

    @Test
    void findsJsonInsideMarkdownFencesAndProse() {
        assertThat(JsonRepair.loads("```json\n{\n  \"confidence\": 0.90,\n  \"answer\": \"Paris\"\n}\n```"))
                .isEqualTo(Map.of("confidence", 0.9, "answer", "Paris"));
        assertThat(JsonRepair.loads("Sure! Here it is: {\"a\": 1} Hope it helps."))
                .isEqualTo(Map.of("a", 1L));
    }

    @Test
    void closesTruncatedObjects() {
        assertThat(JsonRepair.loads("{\"a\": [1, 2")).isEqualTo(Map.of("a", List.of(1L, 2L)));
    }

    @Test
    void keepsInnerQuotesThatDoNotEndTheValue() {
        assertThat(JsonRepair.loads("{\"a\": \"He said \"hi\" there\"}")).isEqualTo(Map.of("a", "He said \"hi\" there"));
    }

    @Test
    void returnsEmptyStringWhenThereIsNoJson() {
        assertThat(JsonRepair.loads("Paris")).isEqualTo("");
        assertThat(JsonRepair.loads("")).isEqualTo("");
    }

    @Test
    void evaluatesPythonLiterals() {
        assertThat(JsonRepair.literalEval("True")).isEqualTo(true);
        assertThat(JsonRepair.literalEval("None")).isNull();
        assertThat(JsonRepair.literalEval("'abc'")).isEqualTo("abc");
        assertThat(JsonRepair.literalEval("1_000")).isEqualTo(1000L);
        assertThat(JsonRepair.literalEval("(1, 'a')")).isEqualTo(List.of(1L, "a"));
        assertThat(JsonRepair.literalEval("{'a': [1.5, -2]}")).isEqualTo(Map.of("a", List.of(1.5, -2L)));
        assertThatThrownBy(() -> JsonRepair.literalEval("Paris")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonRepair.literalEval("1 + 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsTheFirstBalancedObject() {
        assertThat(JsonRepair.firstBalancedObject("x { {\"a\": {\"b\": 1}} y")).isEqualTo("{\"a\": {\"b\": 1}}");
        assertThat(JsonRepair.firstBalancedObject("[1, 2]")).isNull();
    }
}
