package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import dev.dspy4j.adapter.AdapterParseException;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.trace.DspyListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictTest {

    private static final String PARIS = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]";

    @Test
    void sendsDspyChatPromptAndParsesTheAnswer() {
        ScriptedLm lm = ScriptedLm.replying(PARIS);

        Prediction prediction = Predict.of("question -> answer")
                .call(Map.of("question", "What is the capital of France?"), DspyContext.of(lm));

        assertThat(prediction.getString("answer")).isEqualTo("Paris");
        List<Message> messages = lm.lastRequest().messages();
        assertThat(messages).extracting(Message::role).containsExactly(Message.Role.SYSTEM, Message.Role.USER);
        assertThat(messages.get(1).text()).isEqualTo("[[ ## question ## ]]\nWhat is the capital of France?\n\n"
                + "Respond with the corresponding output fields, starting with the field `[[ ## answer ## ]]`, "
                + "and then ending with the marker for `[[ ## completed ## ]]`.");
        assertThat(lm.lastRequest().options()).isEqualTo(LmOptions.NONE);
    }

    @Test
    void rendersDemosBeforeTheInput() {
        ScriptedLm lm = ScriptedLm.replying(PARIS);
        Predict qa = Predict.of("question -> answer")
                .withDemos(List.of(Example.of("question", "2+2?", "answer", "4")));

        qa.call(Map.of("question", "Capital of France?"), DspyContext.of(lm));

        List<Message> messages = lm.lastRequest().messages();
        assertThat(messages).hasSize(4);
        assertThat(messages.get(1).text()).isEqualTo("[[ ## question ## ]]\n2+2?");
        assertThat(messages.get(2).text()).isEqualTo("[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]\n");
    }

    @Test
    void missingInputFailsNamingTheField() {
        ScriptedLm lm = ScriptedLm.replying(PARIS);

        assertThatThrownBy(() -> Predict.of("question, context -> answer")
                .call(Map.of("question", "Q"), DspyContext.of(lm)))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("Missing input 'context'");
        assertThat(lm.callCount()).isZero();
    }

    @Test
    void withoutAnLmTheErrorSaysHowToSetOne() {
        assertThatThrownBy(() -> Predict.of("question -> answer").call(Map.of("question", "Q"), DspyContext.empty()))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("No LM is set")
                .hasMessageContaining("DspyContext.of(lm)");
    }

    @Test
    void predictorsOwnLmWinsOverTheContexts() {
        ScriptedLm contextLm = ScriptedLm.replying(PARIS);
        ScriptedLm ownLm = ScriptedLm.replying(PARIS);

        Predict.of("question -> answer").withLm(ownLm).call(Map.of("question", "Q"), DspyContext.of(contextLm));

        assertThat(ownLm.callCount()).isEqualTo(1);
        assertThat(contextLm.callCount()).isZero();
    }

    @Test
    void severalCompletionsRaiseALowTemperatureAndAreAllKept() {
        ScriptedLm lm = ScriptedLm.responding(request -> LmResponse.ofTexts(List.of(
                "[[ ## answer ## ]]\nA\n\n[[ ## completed ## ]]", "[[ ## answer ## ]]\nB\n\n[[ ## completed ## ]]")));
        Predict qa = Predict.of("question -> answer").withOptions(LmOptions.NONE.withN(2).withTemperature(0.0));

        Prediction prediction = qa.call(Map.of("question", "Q"), DspyContext.of(lm));

        assertThat(lm.lastRequest().options().temperature()).isEqualTo(0.7);
        assertThat(prediction.getString("answer")).isEqualTo("A");
        assertThat(prediction.completions()).extracting(c -> c.get("answer")).containsExactly("A", "B");
    }

    @Test
    void contextOptionsAreOverriddenByThePredictorsConfig() {
        ScriptedLm lm = ScriptedLm.replying(PARIS);
        DspyContext context = DspyContext.of(lm).withOptions(LmOptions.NONE.withTemperature(0.2).withMaxTokens(100));

        Predict.of("question -> answer").withOptions(LmOptions.NONE.withTemperature(0.9))
                .call(Map.of("question", "Q"), context);

        assertThat(lm.lastRequest().options().temperature()).isEqualTo(0.9);
        assertThat(lm.lastRequest().options().maxTokens()).isEqualTo(100);
    }

    @Test
    void unparseableReplyFallsBackToJsonAdapterAndTellsListeners() {
        ScriptedLm lm = ScriptedLm.replying("I think it is Paris.", "{\"answer\": \"Paris\"}");
        List<String> fallbacks = Collections.synchronizedList(new ArrayList<>());
        DspyContext context = DspyContext.of(lm).withListener(new DspyListener() {
            @Override
            public void onAdapterFallback(String from, String to, DspyException cause) {
                fallbacks.add(from + "->" + to);
            }
        });

        Prediction prediction = Predict.of("question -> answer").call(Map.of("question", "Q"), context);

        assertThat(prediction.getString("answer")).isEqualTo("Paris");
        assertThat(fallbacks).containsExactly("ChatAdapter->JSONAdapter");
        assertThat(lm.callCount()).isEqualTo(2);
    }

    @Test
    void withFallbackOffTheParseErrorCarriesTheRawCompletion() {
        ScriptedLm lm = ScriptedLm.replying("I think it is Paris.");
        DspyContext context = DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback());

        assertThatThrownBy(() -> Predict.of("question -> answer").call(Map.of("question", "Q"), context))
                .isInstanceOfSatisfying(AdapterParseException.class, e -> {
                    assertThat(e.lmResponse()).isEqualTo("I think it is Paris.");
                    assertThat(e.adapterName()).isEqualTo("ChatAdapter");
                    assertThat(e.isRetryable()).isFalse();
                });
        assertThat(lm.callCount()).isEqualTo(1);
    }

    @Test
    void listenersSeeEveryPredictorCall() {
        ScriptedLm lm = ScriptedLm.replying(PARIS);
        List<Object[]> seen = new ArrayList<>();
        Predict qa = Predict.of("question -> answer");
        DspyContext context = DspyContext.of(lm).withListener(new DspyListener() {
            @Override
            public void onPredict(dev.dspy4j.trace.PredictorCall call) {
                seen.add(new Object[] {call.predictorPath(), call.inputs(), call.prediction()});
            }
        });

        qa.call(Map.of("question", "Q"), context);

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)[0]).isEqualTo("self");
        assertThat(seen.get(0)[1]).isEqualTo(Map.of("question", "Q"));
        assertThat(((Prediction) seen.get(0)[2]).getString("answer")).isEqualTo("Paris");
    }

    @Test
    void aFailingListenerDoesNotBreakTheCall() {
        ScriptedLm lm = ScriptedLm.replying(PARIS);
        DspyContext context = DspyContext.of(lm).withListener(new DspyListener() {
            @Override
            public void onPredict(dev.dspy4j.trace.PredictorCall call) {
                throw new IllegalStateException("listener bug");
            }
        });

        assertThat(Predict.of("question -> answer").call(Map.of("question", "Q"), context).getString("answer"))
                .isEqualTo("Paris");
    }
}
