package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Compares {@code M} reasoning attempts and produces a corrected answer: DSPy's
 * {@code dspy.MultiChainComparison(signature, M=3, temperature=0.7)}.
 *
 * <pre>{@code
 * MultiChainComparison compare = MultiChainComparison.of("question -> answer");
 * List<Prediction> attempts = ...;   // e.g. three ChainOfThought predictions, each with reasoning and answer
 * compare.call(attempts, Map.of("question", "..."), DspyContext.of(lm)).getString("answer");
 * }</pre>
 *
 * <p><b>Signature.</b> The user's signature gains the inputs {@code reasoning_attempt_1..M}
 * (prefix {@code Student Attempt #k:}, description {@code ${reasoning attempt}}) and a first
 * output {@code rationale} (prefix {@code Accurate Reasoning: Thank you everyone. Let's now
 * holistically}, description {@code ${corrected reasoning}}), exactly as DSPy builds them. Its
 * predictor, at path {@code predict}, always sends {@code temperature} (0.7 by default).
 *
 * <p><b>Attempts.</b> Each completion (a {@link Prediction}, an {@link Example} or a map) becomes
 * {@code «I'm trying to <rationale> I'm not sure but my prediction is <answer>»}, where the
 * rationale is the first line of its {@code rationale} (else {@code reasoning}) and the answer the
 * first line of the last output field of the user's signature, each stripped as Python strips.
 *
 * <p>Called as a module ({@link #call(Map)}), the completions come from the input
 * {@code completions}, like DSPy's {@code forward(completions, **kwargs)}. Immutable and
 * thread-safe.
 */
public final class MultiChainComparison extends Module {

    /** DSPy's default number of attempts. */
    public static final int DEFAULT_M = 3;
    /** DSPy's default temperature. */
    public static final double DEFAULT_TEMPERATURE = 0.7;
    /** The input that holds the completions when called as a module. */
    public static final String COMPLETIONS = "completions";
    /** The output prepended to the user's outputs. */
    public static final String RATIONALE = "rationale";

    private final int m;
    private final String lastKey;
    private final Predict predict;

    /** A comparison of {@value #DEFAULT_M} attempts at temperature {@value #DEFAULT_TEMPERATURE}. */
    public MultiChainComparison(Signature signature) {
        this(signature, DEFAULT_M, DEFAULT_TEMPERATURE);
    }

    /**
     * A comparison of {@code m} attempts; the predictor sends {@code temperature}.
     *
     * @param signature the user's signature, with at least one output
     * @param m the number of attempts, at least 1
     * @param temperature the temperature the predictor sends
     * @throws IllegalArgumentException if {@code m < 1}, the temperature is negative, or the
     *     signature has no output
     */
    public MultiChainComparison(Signature signature, int m, double temperature) {
        Objects.requireNonNull(signature, "signature");
        if (m < 1) {
            throw new IllegalArgumentException("MultiChainComparison needs M >= 1, not " + m + ".");
        }
        if (signature.outputs().isEmpty()) {
            throw new IllegalArgumentException("MultiChainComparison needs a signature with an output; "
                    + signature.shorthand() + " has none.");
        }
        this.m = m;
        this.lastKey = signature.outputs().get(signature.outputs().size() - 1).name();
        this.predict = new Predict(extend(signature, m))
                .withOptions(LmOptions.NONE.withTemperature(temperature));
    }

    /** A comparison of 3 attempts over DSPy's shorthand, e.g. {@code "question -> answer"}. */
    public static MultiChainComparison of(String signature) {
        return new MultiChainComparison(Signature.parse(signature));
    }

    /** A comparison of {@code m} attempts over DSPy's shorthand. */
    public static MultiChainComparison of(String signature, int m) {
        return new MultiChainComparison(Signature.parse(signature), m, DEFAULT_TEMPERATURE);
    }

    /** The signature with DSPy's attempt inputs appended and the rationale output prepended. */
    public static Signature extend(Signature signature, int m) {
        Signature extended = signature;
        for (int k = 1; k <= m; k++) {
            extended = extended.append(new Field("reasoning_attempt_" + k, Field.Role.INPUT, FieldType.STR,
                    "${reasoning attempt}", "Student Attempt #" + k + ":", true, Optional.empty()));
        }
        return extended.prepend(new Field(RATIONALE, Field.Role.OUTPUT, FieldType.STR, "${corrected reasoning}",
                "Accurate Reasoning: Thank you everyone. Let's now holistically", true, Optional.empty()));
    }

    /** The number of attempts compared. */
    public int m() {
        return m;
    }

    /** The inner predictor (path {@code predict}). */
    public Predict predict() {
        return predict;
    }

    /**
     * Compares {@code completions} with the context bound to this thread.
     *
     * @param completions exactly {@code M} attempts: predictions, examples or maps
     * @param inputs the user's inputs
     * @return {@code rationale} and the user's outputs
     * @throws DspyException if there are not exactly {@code M} completions, or one lacks a rationale
     *     (or reasoning) or the last output
     */
    public Prediction call(List<?> completions, Map<String, ?> inputs) {
        return call(completions, inputs, DspyContext.current());
    }

    /**
     * Compares {@code completions} with an explicit context.
     *
     * @param completions exactly {@code M} attempts: predictions, examples or maps
     * @param inputs the user's inputs
     * @param context the LM, adapter and listeners
     * @return {@code rationale} and the user's outputs
     * @throws DspyException if there are not exactly {@code M} completions, or one lacks a rationale
     *     (or reasoning) or the last output
     */
    public Prediction call(List<?> completions, Map<String, ?> inputs, DspyContext context) {
        Map<String, Object> all = new LinkedHashMap<>(inputs);
        all.put(COMPLETIONS, completions);
        return call(all, context);
    }

    @Override
    protected Prediction forward(Example inputs) {
        if (!(inputs.get(COMPLETIONS) instanceof List<?> completions)) {
            throw new DspyException("MultiChainComparison needs the input '" + COMPLETIONS + "', a list of " + m
                    + " attempts (predictions or maps with a rationale or reasoning and '" + lastKey + "'); got "
                    + inputs.keys() + ".");
        }
        Map<String, Object> kwargs = new LinkedHashMap<>(attempts(completions));
        kwargs.putAll(inputs.without(COMPLETIONS).toMap());
        return predict.call(kwargs);
    }

    /**
     * The {@code reasoning_attempt_k} inputs for {@code completions}, formatted as DSPy formats them.
     *
     * @throws DspyException if there are not exactly {@code M} completions, or one lacks a field
     */
    public Map<String, String> attempts(List<?> completions) {
        Map<String, String> attempts = new LinkedHashMap<>();
        int k = 0;
        for (Object completion : completions) {
            k++;
            Map<String, ?> values = values(completion, k);
            Object rationale = values.containsKey(RATIONALE) ? values.get(RATIONALE) : values.get("reasoning");
            if (rationale == null) {
                throw new DspyException("Completion " + k + " of MultiChainComparison has no '" + RATIONALE
                        + "' or 'reasoning' (it has " + values.keySet() + "). Pass completions of a ChainOfThought, "
                        + "or maps with one of them.");
            }
            if (!values.containsKey(lastKey)) {
                throw new DspyException("Completion " + k + " of MultiChainComparison has no '" + lastKey
                        + "', the last output of the signature (it has " + values.keySet() + ").");
            }
            attempts.put("reasoning_attempt_" + k, "«I'm trying to " + firstLine(PythonValues.str(rationale))
                    + " I'm not sure but my prediction is " + firstLine(PythonValues.str(values.get(lastKey))) + "»");
        }
        if (attempts.size() != m) {
            throw new DspyException("The number of attempts (" + attempts.size() + ") doesn't match the expected "
                    + "number M (" + m + "). Please set the correct value for M when initializing "
                    + "MultiChainComparison.");
        }
        return attempts;
    }

    private static Map<String, ?> values(@Nullable Object completion, int k) {
        return switch (completion) {
            case Prediction p -> p.toMap();
            case Example e -> e.toMap();
            case Map<?, ?> map -> stringKeys(map);
            case null, default -> throw new DspyException("Completion " + k + " of MultiChainComparison is "
                    + (completion == null ? "null" : "a " + completion.getClass().getName())
                    + "; pass a Prediction, an Example or a Map.");
        };
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((key, value) -> out.put(String.valueOf(key), value));
        return out;
    }

    /** {@code s.strip().split("\n")[0].strip()}. */
    private static String firstLine(String s) {
        String stripped = PythonText.strip(s);
        int newline = stripped.indexOf('\n');
        return PythonText.strip(newline < 0 ? stripped : stripped.substring(0, newline));
    }

    @Override
    public String toString() {
        return "MultiChainComparison(M=" + m + ", " + predict.signature().shorthand() + ")";
    }
}
