package dev.dspy4j.optimize;

import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.PredictorCall;

import java.util.ArrayList;
import java.util.List;

/** Records the predictor calls of one program run; each run gets its own collector. */
final class TraceCollector implements DspyListener {

    private final List<TraceStep> steps = new ArrayList<>();

    @Override
    public void onPredict(PredictorCall call) {
        synchronized (steps) {
            steps.add(new TraceStep(call.predictorPath(), call.inputs(), call.prediction()));
        }
    }

    List<TraceStep> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }
}
