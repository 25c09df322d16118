package dev.dspy4j.spark;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;

/** A program with typed outputs: numbers, a list, a map and a record. Built on executors by class name. */
public final class TypedProgram extends Module {

    /** The input. */
    public record Question(String question) {
    }

    /** A nested record. */
    public record Address(String city, long zip) {
    }

    /** The outputs. */
    public record Answer(String answer, double score, long count, List<String> tags, boolean ok, Address address,
                         Map<String, Long> stock) {
    }

    final Predict predict = new Predict(Signature.fromRecords(Question.class, Answer.class));

    @Override
    protected Prediction forward(Example inputs) {
        return predict.call(inputs.toMap());
    }
}
