package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A {@code null} input is rejected before any LM call unless the field's type admits {@code None}. */
class NullInputsTest {

    private static final String ANSWER = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]";

    record Question(String question, Optional<String> context) {}

    record Answer(String answer) {}

    private static Map<String, Object> inputs(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void aNullInputOfARequiredTypeFailsNamingTheFieldTheSignatureAndTheFix() {
        // given
        ScriptedLm lm = ScriptedLm.replying(ANSWER);
        Predict qa = Predict.of("question, context: list[str] -> answer");

        // when / then
        assertThatThrownBy(() -> qa.call(inputs("question", "Capital of France?", "context", null),
                DspyContext.of(lm)))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("Input 'context'")
                .hasMessageContaining("signature question, context -> answer")
                .hasMessageContaining("is null (None)")
                .hasMessageContaining("Optional[list[str]] or list[str] | None");
        assertThat(lm.callCount()).isZero();
    }

    @Test
    void aNullInputOfAnOptionalTypeIsPassedOnAsNone() {
        // given
        ScriptedLm lm = ScriptedLm.replying(ANSWER);
        Predict qa = Predict.of("question, context: str | None -> answer");
        Map<String, Object> inputs = inputs("question", "Capital of France?", "context", null);

        // when
        qa.call(inputs, DspyContext.of(lm));

        // then: the adapter renders it as DSPy renders None
        assertThat(lm.callCount()).isEqualTo(1);
        assertThat(lm.lastRequest().messages()).isEqualTo(ChatAdapter.DEFAULT.format(qa.signature(), List.of(), inputs));
    }

    @Test
    void aNullInputOfTypeAnyIsAccepted() {
        // given
        ScriptedLm lm = ScriptedLm.replying(ANSWER);

        // when
        Predict.of("question, hint: Any -> answer").call(inputs("question", "q", "hint", null), DspyContext.of(lm));

        // then
        assertThat(lm.callCount()).isEqualTo(1);
    }

    @Test
    void aChainOfThoughtRejectsNullInputsToo() {
        assertThatThrownBy(() -> ChainOfThought.of("question -> answer").call(inputs("question", null),
                DspyContext.of(ScriptedLm.replying(ANSWER))))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("Input 'question'");
    }

    @Test
    void aTypedModuleRejectsANullRecordComponentButAcceptsAnEmptyOptional() {
        // given
        TypedModule<Question, Answer> qa = Predict.typed(Question.class, Answer.class);
        ScriptedLm lm = ScriptedLm.replying(ANSWER);

        // when / then
        assertThat(qa.call(new Question("Capital of France?", Optional.empty()), DspyContext.of(lm)))
                .isEqualTo(new Answer("Paris"));
        assertThatThrownBy(() -> qa.call(new Question(null, Optional.empty()), DspyContext.of(lm)))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("Input 'question'")
                .hasMessageContaining("Optional<...> in a record");
    }
}
