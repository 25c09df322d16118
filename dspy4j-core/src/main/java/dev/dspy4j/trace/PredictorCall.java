package dev.dspy4j.trace;

import dev.dspy4j.data.Prediction;
import dev.dspy4j.signature.Signature;
import java.util.Map;
import java.util.Objects;

/**
 * One finished predictor call, as {@link DspyListener#onPredict} reports it: DSPy's trace entry
 * {@code (predictor, inputs, outputs)}, with the predictor named by its path. Immutable.
 *
 * @param predictorPath the predictor's path in the running program ({@code generate_answer.predict};
 *     {@code self} for a bare predictor; {@code ""} for a predictor that is not part of the
 *     program's structure)
 * @param signature the signature used, with learned instructions applied
 * @param inputs the inputs it received
 * @param prediction what it returned
 */
public record PredictorCall(String predictorPath, Signature signature, Map<String, Object> inputs,
                            Prediction prediction) {

    public PredictorCall {
        Objects.requireNonNull(predictorPath, "predictorPath");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(prediction, "prediction");
    }
}
