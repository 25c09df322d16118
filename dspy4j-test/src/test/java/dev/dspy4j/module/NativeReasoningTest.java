package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.TwoStepAdapter;
import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.signature.Reasoning;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A {@link Predict} with a {@code dspy.Reasoning} output, with and without an LM that reasons
 * natively, as DSPy 3.3.1's {@code Reasoning.adapt_to_native_lm_feature} decides.
 */
class NativeReasoningTest {

    private static final LmCapabilities REASONING = new LmCapabilities(false, true, false, Set.of());
    private static final Predict PREDICT = Predict.of("question -> reasoning: dspy.Reasoning, answer");
    private static final Map<String, Object> INPUTS = Map.of("question", "Why is the sky blue?");

    private static ScriptedLm reasoningLm(String text, String reasoning) {
        return ScriptedLm.responding(request -> new LmResponse(List.of(new Choice(text, List.of(), reasoning, "stop")),
                Usage.ZERO, "scripted", false)).withCapabilities(REASONING);
    }

    @Test
    void leavesTheFieldOutOfThePromptSendsLowEffortAndFillsItFromTheReasoningContent() {
        ScriptedLm lm = reasoningLm("{\"answer\": \"Rayleigh scattering.\"}", "Short wavelengths scatter more.");

        Prediction prediction = PREDICT.call(INPUTS, DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT));

        assertThat(prediction.getString("answer")).isEqualTo("Rayleigh scattering.");
        assertThat(prediction.getString("reasoning")).isEqualTo("Short wavelengths scatter more.");
        assertThat(lm.lastRequest().options().extra()).containsEntry("reasoning_effort", "low");
        assertThat(lm.lastRequest().messages().get(0).text())
                .contains("Your output fields are:\n1. `answer` (str):")
                .doesNotContain("1. `reasoning`")
                .contains("produce the fields `reasoning`, `answer`."); // the instructions keep their text
    }

    @Test
    void keepsTheCallersReasoningEffort() {
        ScriptedLm lm = reasoningLm("[[ ## answer ## ]]\nBlue.\n\n[[ ## completed ## ]]", "Thought hard.");

        Prediction prediction = PREDICT.call(INPUTS, DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback())
                .withOptions(LmOptions.NONE.withExtra("reasoning_effort", "high")));

        assertThat(lm.lastRequest().options().extra()).containsEntry("reasoning_effort", "high");
        assertThat(prediction.getString("reasoning")).isEqualTo("Thought hard.");
    }

    @Test
    void anExplicitNoneEffortKeepsTheFieldInThePromptAndSendsNoEffort() {
        ScriptedLm lm = reasoningLm(ScriptedLm.chatCompletion(orderedOutputs("Because physics.", "Blue.")), null);

        Prediction prediction = PREDICT.call(INPUTS, DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback())
                .withOptions(LmOptions.NONE.withExtraNone("reasoning_effort")));

        assertThat(prediction.getString("reasoning")).isEqualTo("Because physics.");
        assertThat(lm.lastRequest().messages().get(0).text()).contains("1. `reasoning` (str):");
        assertThat(lm.lastRequest().options().toWireMap()).containsEntry("reasoning_effort", null);
    }

    @Test
    void withAnLmThatDoesNotReasonNativelyItIsAnOrdinaryTextField() {
        ScriptedLm lm = ScriptedLm.replying(ScriptedLm.chatCompletion(orderedOutputs("Because physics.", "Blue.")));

        Prediction prediction = PREDICT.call(INPUTS, DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback()));

        assertThat(prediction.getString("reasoning")).isEqualTo("Because physics.");
        assertThat(lm.lastRequest().options().extra()).doesNotContainKey("reasoning_effort");
        assertThat(lm.lastRequest().messages().get(1).text()).contains("starting with the field `[[ ## reasoning ## ]]`");
    }

    @Test
    void isNullWhenTheLmReasonsNativelyButReturnsNoReasoning() {
        ScriptedLm lm = reasoningLm("<answer>Blue.</answer>", null);

        Prediction prediction = PREDICT.call(INPUTS, DspyContext.of(lm).withAdapter(XmlAdapter.DEFAULT));

        assertThat(prediction.getString("answer")).isEqualTo("Blue.");
        assertThat(prediction.get("reasoning")).isNull();
        assertThat(lm.lastRequest().messages().get(0).text()).doesNotContain("<reasoning>");
    }

    @Test
    void chainOfThoughtKeepsItsPlainStringReasoningInThePrompt() {
        ScriptedLm lm = reasoningLm(ScriptedLm.chatCompletion(orderedOutputs("Step by step.", "Blue.")), "native");

        Prediction prediction = ChainOfThought.of("question -> answer").call(INPUTS,
                DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback()));

        // DSPy 3.3.1's ChainOfThought prepends a str reasoning field, not a dspy.Reasoning
        assertThat(prediction.getString("reasoning")).isEqualTo("Step by step.");
        assertThat(lm.lastRequest().options().extra()).doesNotContainKey("reasoning_effort");
    }

    @Test
    void twoStepLeavesTheFieldOutOfBothStagesAndFillsItFromTheMainLm() {
        ScriptedLm main = reasoningLm("answer: Blue.", "Scattering.");
        ScriptedLm extractor = ScriptedLm.replying("[[ ## answer ## ]]\nBlue.\n\n[[ ## completed ## ]]");

        Prediction prediction = PREDICT.call(INPUTS, DspyContext.of(main).withAdapter(TwoStepAdapter.of(extractor)));

        assertThat(prediction.getString("reasoning")).isEqualTo("Scattering.");
        assertThat(prediction.getString("answer")).isEqualTo("Blue.");
        assertThat(main.lastRequest().options().extra()).containsEntry("reasoning_effort", "low");
        assertThat(extractor.lastRequest().messages().get(0).text()).doesNotContain("[[ ## reasoning ## ]]");
    }

    record Question(String question) {}

    record Explained(Reasoning reasoning, String answer) {}

    @Test
    void aReasoningRecordComponentIsFilledNativelyOrFromTheText() {
        TypedModule<Question, Explained> explain = Predict.typed(Question.class, Explained.class);
        ScriptedLm native_ = reasoningLm("{\"answer\": \"Blue.\"}", "Scattering.");
        ScriptedLm written = ScriptedLm.replying(ScriptedLm.chatCompletion(orderedOutputs("Physics.", "Blue.")));

        Explained fromModel = explain.call(new Question("Why?"), DspyContext.of(native_).withAdapter(JsonAdapter.DEFAULT));
        Explained fromText = explain.call(new Question("Why?"),
                DspyContext.of(written).withAdapter(ChatAdapter.withoutFallback()));

        assertThat(fromModel).isEqualTo(new Explained(new Reasoning("Scattering."), "Blue."));
        assertThat(fromText).isEqualTo(new Explained(new Reasoning("Physics."), "Blue."));
        assertThat(written.lastRequest().messages().get(0).text()).contains("1. `reasoning` (str):");
    }

    private static Map<String, Object> orderedOutputs(String reasoning, String answer) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reasoning", reasoning);
        out.put("answer", answer);
        return out;
    }
}
