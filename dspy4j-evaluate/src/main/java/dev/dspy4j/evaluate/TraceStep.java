package dev.dspy4j.evaluate;

import dev.dspy4j.data.Prediction;
import java.util.Map;
import java.util.Objects;

/**
 * One predictor call in a program run: DSPy's {@code (predictor, inputs, outputs)} trace tuple.
 * A list of them is what a {@link Metric} receives during bootstrapping, in
 * {@link MetricContext.Bootstrap}.
 *
 * @param predictorPath the path of the predictor that was called, as in
 *     {@link dev.dspy4j.module.Module#namedPredictors()} ({@code self} for a bare predictor)
 * @param inputs the inputs it received
 * @param outputs what it returned
 */
public record TraceStep(String predictorPath, Map<String, Object> inputs, Prediction outputs) {

    /**
     * @throws NullPointerException if any component is {@code null}
     */
    public TraceStep {
        Objects.requireNonNull(predictorPath, "predictorPath");
        Objects.requireNonNull(outputs, "outputs");
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                Objects.requireNonNull(inputs, "inputs")));
    }
}
