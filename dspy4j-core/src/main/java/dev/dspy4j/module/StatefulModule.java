package dev.dspy4j.module;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.util.IdentityHashMap;
import java.util.Map;

/** A program's structure run with other learned state, supplied through the context overlay. */
final class StatefulModule extends Module {

    private final Module structure;
    private final ProgramState state;
    private final Map<Predict, PredictorState> overlay;

    StatefulModule(Module structure, ProgramState state) {
        this.structure = structure.structure();
        this.state = state;
        Map<String, Predict> predictors = this.structure.namedPredictors();
        state.requireSamePaths(predictors.keySet());
        Map<Predict, PredictorState> byIdentity = new IdentityHashMap<>();
        predictors.forEach((path, predictor) -> byIdentity.put(predictor, state.predictor(path)));
        this.overlay = byIdentity;
    }

    @Override
    protected Prediction forward(Example inputs) {
        return structure.call(inputs.toMap(), ProgramContext.withOverlay(DspyContext.current(), overlay));
    }

    @Override
    public Prediction call(Map<String, ?> inputs, DspyContext context) {
        return structure.call(inputs, ProgramContext.withOverlay(ProgramContext.enter(context, structure), overlay));
    }

    @Override
    public Map<String, Predict> namedPredictors() {
        return structure.namedPredictors();
    }

    @Override
    Module structure() {
        return structure;
    }

    @Override
    public ProgramState state() {
        return state;
    }

    @Override
    public String toString() {
        return structure + " with learned state";
    }
}
