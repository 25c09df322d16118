package dev.dspy4j.evaluate;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.ToDoubleBiFunction;

/**
 * Scores a prediction against an example: DSPy's {@code metric(example, pred, trace=None)}.
 *
 * <p>{@link Evaluate} calls it with {@code trace == null} and averages the scores. Optimizers that
 * bootstrap demos call it with the run's trace; a non-null trace means "judge strictly": the result
 * decides whether the trace becomes a demo (optimizers usually keep it when the score is at least
 * their threshold, 1.0 by default). Boolean metrics score {@code 1.0} or {@code 0.0}.
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
     * @param trace {@code null} during evaluation; during bootstrapping the predictor calls of the
     *     run, in order
     * @return the score, usually in {@code [0, 1]}
     */
    double score(Example example, Prediction prediction, List<TraceStep> trace);

    /**
     * A pass/fail metric: {@code true} scores {@code 1.0}, {@code false} {@code 0.0}. The trace is
     * ignored.
     *
     * @param test the test, e.g. {@code (ex, pred) -> ex.get("answer").equals(pred.get("answer"))}
     * @return the metric
     */
    static Metric of(BiPredicate<Example, Prediction> test) {
        Objects.requireNonNull(test, "test");
        return (example, prediction, trace) -> test.test(example, prediction) ? 1.0 : 0.0;
    }

    /**
     * A numeric metric that ignores the trace.
     *
     * @param score the scoring function
     * @return the metric
     */
    static Metric ofScore(ToDoubleBiFunction<Example, Prediction> score) {
        Objects.requireNonNull(score, "score");
        return (example, prediction, trace) -> score.applyAsDouble(example, prediction);
    }
}
