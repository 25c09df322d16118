package dev.dspy4j.bench;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.module.BestOfN;
import dev.dspy4j.module.MultiChainComparison;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.Refine;
import dev.dspy4j.module.RewardFunction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Framework overhead of MultiChainComparison, BestOfN and Refine with an LM that answers
 * instantly from memory (no cache, no listeners, one thread), to compare with
 * {@link CallOverheadBenchmark#predictChat()}.
 *
 * <ul>
 *   <li>{@link #multiChainComparisonChat()}: formats three completions into attempts and makes one
 *       predictor call over the extended signature.
 *   <li>{@link #bestOfNFirstAttemptChat()}: one attempt that reaches the threshold: the loop's own
 *       cost (attempt context, trace record, reward) on top of one predictor call.
 *   <li>{@link #refineWithFeedbackChat()}: an attempt below the threshold, the feedback call
 *       (module definitions, trajectory and values as JSON, the OfferFeedback prompt and its
 *       {@code dict} output parsed) and a hinted retry: three LM calls and all of Refine's non-LM
 *       work.
 * </ul>
 *
 * <p>{@link #checkReplies()} runs each once before measuring and fails the run if the LM was not
 * called exactly as often as expected (a fallback or an extra attempt would change what is measured).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class RolloutModulesBenchmark {

    static final LmResponse COMPARED = LmResponse.of("""
            [[ ## rationale ## ]]
            Two attempts agree on Paris, which is right.

            [[ ## answer ## ]]
            Paris

            [[ ## completed ## ]]""");
    static final LmResponse ONE_WORD = LmResponse.of("[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]");
    static final LmResponse TWO_WORDS = LmResponse.of("[[ ## answer ## ]]\nParis, France\n\n[[ ## completed ## ]]");
    static final LmResponse FEEDBACK = LmResponse.of("""
            [[ ## discussion ## ]]
            The answer module added the country.

            [[ ## advice ## ]]
            {"module": "Reply with the city name only."}

            [[ ## completed ## ]]""");

    static final RewardFunction ONE_WORD_REWARD = (in, p) -> p.getString("answer").indexOf(' ') < 0 ? 1.0 : 0.0;

    private final Map<String, Object> question = Map.of("question", "What is the capital of France?");
    private final List<Map<String, String>> completions = List.of(
            Map.of("reasoning", "France's capital is Paris.\nIt is also its largest city.", "answer", "Paris"),
            Map.of("reasoning", "Lyon is a big city.", "answer", "Lyon"),
            Map.of("reasoning", "  The seat of government is Paris.  ", "answer", " Paris "));

    private final MultiChainComparison compare = MultiChainComparison.of("question -> answer");
    private final BestOfN bestOfN = BestOfN.of(Predict.of("question -> answer"), 3, ONE_WORD_REWARD, 1.0);
    private final Refine refine = Refine.builder(Predict.of("question -> answer"), 2, ONE_WORD_REWARD, 1.0)
            .programCode("Predict(\"question -> answer\")").rewardCode("1.0 for a one-word answer").build();

    private DspyContext comparing;
    private DspyContext answeringOneWord;
    private DspyContext refining;

    @Setup
    public void checkReplies() {
        AtomicInteger calls = new AtomicInteger();
        use(calls);
        check("multiChainComparisonChat", multiChainComparisonChat(), calls, 1);
        check("bestOfNFirstAttemptChat", bestOfNFirstAttemptChat(), calls, 1);
        check("refineWithFeedbackChat", refineWithFeedbackChat(), calls, 3);
        use(null);
    }

    /** One comparison of three completions. */
    @Benchmark
    public Prediction multiChainComparisonChat() {
        return compare.call(completions, question, comparing);
    }

    /** BestOfN whose first attempt reaches the threshold. */
    @Benchmark
    public Prediction bestOfNFirstAttemptChat() {
        return bestOfN.call(question, answeringOneWord);
    }

    /** Refine: a failed attempt, the feedback call, and a hinted attempt that succeeds. */
    @Benchmark
    public Prediction refineWithFeedbackChat() {
        return refine.call(question, refining);
    }

    private void use(AtomicInteger calls) {
        comparing = DspyContext.of(counted(request -> COMPARED, calls));
        answeringOneWord = DspyContext.of(counted(request -> ONE_WORD, calls));
        refining = DspyContext.of(counted(RolloutModulesBenchmark::refineReply, calls));
    }

    /** The feedback call has 9 inputs, a hinted attempt 2; the first attempt 1. */
    private static LmResponse refineReply(LmRequest request) {
        String system = request.messages().get(0).text();
        if (system.startsWith("Your input fields are:\n1. `program_code`")) {
            return FEEDBACK;
        }
        return system.contains("`hint_`") ? ONE_WORD : TWO_WORDS;
    }

    private static Lm counted(Lm lm, AtomicInteger calls) {
        if (calls == null) {
            return lm;
        }
        return request -> {
            calls.incrementAndGet();
            return lm.call(request);
        };
    }

    private static void check(String benchmark, Prediction prediction, AtomicInteger calls, int expected) {
        int made = calls.getAndSet(0);
        if (made != expected || !"Paris".equals(prediction.getString("answer"))) {
            throw new IllegalStateException(benchmark + ": expected Paris from " + expected + " LM calls but got "
                    + prediction + " from " + made + "; the canned replies no longer fit.");
        }
    }
}
