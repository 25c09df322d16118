package dev.dspy4j.module;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.TypeRegistry;
import java.util.Map;
import java.util.Optional;

/**
 * Asks the LM to reason step by step before answering: the signature gains a first output field
 * {@code reasoning}. The Java counterpart of {@code dspy.ChainOfThought}; its inner predictor's
 * path is {@code predict}, as in DSPy, so saved state lines up.
 *
 * <p>The prediction holds {@code reasoning} plus the signature's outputs. Immutable and
 * thread-safe.
 */
public final class ChainOfThought extends Module {

    /** The name of the field the reasoning goes into. */
    public static final String REASONING = "reasoning";

    private final Predict predict;

    /** A chain of thought over {@code signature}. */
    public ChainOfThought(Signature signature) {
        this.predict = new Predict(extend(signature));
    }

    /** A chain of thought over DSPy's shorthand, e.g. {@code "question -> answer"}. */
    public static ChainOfThought of(String signature) {
        return new ChainOfThought(Signature.parse(signature));
    }

    /** A chain of thought over DSPy's shorthand with named types. */
    public static ChainOfThought of(String signature, TypeRegistry types) {
        return new ChainOfThought(Signature.parse(signature, types));
    }

    /**
     * A typed chain of thought over records (see {@link Signature#fromRecords(Class, Class)}). The
     * reasoning is available from {@link TypedModule#predict(Record)}.
     */
    public static <I extends Record, O extends Record> TypedModule<I, O> typed(Class<I> inputs, Class<O> outputs) {
        return new TypedModule<>(new ChainOfThought(Signature.fromRecords(inputs, outputs)), inputs, outputs);
    }

    /**
     * The signature with DSPy's reasoning field prepended to the outputs: type {@code str}, no
     * description, prefix {@code Reasoning:}.
     */
    public static Signature extend(Signature signature) {
        Field reasoning = new Field(REASONING, Field.Role.OUTPUT, FieldType.STR, null, "Reasoning:", true,
                Optional.empty());
        return signature.prepend(reasoning);
    }

    /** The inner predictor (path {@code predict}). */
    public Predict predict() {
        return predict;
    }

    @Override
    protected Prediction forward(Example inputs) {
        return predict.call(inputs.toMap());
    }

    @Override
    public Prediction call(Map<String, ?> inputs, DspyContext context) {
        return predict.call(inputs, context);
    }

    @Override
    public String toString() {
        return "ChainOfThought(" + predict.signature().shorthand() + ")";
    }
}
