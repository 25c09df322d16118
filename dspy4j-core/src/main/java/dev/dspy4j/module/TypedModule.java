package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.internal.records.RecordValues;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.Runner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A module with record-typed inputs and outputs: {@code Triage t = classify.call(new Ticket(...))}.
 * A thin view over a dynamic {@link Module}; both forms share one implementation, and the typed
 * view adds only the conversion between records and by-name values.
 *
 * <p>Record components map to field names as in {@link dev.dspy4j.signature.Signature#fromRecords};
 * numbers, lists, maps, enums, nested records and {@code Optional} convert to the component types.
 * Immutable and thread-safe.
 *
 * @param <I> the input record
 * @param <O> the output record
 */
public final class TypedModule<I extends Record, O extends Record> {

    private final Module module;
    private final Class<I> inputType;
    private final Class<O> outputType;

    /**
     * A typed view of {@code module}.
     *
     * @param module the dynamic module; its inputs and outputs must match the records' fields
     * @param inputType the input record
     * @param outputType the output record
     */
    public TypedModule(Module module, Class<I> inputType, Class<O> outputType) {
        this.module = Objects.requireNonNull(module, "module");
        this.inputType = Objects.requireNonNull(inputType, "inputType");
        this.outputType = Objects.requireNonNull(outputType, "outputType");
    }

    /** Runs the module with the bound context and returns the typed outputs. */
    public O call(I input) {
        return toOutput(predict(input));
    }

    /** Runs the module with an explicit context and returns the typed outputs. */
    public O call(I input, DspyContext context) {
        return toOutput(predict(input, context));
    }

    /** Runs the module with the bound context and returns the full prediction (e.g. with reasoning). */
    public Prediction predict(I input) {
        return module.call(inputs(input));
    }

    /** Runs the module with an explicit context and returns the full prediction. */
    public Prediction predict(I input, DspyContext context) {
        return module.call(inputs(input), context);
    }

    /**
     * Runs the module on many inputs at once with the default {@link Runner} (8 at a time,
     * stopping at the 10th failure); see {@link Module#batch(List, Runner)}.
     *
     * @param inputs the input records
     * @return one result per input, in order: the typed output, or the error
     * @throws dev.dspy4j.run.RunCancelledException if the run stopped before every input ran
     */
    public RunResult<O> batch(List<I> inputs) {
        return batch(inputs, Runner.defaults());
    }

    /**
     * Runs the module on many inputs at once with {@code runner}; see {@link Module#batch(List, Runner)}.
     *
     * @param inputs the input records
     * @param runner concurrency, maxErrors, item timeout, context and listeners
     * @return one result per input, in order: the typed output, or the error
     * @throws dev.dspy4j.run.RunCancelledException if the run stopped before every input ran
     * @throws NullPointerException if an argument or an input is {@code null}
     */
    public RunResult<O> batch(List<I> inputs, Runner runner) {
        return runner.run(inputs, (I input) -> call(input)).orThrow();
    }

    /** Runs the module on its own virtual thread with the bound context; see {@link #callAsync(Record, DspyContext)}. */
    public CompletableFuture<O> callAsync(I input) {
        return callAsync(input, DspyContext.current());
    }

    /**
     * Runs the module on its own virtual thread with {@code context} bound and returns the typed
     * output's future; {@code cancel(true)} interrupts the call.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public CompletableFuture<O> callAsync(I input, DspyContext context) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(context, "context");
        // the bound context: Runner.async may have put it under a RUN span
        return Runner.async(() -> call(input, DspyContext.current()), context);
    }

    /**
     * Converts a prediction of this module to the output record.
     *
     * @throws DspyException naming the record and the values if they do not fit its components
     */
    public O toOutput(Prediction prediction) {
        try {
            return RecordValues.construct(outputType, prediction.toMap());
        } catch (IllegalArgumentException e) {
            throw new DspyException("Cannot build " + outputType.getSimpleName() + " from the prediction "
                    + prediction.toMap() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> inputs(Record input) {
        Map<String, Object> values = RecordValues.toMap(input);
        values.replaceAll((name, value) -> value instanceof Optional<?> optional ? optional.orElse(null) : value);
        return values;
    }

    /** The dynamic module behind this view. */
    public Module module() {
        return module;
    }

    /** The input record type. */
    public Class<I> inputType() {
        return inputType;
    }

    /** The output record type. */
    public Class<O> outputType() {
        return outputType;
    }

    /** The learned state (see {@link Module#state()}). */
    public ProgramState state() {
        return module.state();
    }

    /**
     * This view over another module with the same inputs and outputs, such as the program an
     * optimizer compiled from {@link #module()}: {@code typed.withModule(optimizer.compile(
     * typed.module(), trainset))}. Optimizers in {@code dspy4j-optimize} do this for you.
     *
     * @param other the module; its inputs and outputs must match the records' fields
     * @return a typed view of {@code other}
     */
    public TypedModule<I, O> withModule(Module other) {
        return new TypedModule<>(other, inputType, outputType);
    }

    /**
     * This view over the module with other learned state (see {@link Module#withState}).
     *
     * @throws DspyException if the state's paths are not exactly this program's
     */
    public TypedModule<I, O> withState(ProgramState state) {
        return withModule(module.withState(state));
    }

    /** This view with each predictor's state transformed (see {@link Module#mapState}). */
    public TypedModule<I, O> mapState(BiFunction<String, PredictorState, PredictorState> edit) {
        return withModule(module.mapState(edit));
    }

    /** This view with {@code lm} set on every predictor (see {@link Module#withLm}). */
    public TypedModule<I, O> withLm(Lm lm) {
        return withModule(module.withLm(lm));
    }

    /** Saves the learned state in DSPy's JSON format (see {@link Module#save(Path)}). */
    public void save(Path file) {
        module.save(file);
    }

    /**
     * Loads learned state (see {@link Module#load(Path)}); the result keeps this view's types.
     *
     * @throws StateLoadException naming the file, the predictor path and the problem
     */
    public TypedModule<I, O> load(Path file) {
        return withModule(module.load(file));
    }

    /**
     * Loads learned state, turning saved LM settings into LMs (see {@link Module#load(Path,
     * Function)}); the result keeps this view's types.
     *
     * @throws StateLoadException naming the file, the predictor path and the problem
     */
    public TypedModule<I, O> load(Path file, Function<Map<String, Object>, Lm> lmResolver) {
        return withModule(module.load(file, lmResolver));
    }

    @Override
    public String toString() {
        return "TypedModule(" + inputType.getSimpleName() + " -> " + outputType.getSimpleName() + ", " + module + ")";
    }
}
