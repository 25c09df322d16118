package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.util.Map;

/**
 * Runs a module up to {@code N} times and returns the best prediction: DSPy's
 * {@code dspy.BestOfN(module, N, reward_fn, threshold, fail_count)}.
 *
 * <pre>{@code
 * RewardFunction oneWord = (in, p) -> p.getString("answer").strip().contains(" ") ? 0.0 : 1.0;
 * BestOfN best = BestOfN.of(ChainOfThought.of("question -> answer"), 3, oneWord, 1.0);
 * best.call(Map.of("question", "What is the capital of Belgium?"), DspyContext.of(lm));
 * }</pre>
 *
 * <p><b>Attempts.</b> Attempt {@code i} (from 0) runs the module with the context's options
 * overridden by {@code rollout_id = start + i} and {@code temperature = 1.0}, where {@code start}
 * is the context's rollout id or 0: DSPy's {@code lm.copy(rollout_id=..., temperature=1.0)}. As
 * there, a predictor's own options (such as {@link MultiChainComparison}'s temperature) still win,
 * and the distinct rollout ids keep the attempts apart in the LM cache. The loop stops at the first
 * reward at or above the threshold; otherwise the attempt with the highest reward is returned, the
 * earliest on ties.
 *
 * <p><b>Trace.</b> The predictor calls of the returned attempt extend the caller's trace: they
 * reach the listeners' {@code onPredict} (or the enclosing BestOfN/Refine) after the loop; those
 * of the other attempts, and of the reward function, do not. Spans and LM-call events are reported
 * for every attempt.
 *
 * <p><b>Failures.</b> An exception from the module or the reward function (a {@code NaN} reward
 * included) fails the attempt, is logged, and the loop goes on. When more attempts failed than
 * {@code failCount} allows (default {@code N}), or every attempt failed, a {@link DspyException}
 * wrapping the last failure is thrown, the earlier ones attached as suppressed. (DSPy compares
 * the attempt index with a count it decrements, which raises earlier in some cases, and returns
 * {@code None} when every attempt failed within the allowance.) An interrupt, or a
 * {@link dev.dspy4j.run.RunCancelledException}, ends the loop at once.
 *
 * <p><b>Paths.</b> The module's predictors are under {@code module.}, as in DSPy (e.g.
 * {@code module.answer}), so DSPy's saved files load. Immutable and thread-safe: the same
 * instance may run on many threads at once.
 */
public final class BestOfN extends Module {

    private final RolloutLoop loop;

    private BestOfN(RolloutLoop loop) {
        this.loop = loop;
    }

    /**
     * A BestOfN allowing {@code n} failures (DSPy's default {@code fail_count}).
     *
     * @param module the module to run repeatedly
     * @param n the number of attempts, at least 1
     * @param rewardFn scores each attempt
     * @param threshold the reward that ends the loop early
     * @return the module
     * @throws IllegalArgumentException if {@code n < 1} or {@code threshold} is NaN
     */
    public static BestOfN of(Module module, int n, RewardFunction rewardFn, double threshold) {
        return of(module, n, rewardFn, threshold, n);
    }

    /**
     * A BestOfN that fails once more than {@code failCount} attempts failed.
     *
     * @param module the module to run repeatedly
     * @param n the number of attempts, at least 1
     * @param rewardFn scores each attempt
     * @param threshold the reward that ends the loop early
     * @param failCount how many failed attempts are tolerated, at least 0
     * @return the module
     * @throws IllegalArgumentException if {@code n < 1}, {@code failCount < 0} or {@code threshold} is NaN
     */
    public static BestOfN of(Module module, int n, RewardFunction rewardFn, double threshold, int failCount) {
        return new BestOfN(new RolloutLoop("BestOfN", module, n, rewardFn, threshold, failCount));
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
        return loop.run(inputs, DspyContext.current(), null);
    }

    @Override
    public String toString() {
        return "BestOfN(N=" + loop.n() + ", threshold=" + loop.threshold() + ", " + loop.module() + ")";
    }
}
