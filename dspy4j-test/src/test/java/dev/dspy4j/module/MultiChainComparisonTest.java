package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.signature.Field;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiChainComparisonTest {

    static final String REPLY = "[[ ## rationale ## ]]\nCanberra was built as the capital.\n\n"
            + "[[ ## answer ## ]]\nCanberra\n\n[[ ## completed ## ]]";

    @Test
    void extendsTheSignatureAsDspyDoes() {
        // when
        MultiChainComparison compare = MultiChainComparison.of("question -> answer", 2);

        // then
        List<Field> fields = compare.predict().signature().fields();
        assertThat(fields).extracting(Field::name)
                .containsExactly("question", "reasoning_attempt_1", "reasoning_attempt_2", "rationale", "answer");
        assertThat(fields.get(1).prefix()).isEqualTo("Student Attempt #1:");
        assertThat(fields.get(2).description()).isEqualTo("${reasoning attempt}");
        assertThat(fields.get(3).prefix()).isEqualTo("Accurate Reasoning: Thank you everyone. Let's now holistically");
        assertThat(fields.get(3).description()).isEqualTo("${corrected reasoning}");
        assertThat(compare.predict().options().temperature()).isEqualTo(0.7);
        assertThat(compare.namedPredictors()).containsOnlyKeys("predict");
    }

    @Test
    void formatsEachCompletionFromTheFirstLinesOfItsRationaleAndLastOutput() {
        // given: a prediction, an example and a map; rationale wins over reasoning; values are stripped
        MultiChainComparison compare = MultiChainComparison.of("question -> answer");
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("reasoning", "ignored");
        both.put("rationale", "  use the rationale  \nnot this");
        List<Object> completions = List.of(
                Prediction.of(Map.of("reasoning", "recall the largest city.\nIt is Sydney.", "answer", "Sydney")),
                Example.of("reasoning", "count", "answer", 42),
                both.isEmpty() ? Map.of() : withAnswer(both, "  Melbourne \n(VIC)"));

        // when
        Map<String, String> attempts = compare.attempts(completions);

        // then
        assertThat(attempts).containsExactly(
                Map.entry("reasoning_attempt_1",
                        "«I'm trying to recall the largest city. I'm not sure but my prediction is Sydney»"),
                Map.entry("reasoning_attempt_2", "«I'm trying to count I'm not sure but my prediction is 42»"),
                Map.entry("reasoning_attempt_3",
                        "«I'm trying to use the rationale I'm not sure but my prediction is Melbourne»"));
    }

    static Map<String, Object> withAnswer(Map<String, Object> values, String answer) {
        Map<String, Object> out = new LinkedHashMap<>(values);
        out.put("answer", answer);
        return out;
    }

    @Test
    void sendsTheAttemptsAndItsTemperatureAndReturnsTheRationaleAndOutputs() {
        // given
        ScriptedLm lm = ScriptedLm.replying(REPLY);
        MultiChainComparison compare = MultiChainComparison.of("question -> answer");
        List<Prediction> completions = List.of(
                Prediction.of(Map.of("reasoning", "a", "answer", "Sydney")),
                Prediction.of(Map.of("reasoning", "b", "answer", "Canberra")),
                Prediction.of(Map.of("reasoning", "c", "answer", "Melbourne")));

        // when
        Prediction prediction = compare.call(completions, Map.of("question", "Capital of Australia?"),
                DspyContext.of(lm));

        // then
        assertThat(prediction.toMap()).containsExactly(Map.entry("rationale", "Canberra was built as the capital."),
                Map.entry("answer", "Canberra"));
        assertThat(lm.lastRequest().options().temperature()).isEqualTo(0.7);
        assertThat(lm.lastRequest().messages().get(1).text())
                .contains("[[ ## reasoning_attempt_2 ## ]]\n«I'm trying to b I'm not sure but my prediction is Canberra»");
    }

    @Test
    void rejectsAnotherNumberOfCompletionsThanM() {
        MultiChainComparison compare = MultiChainComparison.of("question -> answer");
        List<Map<String, String>> two = List.of(Map.of("reasoning", "a", "answer", "x"),
                Map.of("reasoning", "b", "answer", "y"));

        assertThatThrownBy(() -> compare.call(two, Map.of("question", "q"), DspyContext.empty()))
                .isInstanceOf(DspyException.class)
                .hasMessage("The number of attempts (2) doesn't match the expected number M (3). Please set the "
                        + "correct value for M when initializing MultiChainComparison.");
    }

    @Test
    void saysWhatACompletionLacks() {
        MultiChainComparison compare = MultiChainComparison.of("question -> answer", 1);

        assertThatThrownBy(() -> compare.attempts(List.of(Map.of("answer", "x"))))
                .isInstanceOf(DspyException.class).hasMessageContaining("no 'rationale' or 'reasoning'");
        assertThatThrownBy(() -> compare.attempts(List.of(Map.of("reasoning", "x"))))
                .isInstanceOf(DspyException.class).hasMessageContaining("no 'answer'");
        assertThatThrownBy(() -> compare.call(Map.of("question", "q"), DspyContext.empty()))
                .isInstanceOf(DspyException.class).hasMessageContaining("needs the input 'completions'");
    }
}
