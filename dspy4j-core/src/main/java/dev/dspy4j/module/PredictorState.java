package dev.dspy4j.module;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an optimizer learns for one predictor: its signature (instructions and field
 * descriptions), its few-shot demos, and optionally its own LM. Immutable.
 *
 * @param signature the signature, with learned instructions and descriptions
 * @param demos few-shot demos, in prompt order
 * @param lm the predictor's own LM, or {@code null} to use the context's
 */
public record PredictorState(Signature signature, List<Example> demos, @Nullable Lm lm) {

    public PredictorState {
        Objects.requireNonNull(signature, "signature");
        demos = List.copyOf(demos);
    }

    /** This state with other demos. */
    public PredictorState withDemos(List<Example> newDemos) {
        return new PredictorState(signature, newDemos, lm);
    }

    /** This state with another signature. */
    public PredictorState withSignature(Signature newSignature) {
        return new PredictorState(newSignature, demos, lm);
    }

    /** This state with its own LM ({@code null} to use the context's). */
    public PredictorState withLm(@Nullable Lm newLm) {
        return new PredictorState(signature, demos, newLm);
    }
}
