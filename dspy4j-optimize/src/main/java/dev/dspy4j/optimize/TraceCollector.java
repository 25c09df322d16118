package dev.dspy4j.optimize;

import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.trace.DspyListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records the predictor calls of one program run; each run gets its own collector. */
final class TraceCollector implements DspyListener {

    private final List<TraceStep> steps = new ArrayList<>();

    @Override
    public void onPredict(Predict predictor, Signature signature, Map<String, Object> inputs, Prediction prediction) {
        synchronized (steps) {
            steps.add(new TraceStep(predictor, inputs, prediction));
        }
    }

    List<TraceStep> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }
}
