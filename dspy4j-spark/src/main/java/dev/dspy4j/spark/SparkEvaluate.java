package dev.dspy4j.spark;

import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.Evaluate;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@link Evaluate} over a Spark {@code Dataset<Row>}: the program and the metrics run on the
 * executors, one row per example, and the driver aggregates the same {@link EvaluationResult} that
 * a local {@code Evaluate} gives: the same scores (DSPy's 0–100 scale), one
 * {@code ExampleResult} per row in the Dataset's order (by index), failed rows at the failure score.
 *
 * <pre>{@code
 * EvaluationResult result = SparkEvaluate.builder()
 *         .predict(predict)                          // program, LM, cache, limits, input columns
 *         .metric(SparkMetric.exactMatch("answer"))
 *         .label("answer", "gold_answer")
 *         .build()
 *         .run(devset);
 * }</pre>
 *
 * <p><b>Examples.</b> Each row becomes an example holding every column under its own name, except
 * that mapped columns ({@code input} of the {@link SparkPredict}, {@link Builder#label(String,
 * String)}) are held under their field's name; its inputs are the program's input fields.
 * Values arrive as Spark gives them: strings, longs, doubles, booleans, lists, maps, and structs as
 * maps.
 *
 * <p><b>What differs from a local run.</b> Errors cross the wire as {@link RemoteError} (type and
 * message). Predictions in the result hold plain values (records as maps). The run never stops
 * early: every row runs, and {@code maxErrors} does not apply. Metrics run next to the program
 * and must be {@link SparkMetric}s (serializable). Usage is the sum of the tokens paid for on the
 * executors.
 *
 * <p>Immutable, serializable and thread-safe.
 */
public final class SparkEvaluate implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    final SparkPredict predict;
    final LinkedHashMap<String, SparkMetric> metrics;
    final LinkedHashMap<String, String> labelColumns;  // field -> column
    final double failureScore;

    private SparkEvaluate(Builder builder) {
        this.predict = builder.predict;
        this.metrics = new LinkedHashMap<>(builder.metrics);
        this.labelColumns = new LinkedHashMap<>(builder.labelColumns);
        this.failureScore = builder.failureScore;
    }

    /** A builder; {@link Builder#predict(SparkPredict)} and a metric are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Evaluates the program on every row and collects the results to the driver (one small
     * record per row: the example, the prediction, the scores, the error and the usage). If the
     * Spark job fails or is cancelled, Spark's {@code SparkException} propagates (Scala throws it
     * without declaring it).
     *
     * @param devset the examples, one per row
     * @return the result, as {@link Evaluate#run} gives it
     * @throws IllegalArgumentException if an input or label column is missing (naming it and the
     *     columns that exist)
     * @throws dev.dspy4j.module.StateLoadException if the saved state does not fit the program
     */
    public EvaluationResult run(Dataset<Row> devset) {
        Objects.requireNonNull(devset, "devset");
        return SparkJobs.evaluate(this, devset);
    }

    @Override
    public String toString() {
        return "SparkEvaluate[" + predict + ", metrics=" + metrics.keySet()
                + (labelColumns.isEmpty() ? "" : ", labels=" + labelColumns) + ", failureScore=" + failureScore + "]";
    }

    /** Settings of {@link SparkEvaluate}. Not thread-safe. */
    public static final class Builder {
        private SparkPredict predict;
        private final Map<String, SparkMetric> metrics = new LinkedHashMap<>();
        private final Map<String, String> labelColumns = new LinkedHashMap<>();
        private double failureScore = 0.0;

        private Builder() {
        }

        /** The program, LM, cache, limits and input columns. Required. */
        public Builder predict(SparkPredict value) {
            this.predict = Objects.requireNonNull(value, "predict");
            return this;
        }

        /** The primary metric, named {@code score}. */
        public Builder metric(SparkMetric metric) {
            return metric("score", metric);
        }

        /**
         * Another metric; the first added is the primary one.
         *
         * @throws IllegalStateException if a metric of that name was added
         */
        public Builder metric(String name, SparkMetric metric) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(metric, "metric");
            if (name.isBlank()) {
                throw new IllegalArgumentException("A metric name must not be blank.");
            }
            if (metrics.containsKey(name)) {
                throw new IllegalStateException("A metric named '" + name + "' was already added; give each metric "
                        + "its own name (metric(SparkMetric) uses the name 'score').");
            }
            metrics.put(name, metric);
            return this;
        }

        /** Reads the label {@code field} of each example from {@code column}. */
        public Builder label(String field, String column) {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(column, "column");
            if (field.isBlank() || column.isBlank()) {
                throw new IllegalArgumentException("label field and column must not be blank");
            }
            labelColumns.put(field, column);
            return this;
        }

        /** The score of every metric for an example whose program or metric failed (default 0.0). */
        public Builder failureScore(double score) {
            if (Double.isNaN(score)) {
                throw new IllegalArgumentException("failureScore must be a number, got NaN");
            }
            this.failureScore = score;
            return this;
        }

        /** The evaluation. @throws IllegalStateException if the program or the metric is missing */
        public SparkEvaluate build() {
            if (predict == null) {
                throw new IllegalStateException("No program: call predict(SparkPredict.builder()...build()) first");
            }
            if (metrics.isEmpty()) {
                throw new IllegalStateException("No metric: call metric(SparkMetric) before build()");
            }
            return new SparkEvaluate(this);
        }
    }
}
