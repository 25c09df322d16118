package dev.dspy4j.evaluate;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.usage.UsageReport;
import java.util.Objects;

/**
 * A metric that also sees what running the program on the example cost: its tokens and dollars
 * per model, as priced by the {@link dev.dspy4j.usage.PriceTable} of
 * {@link dev.dspy4j.usage.UsageTracker#create()}. Add it to an {@link Evaluate} with
 * {@link Evaluate.Builder#costAwareMetric(String, CostAwareMetric)}, next to a quality metric, for
 * a per-metric breakdown such as accuracy and a cost-weighted score.
 *
 * <p>The usage covers the program's LM calls for this example only (not an LM judge's calls made
 * while scoring). Cache hits cost nothing. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface CostAwareMetric {

    /**
     * Scores one example.
     *
     * @param example the gold example
     * @param prediction what the program returned
     * @param usage what the program's LM calls for this example used and cost
     * @return the score, with feedback or {@code ""}
     */
    Score score(Example example, Prediction prediction, UsageReport usage);

    /**
     * A cost-weighted score: {@code max(0, quality − penaltyPerDollar × cost)}, where
     * {@code quality} is the base metric's score and {@code cost} the example's cost in dollars.
     * Models without a price cost nothing. The base metric's feedback is kept.
     *
     * @param quality the base metric, scored in evaluation mode
     * @param penaltyPerDollar how many score points one dollar takes away, e.g. {@code 100} makes a
     *     one-cent example lose 1 point
     * @throws IllegalArgumentException if the penalty is negative
     */
    static CostAwareMetric costWeighted(Metric quality, double penaltyPerDollar) {
        Objects.requireNonNull(quality, "quality");
        if (!(penaltyPerDollar >= 0)) {
            throw new IllegalArgumentException("penaltyPerDollar must be >= 0, was " + penaltyPerDollar);
        }
        return (example, prediction, usage) -> {
            Score base = quality.score(example, prediction, MetricContext.evaluation());
            return new Score(Math.max(0, base.value() - penaltyPerDollar * usage.cost().doubleValue()), base.feedback());
        };
    }
}
