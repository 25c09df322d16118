package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.run.RunCancelledException;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.Runner;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A program: composes predictors and other modules in plain Java. The Java counterpart of
 * {@code dspy.Module}.
 *
 * <p>Subclass it, keep sub-modules and predictors in (preferably final) fields, and implement
 * {@link #forward(Example)}:
 *
 * <pre>{@code
 * class MultiHop extends Module {
 *     final List<ChainOfThought> generateQuery = List.of(new ChainOfThought(...), ...);
 *     final ChainOfThought generateAnswer = new ChainOfThought(...);
 *
 *     protected Prediction forward(Example in) { ... generateQuery.get(0).call(Map.of(...)) ... }
 * }
 * }</pre>
 *
 * <p><b>Paths.</b> Every predictor has a stable path that matches DSPy's naming, so saved state
 * lines up with DSPy's files: a field {@code generateAnswer} holding a ChainOfThought gives
 * {@code generate_answer.predict} (Java names in snake case unless annotated with
 * {@link dev.dspy4j.signature.Name}), list items {@code name[0]}, map entries {@code name['k']}, and
 * a bare Predict is {@code self}. Fields are visited in declaration order, superclass first.
 *
 * <p><b>Learned state</b> (instructions, demos, per-predictor LMs, and each {@link Retrieve}'s
 * {@code k}, which DSPy saves too) is data apart from structure:
 * {@link #state()} reads it, {@link #withState(ProgramState)} returns a program that runs with
 * other state, and neither changes this module. Many such programs can run at once on different
 * threads. Modules must therefore not change their fields after construction.
 *
 * <p>Thread-safe as long as subclasses keep no mutable state of their own.
 */
public abstract class Module {

    private volatile @Nullable Map<String, Module> parameters; // computed on first use
    private volatile @Nullable Map<String, Predict> predictors; // computed on first use
    private volatile @Nullable Map<Predict, String> pathIndex;  // computed on first use

    /** For subclasses, which set their predictors and child modules in their constructors. */
    protected Module() {}

    /**
     * The module's logic. Called by {@link #call(Map)} with the context already bound.
     *
     * @param inputs the inputs by name
     * @return the outputs
     */
    protected abstract Prediction forward(Example inputs);

    /**
     * Runs the module with the context bound to this thread (or {@link DspyContext#empty()}).
     *
     * @param inputs the inputs by field name
     * @return the outputs
     */
    public Prediction call(Map<String, ?> inputs) {
        return call(inputs, DspyContext.current());
    }

    /**
     * Runs the module with an explicit context, which stays bound for the duration of the call
     * (so nested modules see it).
     *
     * @param inputs the inputs by field name
     * @param context the LM, adapter and listeners to use
     * @return the outputs
     */
    public Prediction call(Map<String, ?> inputs, DspyContext context) {
        DspyContext entered = ProgramContext.enter(context, this);
        if (entered.listeners().isEmpty()) {
            return forwardIn(inputs, entered);
        }
        ActiveSpan span = entered.startSpan(SpanKind.MODULE, getClass().getSimpleName(), Map.of());
        try {
            Prediction prediction = forwardIn(inputs, entered.withSpan(span.span()));
            span.end();
            return prediction;
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
    }

    private Prediction forwardIn(Map<String, ?> inputs, DspyContext context) {
        if (context == DspyContext.current()) {
            return forward(Example.of(inputs));
        }
        try (DspyContext.Scope ignored = context.bind()) {
            return forward(Example.of(inputs));
        }
    }

    /** Runs the module on an example's declared inputs. */
    public Prediction call(Example example) {
        return call(example.inputs().toMap());
    }

    /**
     * Runs the module with alternating names and values:
     * {@code call("question", "What is DSPy?")}.
     */
    public Prediction call(String name, Object value, Object... more) {
        return call(Example.of(prepend(name, value, more)).toMap());
    }

    /**
     * Runs the module on many examples at once, each on its declared inputs: DSPy's
     * {@code module.batch(examples)}, with its defaults (8 at a time, stopping at the 10th failure).
     * See {@link #batch(List, Runner)}.
     *
     * @param examples the examples, each with its inputs declared ({@link Example#withInputs})
     * @return one result per example, in order: the prediction, or the error (an example without
     *     declared inputs fails with a {@link DspyException})
     * @throws RunCancelledException if the 10th example failed or the calling thread was
     *     interrupted; its {@code result()} holds what finished
     */
    public RunResult<Prediction> batch(List<Example> examples) {
        return batch(examples, Runner.defaults());
    }

    /**
     * Runs the module on many examples at once with {@code runner}: DSPy's
     * {@code module.batch(examples, num_threads, max_errors, ...)}. Each example runs on its own
     * virtual thread, at most the runner's concurrency at a time, with the runner's context (by
     * default the one bound to the calling thread). When this returns or throws, every thread it
     * started has ended.
     *
     * <pre>{@code
     * RunResult<Prediction> results = program.batch(devset,
     *         Runner.builder().concurrency(16).maxErrors(Integer.MAX_VALUE).build());
     * results.failures().forEach(f -> log(devset.get(f.index()), f.error()));   // DSPy's failed examples
     * }</pre>
     *
     * @param examples the examples, each with its inputs declared
     * @param runner concurrency, maxErrors, item timeout, context and listeners (e.g. a progress bar)
     * @return one result per example, in order
     * @throws RunCancelledException if the run stopped before every example ran (the
     *     {@code maxErrors}-th failure, or an interrupt of the calling thread, whose interrupt status
     *     is then set again); its {@code result()} holds what finished
     * @throws NullPointerException if an argument or an example is {@code null}
     */
    public RunResult<Prediction> batch(List<Example> examples, Runner runner) {
        return runner.run(examples, (Example example) -> call(example)).orThrow();
    }

    /**
     * Like {@link #batch(List, Runner)}, for inputs given as maps from field name to value.
     *
     * @param inputs the inputs of each call
     * @param runner concurrency, maxErrors, item timeout, context and listeners
     * @return one result per map, in order
     * @throws RunCancelledException if the run stopped before every call ran
     * @throws NullPointerException if an argument or a map is {@code null}
     */
    public RunResult<Prediction> batchInputs(List<? extends Map<String, ?>> inputs, Runner runner) {
        return runner.run(inputs, (Map<String, ?> in) -> call(in)).orThrow();
    }

    /**
     * Runs the module on its own virtual thread with the context bound to the calling thread now.
     * See {@link #callAsync(Map, DspyContext)}.
     *
     * @param inputs the inputs by field name (copied)
     * @return the prediction's future
     */
    public CompletableFuture<Prediction> callAsync(Map<String, ?> inputs) {
        return callAsync(inputs, DspyContext.current());
    }

    /**
     * Runs the module on its own virtual thread with {@code context} bound: DSPy's {@code acall}.
     * {@code cancel(true)} on the returned future interrupts the call (LM clients in dspy4j stop
     * waiting when interrupted); the future fails with whatever the call throws.
     *
     * @param inputs the inputs by field name (copied)
     * @param context the LM, adapter and listeners to use
     * @return the prediction's future
     * @throws NullPointerException if an argument is {@code null}
     */
    public CompletableFuture<Prediction> callAsync(Map<String, ?> inputs, DspyContext context) {
        Map<String, Object> copy = new LinkedHashMap<>(Objects.requireNonNull(inputs, "inputs"));
        Objects.requireNonNull(context, "context");
        // call(copy) reads the bound context: Runner.async may have put it under a RUN span
        return Runner.async(() -> call(copy), context);
    }

    private static Object[] prepend(String name, Object value, Object[] more) {
        Object[] all = new Object[more.length + 2];
        all[0] = name;
        all[1] = value;
        System.arraycopy(more, 0, all, 2, more.length);
        return all;
    }

    /**
     * The attributes to search for predictors, by name, in order: predictors, modules, typed
     * modules, and lists, arrays or maps of them. By default ({@code null}) they are found by
     * reflection over this class's fields, named in snake case. Override to declare them
     * explicitly, e.g. for a module whose shape is only known at run time.
     *
     * @return attribute name (as DSPy would spell it) to value, or {@code null} to use reflection
     */
    protected @Nullable Map<String, ?> children() {
        return null;
    }

    /**
     * Every parameter of this program by path, in DSPy's {@code named_parameters()} order: the
     * predictors and the {@link Retrieve}s, whose state ({@link #state()}) the program saves. A bare
     * Predict or Retrieve is {@code self}. Computed once.
     *
     * @return path to {@link Predict} or {@link Retrieve}, e.g. {@code generate_query[0].predict},
     *     {@code retrieve}
     */
    public Map<String, Module> namedParameters() {
        Map<String, Module> result = parameters;
        if (result == null) {
            result = ModuleWalker.namedParameters(this);
            parameters = result;
        }
        return result;
    }

    /**
     * Every predictor in this program by path, in DSPy's order: {@link #namedParameters()} without
     * the Retrieves, as DSPy's {@code named_predictors()}. Computed once.
     *
     * @return path to predictor, e.g. {@code generate_query[0].predict}
     */
    public Map<String, Predict> namedPredictors() {
        Map<String, Predict> result = predictors;
        if (result == null) {
            Map<String, Predict> found = new LinkedHashMap<>();
            namedParameters().forEach((path, parameter) -> {
                if (parameter instanceof Predict predict) {
                    found.put(path, predict);
                }
            });
            result = Collections.unmodifiableMap(found);
            predictors = result;
        }
        return result;
    }

    /** Every predictor's path by identity (the inverse of {@link #namedPredictors()}). Computed once. */
    Map<Predict, String> pathIndex() {
        Map<Predict, String> result = pathIndex;
        if (result == null) {
            Map<Predict, String> index = new IdentityHashMap<>();
            namedPredictors().forEach((path, predictor) -> index.putIfAbsent(predictor, path));
            result = Collections.unmodifiableMap(index);
            pathIndex = result;
        }
        return result;
    }

    /** The learned state this program runs with: each predictor's state and each Retrieve's {@code k}, by path. */
    public ProgramState state() {
        Map<String, Object> states = new LinkedHashMap<>();
        namedParameters().forEach((path, parameter) -> states.put(path,
                parameter instanceof Predict predictor ? predictor.ownState() : (Object) ((Retrieve) parameter).k()));
        return ProgramState.ofParameters(states, ProgramState.DEFAULT_DEPENDENCY_VERSIONS);
    }

    /**
     * This program's structure with other learned state. This module is unchanged; the result
     * shares its structure and can run alongside it on other threads.
     *
     * @param state state for every predictor and Retrieve of this program
     * @return a program that runs with {@code state}
     * @throws DspyException if the state's paths are not exactly this program's
     */
    public Module withState(ProgramState state) {
        return new StatefulModule(this, state);
    }

    /**
     * This program with each predictor's state transformed, e.g.
     * {@code program.mapState((path, s) -> s.withDemos(List.of()))}. Each Retrieve keeps its
     * {@code k}.
     */
    public Module mapState(java.util.function.BiFunction<String, PredictorState, PredictorState> edit) {
        return withState(state().mapPredictors(edit));
    }

    /** This program with {@code lm} set on every predictor (DSPy's {@code set_lm}). */
    public Module withLm(Lm lm) {
        return mapState((path, s) -> s.withLm(lm));
    }

    /**
     * Saves the learned state as JSON in DSPy's format ({@code program.save("x.json")}), which
     * DSPy 3.3 can load. Secrets are never written.
     *
     * @throws DspyException naming the file if it cannot be written
     */
    public void save(Path file) {
        try {
            state().save(file);
        } catch (IOException e) {
            throw new DspyException("Cannot save the program to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads learned state saved by DSPy or dspy4j and returns this program running with it. This
     * module is unchanged. A file that sets a per-predictor LM is rejected; use
     * {@link #load(Path, Function)} to turn saved LM settings into LMs.
     *
     * @throws StateLoadException naming the file, the predictor path and the problem
     */
    public Module load(Path file) {
        return withState(ProgramState.load(file, this, null));
    }

    /**
     * Loads learned state, turning saved LM settings (model and options, never credentials) into
     * LMs with {@code lmResolver}.
     *
     * @throws StateLoadException naming the file, the predictor path and the problem
     */
    public Module load(Path file, Function<Map<String, Object>, Lm> lmResolver) {
        return withState(ProgramState.load(file, this, lmResolver));
    }

    /** The module that defines this program's structure: itself, or the one a stateful copy wraps. */
    Module structure() {
        return this;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + namedPredictors().keySet();
    }
}
