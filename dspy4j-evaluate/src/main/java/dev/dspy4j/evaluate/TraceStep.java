package dev.dspy4j.evaluate;

import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Predict;
import java.util.Map;
import java.util.Objects;

/**
 * One predictor call in a program run: DSPy's {@code (predictor, inputs, outputs)} trace tuple.
 * A list of them is what a {@link Metric} receives during bootstrapping, in
 * {@link MetricContext.Bootstrap}.
 *
 * @param predictor the predictor that was called (map it to a path with
 *     {@link dev.dspy4j.module.Module#namedPredictors()})
 * @param inputs the inputs it received
 * @param outputs what it returned
 */
public record TraceStep(Predict predictor, Map<String, Object> inputs, Prediction outputs) {

    /**
     * @throws NullPointerException if any component is {@code null}
     */
    public TraceStep {
        Objects.requireNonNull(predictor, "predictor");
        Objects.requireNonNull(outputs, "outputs");
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                Objects.requireNonNull(inputs, "inputs")));
    }
}
