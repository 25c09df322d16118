package dev.dspy4j.evaluate;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.ToDoubleBiFunction;

/**
 * Scores a prediction against an example: DSPy's {@code metric(example, pred, trace=None)}.
 *
 * <p>The {@link MetricContext} says why the metric is called. {@link Evaluate} (and optimizers
 * scoring candidates) call it in {@link MetricContext.Mode#EVALUATION evaluation} mode and average
 * the scores. Optimizers that bootstrap demos call it in {@link MetricContext.Mode#BOOTSTRAP
 * bootstrap} mode with the run's trace, which means "judge strictly": the score decides whether the
 * trace becomes a demo (optimizers keep it when the score is above 0, or at least their threshold).
 *
 * <p>A metric returns a {@link Score}: a number, usually in {@code [0, 1]}, and optional textual
 * feedback that {@link Evaluate} keeps per example. Pass/fail metrics score {@code 1.0} or
 * {@code 0.0}; {@link #of(BiPredicate)} and {@link #ofScore(ToDoubleBiFunction)} build the common
 * cases from plain functions.
 *
 * <p>Metrics are called from many threads at once and must be thread-safe. An exception thrown by a
 * metric is recorded as the example's error, like one thrown by the program.
 */
@FunctionalInterface
public interface Metric {

    /**
     * Scores one prediction.
     *
     * @param example the example, with its labels
     * @param prediction what the program returned for the example's inputs
     * @param context why the metric is called: evaluation, or bootstrapping with the run's trace
     * @return the score, with feedback or {@code ""}
     */
    Score score(Example example, Prediction prediction, MetricContext context);

    /**
     * A pass/fail metric: {@code true} scores {@code 1.0}, {@code false} {@code 0.0}, in either mode.
     *
     * @param test the test, e.g. {@code (ex, pred) -> ex.get("answer").equals(pred.get("answer"))}
     * @return the metric
     */
    static Metric of(BiPredicate<Example, Prediction> test) {
        Objects.requireNonNull(test, "test");
        return (example, prediction, context) -> Score.of(test.test(example, prediction));
    }

    /**
     * A numeric metric without feedback that scores the same in either mode.
     *
     * @param score the scoring function
     * @return the metric
     */
    static Metric ofScore(ToDoubleBiFunction<Example, Prediction> score) {
        Objects.requireNonNull(score, "score");
        return (example, prediction, context) -> Score.of(score.applyAsDouble(example, prediction));
    }
}
