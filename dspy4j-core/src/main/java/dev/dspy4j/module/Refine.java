package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * {@link BestOfN} that learns from its failures: DSPy's {@code dspy.Refine(module, N, reward_fn,
 * threshold, fail_count)}. Attempts, rollout ids, temperatures, the stopping rule, ties, the trace
 * and failures work exactly as in {@link BestOfN}.
 *
 * <pre>{@code
 * Refine refine = Refine.builder(ChainOfThought.of("question -> answer"), 3, oneWord, 1.0)
 *         .rewardCode("1.0 if the answer is a single word, else 0.0")
 *         .build();
 * refine.call(Map.of("question", "What is the capital of Belgium?"), DspyContext.of(lm));
 * }</pre>
 *
 * <p><b>Feedback.</b> After each attempt whose reward is below the threshold, except the last, an
 * ad hoc predictor with DSPy's {@code OfferFeedback} signature is called with the context's LM and
 * options (not the attempt's rollout id and temperature). It gets the program's code, the module
 * definitions (each predictor's fields and instructions), the inputs, the attempt's trajectory
 * (each predictor call's inputs and outputs), the outputs, the reward function's code, the
 * threshold, the reward and the predictor names, all as text (values as 2-space-indented JSON,
 * as DSPy's {@code orjson} writes them). It answers with {@code discussion} and {@code advice}, a
 * map from predictor name (its path inside the module) to advice.
 *
 * <p><b>Hints.</b> On the next attempt every predictor call gets an extra input {@code hint_}
 * ("A hint to the module from an earlier run"), appended to its signature, holding its advice or
 * {@code N/A}. DSPy does this by wrapping the adapter; here the predictors read the hint from the
 * attempt's context, so any adapter works. The hint is part of the recorded inputs.
 *
 * <p><b>Code.</b> DSPy shows the LM the Python source of the module's class and of the reward
 * function. Java has no such source at run time: pass it (or a description) with
 * {@link Builder#programCode} and {@link Builder#rewardCode}; by default the program is described
 * by its class and its predictors' signatures, and the reward function by its class.
 *
 * <p>Immutable and thread-safe: the same instance may run on many threads at once.
 */
public final class Refine extends Module {

    private final RolloutLoop loop;
    private final RefineFeedback.Setup setup;

    private Refine(Builder builder) {
        this.loop = new RolloutLoop("Refine", builder.module, builder.n, builder.rewardFn, builder.threshold,
                builder.failCount == null ? builder.n : builder.failCount);
        this.setup = new RefineFeedback.Setup(builder.module,
                builder.programCode != null ? builder.programCode : describe(builder.module),
                builder.rewardCode != null ? builder.rewardCode : describe(builder.rewardFn),
                builder.threshold);
    }

    /**
     * A Refine with DSPy's defaults ({@code failCount = n}) and the default code descriptions.
     *
     * @param module the module to run repeatedly
     * @param n the number of attempts, at least 1
     * @param rewardFn scores each attempt
     * @param threshold the reward that ends the loop early
     * @return the module
     * @throws IllegalArgumentException if {@code n < 1} or {@code threshold} is NaN
     */
    public static Refine of(Module module, int n, RewardFunction rewardFn, double threshold) {
        return builder(module, n, rewardFn, threshold).build();
    }

    /**
     * A builder for a Refine of {@code module}.
     *
     * @param module the module to run repeatedly
     * @param n the number of attempts, at least 1
     * @param rewardFn scores each attempt
     * @param threshold the reward that ends the loop early
     * @return the builder
     */
    public static Builder builder(Module module, int n, RewardFunction rewardFn, double threshold) {
        return new Builder(module, n, rewardFn, threshold);
    }

    /** The module run on each attempt (its predictors' paths start with {@code module.}). */
    public Module module() {
        return loop.module();
    }

    /** The number of attempts. */
    public int n() {
        return loop.n();
    }

    /** The reward that ends the loop early. */
    public double threshold() {
        return loop.threshold();
    }

    /** How many failed attempts are tolerated. */
    public int failCount() {
        return loop.failCount();
    }

    /** The reward function. */
    public RewardFunction rewardFn() {
        return loop.reward();
    }

    /** The program code shown to the feedback step. */
    public String programCode() {
        return setup.programCode();
    }

    /** The reward function's code shown to the feedback step. */
    public String rewardCode() {
        return setup.rewardCode();
    }

    @Override
    protected Map<String, ?> children() {
        return Map.of("module", loop.module());
    }

    /**
     * Runs the attempts with the context bound to this thread.
     *
     * @throws DspyException wrapping the last failure if more attempts failed than allowed, or all did
     */
    @Override
    protected Prediction forward(Example inputs) {
        return loop.run(inputs, DspyContext.current(),
                (in, trace, outputs, reward, attemptContext, caller) ->
                        RefineFeedback.advise(setup, in, trace, outputs, reward, attemptContext, caller));
    }

    /** The default program code: the module's class and its predictors' signatures. */
    static String describe(Module module) {
        String predictors = module.namedPredictors().entrySet().stream()
                .map(e -> "    " + e.getKey() + ": " + e.getValue().signature().shorthand())
                .collect(Collectors.joining("\n"));
        return "A dspy4j (Java) program of class " + module.getClass().getName()
                + " with these predictors (name: signature):\n" + predictors + "\n";
    }

    private static String describe(RewardFunction rewardFn) {
        return "A Java reward function (" + rewardFn.getClass().getName() + ") scoring (inputs, prediction); "
                + "its source is not available.\n";
    }

    @Override
    public String toString() {
        return "Refine(N=" + loop.n() + ", threshold=" + loop.threshold() + ", " + loop.module() + ")";
    }

    /** Settings of a {@link Refine}; each is checked when set or at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final Module module;
        private final int n;
        private final RewardFunction rewardFn;
        private final double threshold;
        private @Nullable Integer failCount;
        private @Nullable String programCode;
        private @Nullable String rewardCode;

        private Builder(Module module, int n, RewardFunction rewardFn, double threshold) {
            this.module = Objects.requireNonNull(module, "module");
            this.rewardFn = Objects.requireNonNull(rewardFn, "rewardFn");
            this.n = n;
            this.threshold = threshold;
        }

        /**
         * How many failed attempts are tolerated before the last failure is rethrown; default {@code N}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder failCount(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("failCount must be >= 0, not " + value + ".");
            }
            this.failCount = value;
            return this;
        }

        /** The program's code (or a description of it) shown to the feedback step: DSPy sends the module class's source. */
        public Builder programCode(String value) {
            this.programCode = Objects.requireNonNull(value, "programCode");
            return this;
        }

        /** The reward function's code (or a description of it) shown to the feedback step. */
        public Builder rewardCode(String value) {
            this.rewardCode = Objects.requireNonNull(value, "rewardCode");
            return this;
        }

        /**
         * The Refine.
         *
         * @throws IllegalArgumentException if {@code N < 1} or the threshold is NaN
         */
        public Refine build() {
            return new Refine(this);
        }
    }
}
