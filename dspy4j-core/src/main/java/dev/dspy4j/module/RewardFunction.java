package dev.dspy4j.module;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;

/**
 * Scores one attempt of {@link BestOfN} or {@link Refine}: DSPy's {@code reward_fn(args, pred)}.
 * Higher is better; an attempt whose reward reaches the threshold ends the loop.
 *
 * <pre>{@code
 * RewardFunction oneWord = (inputs, prediction) ->
 *         prediction.getString("answer").strip().split("\\s+").length == 1 ? 1.0 : 0.0;
 * }</pre>
 *
 * <p>Called on the thread that runs the module, possibly on many threads at once when the module
 * is: implementations must be thread-safe. An exception thrown here counts as a failed attempt.
 */
@FunctionalInterface
public interface RewardFunction {

    /**
     * The reward of one attempt.
     *
     * @param inputs the inputs the module was called with
     * @param prediction what the module returned
     * @return the reward; {@code NaN} is not allowed (it counts as a failed attempt)
     */
    double reward(Example inputs, Prediction prediction);
}
