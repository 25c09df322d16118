package dev.dspy4j.cli;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import java.util.Locale;
import java.util.Map;

/** A user's program for {@code --program-class}: one predictor, and code around it. */
public class ShoutingQa extends Module {

    private final Predict answer = Predict.of("question -> answer");

    /** The no-arg constructor the CLI calls. */
    public ShoutingQa() {}

    @Override
    protected Prediction forward(Example inputs) {
        Prediction prediction = answer.call(Map.of("question", inputs.getString("question")));
        return Prediction.of(Map.of("answer", prediction.getString("answer").toUpperCase(Locale.ROOT)));
    }
}
