package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.adapter.AdapterRequest;
import dev.dspy4j.adapter.CallContext;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.TypeRegistry;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.PredictorCall;
import dev.dspy4j.trace.SpanKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The basic predictor: formats a signature, its demos and the inputs into a prompt with the
 * context's adapter, calls the LM, and parses the outputs. The Java counterpart of
 * {@code dspy.Predict}.
 *
 * <pre>{@code
 * Predict qa = Predict.of("question -> answer");
 * Prediction p = qa.call(Map.of("question", "What is the capital of France?"), DspyContext.of(lm));
 * p.getString("answer");
 * }</pre>
 *
 * <p>For typed inputs and outputs see {@link #typed(Class, Class)}. Immutable and thread-safe:
 * {@code with*} methods return new predictors; learned state can also be supplied from outside
 * with {@link Module#withState(ProgramState)}.
 *
 * <p>LM choice: the predictor's own LM (from its state) if set, else the context's. With
 * {@code n > 1} and a temperature unset or at most 0.15, the temperature is raised to 0.7 (as in
 * DSPy), since identical samples would be useless.
 *
 * <p>Inside an attempt of {@link BestOfN} or {@link Refine} the call is recorded for that attempt
 * and reaches the listeners' {@code onPredict} only if the attempt is the one returned; on
 * Refine's retries it gets an extra {@code hint_} input.
 */
public final class Predict extends Module {

    private static final Logger LOG = LoggerFactory.getLogger(Predict.class);

    private final PredictorState state;
    private final LmOptions options;
    private volatile @Nullable CallContext lastPlainContext;

    /** A predictor for a signature, with no demos. */
    public Predict(Signature signature) {
        this(new PredictorState(signature, List.of(), null), LmOptions.NONE);
    }

    private Predict(PredictorState state, LmOptions options) {
        this.state = Objects.requireNonNull(state, "state");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A predictor for DSPy's shorthand, e.g. {@code "question -> answer"}. */
    public static Predict of(String signature) {
        return new Predict(Signature.parse(signature));
    }

    /** A predictor for DSPy's shorthand with named types, e.g. {@code "text -> label: Label"}. */
    public static Predict of(String signature, TypeRegistry types) {
        return new Predict(Signature.parse(signature, types));
    }

    /**
     * A typed predictor: inputs and outputs are Java records (see
     * {@link Signature#fromRecords(Class, Class)}).
     */
    public static <I extends Record, O extends Record> TypedModule<I, O> typed(Class<I> inputs, Class<O> outputs) {
        return new TypedModule<>(new Predict(Signature.fromRecords(inputs, outputs)), inputs, outputs);
    }

    /** The signature this predictor was built with (its own state). */
    public Signature signature() {
        return state.signature();
    }

    /** The demos this predictor was built with (its own state). */
    public List<Example> demos() {
        return state.demos();
    }

    /** Generation options this predictor always sends, over the context's. */
    public LmOptions options() {
        return options;
    }

    /** This predictor with other demos. */
    public Predict withDemos(List<Example> demos) {
        return new Predict(state.withDemos(demos), options);
    }

    /** This predictor with another signature. */
    public Predict withSignature(Signature signature) {
        return new Predict(state.withSignature(signature), options);
    }

    /** This predictor with its own LM. */
    public Predict withLm(Lm lm) {
        return new Predict(state.withLm(lm), options);
    }

    /** This predictor with options it always sends (e.g. temperature), over the context's. */
    public Predict withOptions(LmOptions newOptions) {
        return new Predict(state, newOptions);
    }

    /**
     * A plain call context for {@code lm}, reused while the LM stays the same (the common case):
     * the context is immutable, so a racing thread at worst builds its own.
     */
    private CallContext plainCallContext(Lm lm) {
        CallContext last = lastPlainContext;
        if (last == null || last.lm() != lm) {
            last = CallContext.of(lm);
            lastPlainContext = last;
        }
        return last;
    }

    PredictorState ownState() {
        return state;
    }

    /** The state this predictor runs with under {@code context}: an override, else its own. */
    PredictorState stateIn(DspyContext context) {
        PredictorState override = ProgramContext.overlayFor(context, this);
        return override != null ? override : state;
    }

    @Override
    protected Prediction forward(Example inputs) {
        return call(inputs.toMap(), DspyContext.current());
    }

    @Override
    public Prediction call(Map<String, ?> inputs) {
        return call(inputs, DspyContext.current());
    }

    /**
     * Calls the LM.
     *
     * @param inputs a value for every input field (optional-typed inputs may be missing or
     *     {@code null}); other keys are ignored
     * @param context the LM, adapter and listeners
     * @return the parsed outputs, with every completion when {@code n > 1}
     * @throws DspyException if an input is missing, {@code null} without an optional type, or no
     *     LM is set
     * @throws dev.dspy4j.adapter.AdapterParseException if the reply cannot be parsed
     */
    @Override
    public Prediction call(Map<String, ?> inputs, DspyContext context) {
        PredictorState current = stateIn(context);
        Signature signature = current.signature();
        AttemptRecord attempt = ProgramContext.attemptOf(context);
        if (attempt != null) {
            String hint = attempt.hintFor(this);
            if (hint != null) {
                Map<String, Object> hinted = new LinkedHashMap<>(inputs);
                hinted.put(AttemptRecord.HINT, hint);
                inputs = hinted;
                signature = AttemptRecord.hinted(signature);
            }
        }
        requireInputs(signature, inputs);
        Lm lm = current.lm() != null ? current.lm() : context.requireLm();
        LmOptions merged = context.options().overriddenBy(options);
        if (merged.nOrOne() > 1 && (merged.temperature() == null || merged.temperature() <= 0.15)) {
            merged = merged.withTemperature(0.7);
        }
        AdapterRequest request = new AdapterRequest(signature, current.demos(), inputs, merged);
        List<DspyListener> listeners = context.listeners();
        if (listeners.isEmpty() && context.interceptors().isEmpty()) {
            Prediction prediction = Prediction.fromCompletions(context.adapter().call(request, plainCallContext(lm)));
            if (attempt != null) {
                attempt.record(this, new PredictorCall(ProgramContext.pathOf(context, this), signature,
                        Collections.unmodifiableMap(new LinkedHashMap<>(inputs)), prediction));
            }
            return prediction;
        }
        String path = ProgramContext.pathOf(context, this);
        ActiveSpan span = context.startSpan(SpanKind.PREDICTOR, path.isEmpty() ? signature.shorthand() : path,
                listeners.isEmpty() ? Map.of() : Map.of("dspy.predictor.path", path,
                        "dspy.signature", signature.shorthand(), "dspy.adapter", context.adapter().name()));
        Prediction prediction;
        try {
            CallContext callContext = context.withSpan(span.span()).callContext(lm, path);
            prediction = Prediction.fromCompletions(context.adapter().call(request, callContext));
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
        if (attempt != null) {
            attempt.record(this, new PredictorCall(path, signature,
                    Collections.unmodifiableMap(new LinkedHashMap<>(inputs)), prediction));
        } else if (!listeners.isEmpty()) {
            PredictorCall call = new PredictorCall(path, signature,
                    Collections.unmodifiableMap(new LinkedHashMap<>(inputs)), prediction);
            for (DspyListener listener : listeners) {
                try {
                    listener.onPredict(call);
                } catch (RuntimeException e) {
                    LOG.warn("Listener {} failed in onPredict; ignoring it", listener, e);
                }
            }
        }
        span.end();
        return prediction;
    }

    private static void requireInputs(Signature signature, Map<String, ?> inputs) {
        List<Field> fields = signature.inputs();
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            if (!inputs.containsKey(field.name()) && !field.type().isOptional()) {
                throw new DspyException("Missing input '" + field.name() + "' for signature " + signature.shorthand()
                        + "; got " + inputs.keySet() + ". Pass a value for every input field.");
            }
            if (inputs.get(field.name()) == null && !field.type().isOptional()
                    && !(field.type() instanceof FieldType.AnyType)) {
                String type = field.type().pythonName();
                throw new DspyException("Input '" + field.name() + "' for signature " + signature.shorthand()
                        + " is null (None), but its type " + type + " is not optional. Pass a value, or declare the "
                        + "field optional: Optional[" + type + "] or " + type + " | None in a signature string, "
                        + "Optional<...> in a record.");
            }
        }
    }

    @Override
    public String toString() {
        return "Predict(" + state.signature().shorthand() + ")";
    }
}
