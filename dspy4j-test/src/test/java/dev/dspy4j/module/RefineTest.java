package dev.dspy4j.module;

import static dev.dspy4j.module.BestOfNTest.ONE_WORD;
import static dev.dspy4j.module.BestOfNTest.QUESTION;
import static dev.dspy4j.module.BestOfNTest.answer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefineTest {

    static String feedback(String adviceJson) {
        return "[[ ## discussion ## ]]\nToo many words.\n\n[[ ## advice ## ]]\n" + adviceJson
                + "\n\n[[ ## completed ## ]]";
    }

    static String system(LmRequest request) {
        return request.messages().get(0).text();
    }

    static String user(LmRequest request) {
        return request.messages().get(request.messages().size() - 1).text();
    }

    @Test
    void asksForFeedbackWithTheBaseOptionsAndHintsTheNextAttempt() {
        // given
        ScriptedLm lm = ScriptedLm.replying(answer("The capital is Brussels"),
                feedback("{\"answer\": \"One word only.\"}"), answer("Brussels"));
        Refine refine = Refine.builder(new BestOfNTest.Answerer(), 3, ONE_WORD, 1.0)
                .programCode("class Answerer ...").rewardCode("one word or nothing").build();

        // when
        Prediction prediction = refine.call(QUESTION, DspyContext.of(lm).withOptions(LmOptions.NONE.withTemperature(0.0)));

        // then
        assertThat(prediction.getString("answer")).isEqualTo("Brussels");
        assertThat(lm.callCount()).isEqualTo(3);
        assertThat(lm.requests()).extracting(r -> r.options().rolloutId()).containsExactly(0, null, 1);
        assertThat(lm.requests()).extracting(r -> r.options().temperature()).containsExactly(1.0, 0.0, 1.0);
        LmRequest feedback = lm.requests().get(1);
        assertThat(system(feedback)).startsWith("Your input fields are:\n1. `program_code` (str): The code of the program");
        assertThat(user(feedback))
                .contains("[[ ## program_code ## ]]\nclass Answerer ...\n\n")
                .contains("[[ ## modules_defn ## ]]\n" + "-".repeat(80) + "\nModule answer\n\tInput Fields:\n"
                        + "\t\t1. `question` (str):\n\tOutput Fields:\n\t\t1. `answer` (str):\n"
                        + "\tOriginal Instructions: \n\t\tGiven the fields `question`, produce the fields `answer`.\n"
                        + "-".repeat(80) + "\n\n")
                .contains("[[ ## program_inputs ## ]]\n{\n  \"question\": \"Capital of Belgium?\"\n}\n\n")
                .contains("[[ ## program_trajectory ## ]]\n[\n  {\n    \"module_name\": \"answer\",\n"
                        + "    \"inputs\": {\n      \"question\": \"Capital of Belgium?\"\n    },\n"
                        + "    \"outputs\": {\n      \"answer\": \"The capital is Brussels\"\n    }\n  }\n]\n\n")
                .contains("[[ ## reward_code ## ]]\none word or nothing\n\n")
                .contains("[[ ## target_threshold ## ]]\n1.0\n\n[[ ## reward_value ## ]]\n0.0\n\n")
                .contains("[[ ## module_names ## ]]\n[\n  \"answer\"\n]");
        LmRequest retry = lm.requests().get(2);
        assertThat(system(retry)).contains("2. `hint_` (str): A hint to the module from an earlier run");
        assertThat(user(retry)).contains("[[ ## hint_ ## ]]\nOne word only.");
        assertThat(user(lm.requests().get(0))).doesNotContain("hint_");
    }

    /** Two predictors: {@code draft} then {@code polish}. */
    static final class TwoSteps extends Module {
        final Predict draft = Predict.of("question -> draft");
        final Predict polish = Predict.of("draft -> answer");

        @Override
        protected Prediction forward(Example inputs) {
            Prediction d = draft.call(inputs.toMap());
            return polish.call(Map.of("draft", d.getString("draft")));
        }
    }

    static String draft(String text) {
        return ScriptedLm.chatCompletion(Map.of("draft", text));
    }

    @Test
    void predictorsWithoutAdviceGetNaAndTheTrajectoryNamesEveryStep() {
        // given
        ScriptedLm lm = ScriptedLm.replying(draft("d1"), answer("two words"),
                feedback("{\"polish\": \"Use one word.\"}"), draft("d2"), answer("one"));

        // when
        Prediction prediction = Refine.of(new TwoSteps(), 2, ONE_WORD, 1.0).call(QUESTION, DspyContext.of(lm));

        // then
        assertThat(prediction.getString("answer")).isEqualTo("one");
        assertThat(user(lm.requests().get(2))).contains("\"module_name\": \"draft\"")
                .contains("\"module_name\": \"polish\"")
                .contains("[[ ## module_names ## ]]\n[\n  \"draft\",\n  \"polish\"\n]");
        assertThat(user(lm.requests().get(3))).contains("[[ ## hint_ ## ]]\nN/A");
        assertThat(user(lm.requests().get(4))).contains("[[ ## hint_ ## ]]\nUse one word.");
    }

    @Test
    void emptyAdviceMeansTheNextAttemptRunsWithoutHints() {
        // given
        ScriptedLm lm = ScriptedLm.replying(answer("two words"), feedback("{}"), answer("still two"));

        // when
        Refine.of(new BestOfNTest.Answerer(), 2, ONE_WORD, 1.0).call(QUESTION, DspyContext.of(lm));

        // then
        assertThat(lm.callCount()).isEqualTo(3);
        assertThat(system(lm.requests().get(2))).doesNotContain("hint_");
    }

    @Test
    void noFeedbackIsAskedAfterTheLastAttemptAndTheEarliestBestIsReturned() {
        // given
        ScriptedLm lm = ScriptedLm.replying(answer("first try"), feedback("{\"answer\": \"Shorter.\"}"),
                answer("second try"));

        // when
        Prediction prediction = Refine.of(new BestOfNTest.Answerer(), 2, ONE_WORD, 1.0)
                .call(QUESTION, DspyContext.of(lm));

        // then
        assertThat(lm.callCount()).isEqualTo(3);
        assertThat(prediction.getString("answer")).isEqualTo("first try");
    }

    @Test
    void aFailedFeedbackCallFailsItsAttemptAndTheLoopGoesOn() {
        // given: the feedback call fails
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        ScriptedLm lm = ScriptedLm.answering(request -> {
            if (system(request).contains("program_code")) {
                throw new dev.dspy4j.lm.LmException.ServerError("feedback down", null, 503, null);
            }
            return answer(attempts.getAndIncrement() == 0 ? "first try" : "Brussels");
        });

        // when
        Prediction prediction = Refine.of(new BestOfNTest.Answerer(), 3, ONE_WORD, 1.0)
                .call(QUESTION, DspyContext.of(lm));

        // then: the retry runs without hints
        assertThat(prediction.getString("answer")).isEqualTo("Brussels");
        assertThat(system(lm.requests().get(2))).doesNotContain("hint_");
    }

    @Test
    void theReturnedAttemptReachesTheListenersWithItsHint() {
        // given
        java.util.List<dev.dspy4j.trace.PredictorCall> trace =
                java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        dev.dspy4j.trace.DspyListener listener = new dev.dspy4j.trace.DspyListener() {
            @Override
            public void onPredict(dev.dspy4j.trace.PredictorCall call) {
                trace.add(call);
            }
        };
        ScriptedLm lm = ScriptedLm.replying(answer("two words"), feedback("{\"answer\": \"One word.\"}"),
                answer("one"));

        // when
        Refine.of(new BestOfNTest.Answerer(), 3, ONE_WORD, 1.0).call(QUESTION, DspyContext.of(lm).withListener(listener));

        // then: neither the failed attempt nor the feedback call is in the trace
        assertThat(trace).singleElement().satisfies(call -> {
            assertThat(call.predictorPath()).isEqualTo("module.answer");
            assertThat(call.inputs()).containsEntry("hint_", "One word.");
            assertThat(call.prediction().getString("answer")).isEqualTo("one");
        });
    }

    @Test
    void aBestOfNInsideARefineSeesTheRefinesHintsAndAChainOfThoughtIsAdvisedAsPredict() {
        // given: Refine(BestOfN(ChainOfThought)); the advice names the inner path module.predict
        ScriptedLm lm = ScriptedLm.answering(request -> {
            String system = system(request);
            if (system.contains("`program_code`")) {
                return feedback("{\"module.predict\": \"Answer in one word.\"}");
            }
            String reply = system.contains("`hint_`") ? "Brussels" : "It is Brussels";
            return ScriptedLm.chatCompletion(java.util.Map.of("reasoning", "Known.", "answer", reply));
        });
        Module inner = BestOfN.of(ChainOfThought.of("question -> answer"), 1, ONE_WORD, 1.0);

        // when
        Prediction prediction = Refine.of(inner, 2, ONE_WORD, 1.0).call(QUESTION, DspyContext.of(lm));

        // then
        assertThat(prediction.getString("answer")).isEqualTo("Brussels");
        assertThat(user(lm.requests().get(1))).contains("[[ ## module_names ## ]]\n[\n  \"module.predict\"\n]");
        assertThat(user(lm.requests().get(2))).contains("[[ ## hint_ ## ]]\nAnswer in one word.");
    }

    @Test
    void describesTheProgramAndRewardByDefault() {
        Refine refine = Refine.of(new BestOfNTest.Answerer(), 3, ONE_WORD, 1.0);

        assertThat(refine.programCode()).contains(BestOfNTest.Answerer.class.getName())
                .contains("answer: question -> answer");
        assertThat(refine.rewardCode()).contains("Java reward function");
        assertThat(refine.namedPredictors()).containsOnlyKeys("module.answer");
    }
}
