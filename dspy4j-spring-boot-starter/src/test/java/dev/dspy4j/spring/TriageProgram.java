package dev.dspy4j.spring;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;

/** A program defined by class for {@code dspy4j.programs.<name>.program-class}: one ChainOfThought. */
public class TriageProgram extends Module {

    final ChainOfThought classify = ChainOfThought.of("text -> label");

    @Override
    protected Prediction forward(Example inputs) {
        return classify.call(inputs.toMap());
    }
}
