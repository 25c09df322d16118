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
    private final Map<Retrieve, Integer> kOverlay;

    StatefulModule(Module structure, ProgramState state) {
        this.structure = structure.structure();
        Map<String, Module> parameters = this.structure.namedParameters();
        this.state = state.forProgram(parameters);
        Map<Predict, PredictorState> byIdentity = new IdentityHashMap<>();
        Map<Retrieve, Integer> ks = new IdentityHashMap<>();
        parameters.forEach((path, parameter) -> {
            if (parameter instanceof Retrieve retrieve) {
                ks.put(retrieve, state.retrieveK(path));
            } else {
                byIdentity.put((Predict) parameter, state.predictor(path));
            }
        });
        this.overlay = byIdentity;
        this.kOverlay = ks;
    }

    @Override
    protected Prediction forward(Example inputs) {
        return structure.call(inputs.toMap(), overlaid(DspyContext.current()));
    }

    @Override
    public Prediction call(Map<String, ?> inputs, DspyContext context) {
        return structure.call(inputs, overlaid(ProgramContext.enter(context, structure)));
    }

    private DspyContext overlaid(DspyContext context) {
        return ProgramContext.withKOverlay(ProgramContext.withOverlay(context, overlay), kOverlay);
    }

    @Override
    public Map<String, Module> namedParameters() {
        return structure.namedParameters();
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
