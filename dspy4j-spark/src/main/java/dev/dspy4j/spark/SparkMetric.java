package dev.dspy4j.spark;

import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.Score;
import java.io.Serializable;
import java.util.Objects;

/**
 * A {@link Metric} that can travel to executors: {@link SparkEvaluate} serializes it with the job
 * and calls it next to the program, once per row. Write it as a lambda or a class without live
 * resources; it is called from many threads at once and must be thread-safe.
 *
 * <pre>{@code
 * SparkMetric exact = (example, prediction, context) ->
 *         Score.of(example.get("answer").equals(prediction.get("answer")));
 * }</pre>
 */
@FunctionalInterface
public interface SparkMetric extends Metric, Serializable {

    /** A pass/fail metric that compares one field of the example and the prediction with {@code equals}. */
    static SparkMetric exactMatch(String field) {
        Objects.requireNonNull(field, "field");
        return (example, prediction, context) -> Score.of(Objects.equals(example.get(field), value(prediction, field)));
    }

    private static Object value(Prediction prediction, String field) {
        return prediction.has(field) ? prediction.get(field) : null;
    }
}
