package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.PredictorCall;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BestOfNTest {

    /** DSPy's docstring example: 1.0 for a one-word answer. */
    static final RewardFunction ONE_WORD = (inputs, prediction) ->
            prediction.getString("answer").strip().split("\\s+").length == 1 ? 1.0 : 0.0;

    static String answer(String text) {
        return ScriptedLm.chatCompletion(Map.of("answer", text));
    }

    static final Map<String, Object> QUESTION = Map.of("question", "Capital of Belgium?");

    /** A module whose one predictor has the path {@code answer}, like DSPy's Answerer. */
    static final class Answerer extends Module {
        final Predict answer = Predict.of("question -> answer");

        @Override
        protected Prediction forward(Example inputs) {
            return answer.call(inputs.toMap());
        }
    }

    @Test
    void sendsRolloutIdsFromZeroAtTemperatureOneAndStopsAtTheFirstRewardAtTheThreshold() {
        // given
        ScriptedLm lm = ScriptedLm.replying(answer("It is Brussels"), answer("Brussels"), answer("Unused"));
        BestOfN best = BestOfN.of(new Answerer(), 3, ONE_WORD, 1.0);

        // when
        Prediction prediction = best.call(QUESTION, DspyContext.of(lm));

        // then
        assertThat(prediction.getString("answer")).isEqualTo("Brussels");
        assertThat(lm.requests()).extracting(r -> r.options().rolloutId()).containsExactly(0, 1);
        assertThat(lm.requests()).extracting(r -> r.options().temperature()).containsExactly(1.0, 1.0);
    }

    @Test
    void startsAtTheContextsRolloutIdAndKeepsItsOtherOptions() {
        // given
        ScriptedLm lm = ScriptedLm.replying(answer("a b"), answer("c d"), answer("e f"));
        DspyContext context = DspyContext.of(lm)
                .withOptions(LmOptions.NONE.withRolloutId(7).withTemperature(0.0).withMaxTokens(100));

        // when
        BestOfN.of(new Answerer(), 3, ONE_WORD, 1.0).call(QUESTION, context);

        // then
        assertThat(lm.requests()).extracting(r -> r.options().rolloutId()).containsExactly(7, 8, 9);
        assertThat(lm.requests()).extracting(LmRequest::options).allSatisfy(options -> {
            assertThat(options.temperature()).isEqualTo(1.0);
            assertThat(options.maxTokens()).isEqualTo(100);
        });
    }

    @Test
    void aPredictorsOwnTemperatureWinsOverTheAttemptsAsInDspy() {
        // given: DSPy's LM copy sets instance kwargs, which a predictor's config overrides
        ScriptedLm lm = ScriptedLm.replying(answer("Brussels"));
        Predict hot = Predict.of("question -> answer").withOptions(LmOptions.NONE.withTemperature(0.3));

        // when
        BestOfN.of(hot, 2, ONE_WORD, 1.0).call(QUESTION, DspyContext.of(lm));

        // then
        assertThat(lm.lastRequest().options().temperature()).isEqualTo(0.3);
        assertThat(lm.lastRequest().options().rolloutId()).isEqualTo(0);
    }

    @Test
    void returnsTheEarliestOfTheBestAttemptsWhenNoneReachesTheThreshold() {
        // given: rewards 0.5, 0.5, 0.25
        RewardFunction shorter = (in, p) -> 1.0 / p.getString("answer").split(" ").length;
        ScriptedLm lm = ScriptedLm.replying(answer("first two"), answer("second two"), answer("three words here"));

        // when
        Prediction prediction = BestOfN.of(new Answerer(), 3, shorter, 1.0).call(QUESTION, DspyContext.of(lm));

        // then
        assertThat(prediction.getString("answer")).isEqualTo("first two");
        assertThat(lm.callCount()).isEqualTo(3);
    }

    @Test
    void theRewardFunctionGetsTheInputsAndThePrediction() {
        // given
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        RewardFunction recording = (in, p) -> {
            seen.add(in.getString("question") + " -> " + p.getString("answer"));
            return 1.0;
        };

        // when
        BestOfN.of(new Answerer(), 3, recording, 1.0).call(QUESTION, DspyContext.of(ScriptedLm.replying(answer("B"))));

        // then
        assertThat(seen).containsExactly("Capital of Belgium? -> B");
    }

    @Test
    void toleratesFailuresUpToFailCountAndReturnsALaterAttempt() {
        // given: the first attempt's LM call fails
        AtomicInteger calls = new AtomicInteger();
        ScriptedLm lm = ScriptedLm.answering(request -> {
            if (calls.getAndIncrement() == 0) {
                throw new LmException.ServerError("boom", null, 500, null);
            }
            return answer("Brussels");
        });

        // when
        Prediction prediction = BestOfN.of(new Answerer(), 3, ONE_WORD, 1.0, 1).call(QUESTION, DspyContext.of(lm));

        // then
        assertThat(prediction.getString("answer")).isEqualTo("Brussels");
        assertThat(lm.requests()).extracting(r -> r.options().rolloutId()).containsExactly(0, 1);
    }

    @Test
    void rethrowsTheLastFailureWithContextOnceFailuresExceedFailCount() {
        // given: every call fails; one failure is tolerated
        AtomicInteger calls = new AtomicInteger();
        ScriptedLm lm = ScriptedLm.answering(request -> {
            throw new LmException.ServerError("failure " + calls.incrementAndGet(), null, 500, null);
        });

        // when / then: the second failure ends the loop
        assertThatThrownBy(() -> BestOfN.of(new Answerer(), 3, ONE_WORD, 1.0, 1).call(QUESTION, DspyContext.of(lm)))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("BestOfN: attempt 2 of 3 (rollout id 1)")
                .hasMessageContaining("failCount")
                .satisfies(e -> {
                    assertThat(e.getCause()).hasMessageContaining("failure 2");
                    assertThat(e.getSuppressed()).hasSize(1);
                    assertThat(e.getSuppressed()[0]).hasMessageContaining("failure 1");
                });
        assertThat(lm.callCount()).isEqualTo(2);
    }

    @Test
    void failsWhenEveryAttemptFailedWithinTheDefaultFailCount() {
        // given
        ScriptedLm lm = ScriptedLm.answering(request -> {
            throw new LmException.ServerError("down", null, 500, null);
        });

        // when / then
        assertThatThrownBy(() -> BestOfN.of(new Answerer(), 3, ONE_WORD, 1.0).call(QUESTION, DspyContext.of(lm)))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("every attempt failed")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
        assertThat(lm.callCount()).isEqualTo(3);
    }

    @Test
    void aRewardFunctionThatThrowsOrReturnsNanFailsTheAttempt() {
        // given
        AtomicInteger scored = new AtomicInteger();
        RewardFunction flaky = (in, p) -> switch (scored.getAndIncrement()) {
            case 0 -> throw new IllegalStateException("reward broke");
            case 1 -> Double.NaN;
            default -> 0.5;
        };
        ScriptedLm lm = ScriptedLm.replying(answer("one"), answer("two"), answer("three"));

        // when
        Prediction prediction = BestOfN.of(new Answerer(), 3, flaky, 1.0).call(QUESTION, DspyContext.of(lm));

        // then
        assertThat(prediction.getString("answer")).isEqualTo("three");
    }

    @Test
    void onlyTheReturnedAttemptsPredictorCallsReachTheListeners() {
        // given
        List<PredictorCall> trace = Collections.synchronizedList(new ArrayList<>());
        DspyListener listener = new DspyListener() {
            @Override
            public void onPredict(PredictorCall call) {
                trace.add(call);
            }
        };
        ScriptedLm lm = ScriptedLm.replying(answer("It is Brussels"), answer("Brussels"));
        Module program = new Wrapper(BestOfN.of(new Answerer(), 3, ONE_WORD, 1.0));

        // when
        program.call(QUESTION, DspyContext.of(lm).withListener(listener));

        // then
        assertThat(trace).singleElement().satisfies(call -> {
            assertThat(call.predictorPath()).isEqualTo("best.module.answer");
            assertThat(call.prediction().getString("answer")).isEqualTo("Brussels");
        });
    }

    /** A program holding a BestOfN under {@code best}. */
    static final class Wrapper extends Module {
        final Module best;

        Wrapper(Module best) {
            this.best = best;
        }

        @Override
        protected Prediction forward(Example inputs) {
            return best.call(inputs.toMap());
        }
    }

    @Test
    void namesItsPredictorsUnderModuleAsDspyDoes() {
        assertThat(BestOfN.of(new Answerer(), 3, ONE_WORD, 1.0).namedPredictors()).containsOnlyKeys("module.answer");
        assertThat(BestOfN.of(Predict.of("q -> a"), 3, ONE_WORD, 1.0).namedPredictors()).containsOnlyKeys("module");
        assertThat(new Wrapper(Refine.of(new Answerer(), 2, ONE_WORD, 1.0)).namedPredictors())
                .containsOnlyKeys("best.module.answer");
    }

    @Test
    void theSameInstanceRunsOnManyVirtualThreadsAtOnce() throws Exception {
        // given: the answer names the question; attempt 0 is always two words, attempt 1 one word
        ScriptedLm lm = ScriptedLm.answering(request -> {
            String user = request.messages().get(request.messages().size() - 1).text();
            String city = user.substring(user.indexOf("City ") + 5, user.indexOf('?'));
            Integer rollout = request.options().rolloutId();
            return answer(rollout != null && rollout == 0 ? "maybe " + city : city);
        });
        BestOfN best = BestOfN.of(new Answerer(), 3, ONE_WORD, 1.0);
        DspyContext context = DspyContext.of(lm);
        Map<Integer, String> answers = new ConcurrentHashMap<>();

        // when
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                futures.add(threads.submit(() -> answers.put(n,
                        best.call(Map.of("question", "City c" + n + "?"), context).getString("answer"))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }

        // then
        assertThat(answers).hasSize(64);
        answers.forEach((n, answer) -> assertThat(answer).isEqualTo("c" + n));
        assertThat(lm.callCount()).isEqualTo(128);
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThatThrownBy(() -> BestOfN.of(new Answerer(), 0, ONE_WORD, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("N >= 1");
        assertThatThrownBy(() -> BestOfN.of(new Answerer(), 2, ONE_WORD, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> BestOfN.of(new Answerer(), 2, ONE_WORD, 1.0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failCount");
    }
}
