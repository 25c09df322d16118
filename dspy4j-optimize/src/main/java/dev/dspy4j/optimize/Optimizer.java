package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.TypedModule;

import java.util.List;

/**
 * Learns state (few-shot demos) for a program from examples: DSPy's teleprompter.
 *
 * <p>{@code compile} never changes the program it is given: it returns a new program that shares
 * its structure and runs with the learned {@link dev.dspy4j.module.ProgramState}. Optimizers are
 * immutable and thread-safe; one instance can compile several programs at once.
 */
public interface Optimizer {

    /**
     * Compiles {@code program}.
     *
     * @param program the student; unchanged
     * @param trainset labelled examples with declared inputs
     * @param valset examples to score candidates on, or an empty list for the optimizer's default
     *     (optimizers that do not score candidates ignore it)
     * @param context the LM, adapter and listeners to run the program with
     * @return a new program with learned state
     * @throws dev.dspy4j.DspyException if the program fails more often than the optimizer allows
     */
    Module compile(Module program, List<Example> trainset, List<Example> valset, DspyContext context);

    /** Compiles with an explicit context and the default valset. */
    default Module compile(Module program, List<Example> trainset, DspyContext context) {
        return compile(program, trainset, List.of(), context);
    }

    /** Compiles with the context bound to this thread ({@link DspyContext#current()}). */
    default Module compile(Module program, List<Example> trainset) {
        return compile(program, trainset, List.of(), DspyContext.current());
    }

    /** Compiles with a valset and the context bound to this thread. */
    default Module compile(Module program, List<Example> trainset, List<Example> valset) {
        return compile(program, trainset, valset, DspyContext.current());
    }

    /**
     * Compiles a typed program: {@link #compile(Module, List, List, DspyContext)} on its module,
     * viewed with the same record types, so no cast is needed.
     *
     * @param program the typed student; unchanged
     * @param trainset labelled examples with declared inputs
     * @param valset examples to score candidates on, or an empty list for the default
     * @param context the LM, adapter and listeners to run the program with
     * @param <I> the input record
     * @param <O> the output record
     * @return a new typed program with learned state
     * @throws dev.dspy4j.DspyException if the program fails more often than the optimizer allows
     */
    default <I extends Record, O extends Record> TypedModule<I, O> compile(
            TypedModule<I, O> program, List<Example> trainset, List<Example> valset, DspyContext context) {
        return program.withModule(compile(program.module(), trainset, valset, context));
    }

    /** Compiles a typed program with an explicit context and the default valset. */
    default <I extends Record, O extends Record> TypedModule<I, O> compile(
            TypedModule<I, O> program, List<Example> trainset, DspyContext context) {
        return compile(program, trainset, List.of(), context);
    }

    /** Compiles a typed program with the context bound to this thread. */
    default <I extends Record, O extends Record> TypedModule<I, O> compile(
            TypedModule<I, O> program, List<Example> trainset) {
        return compile(program, trainset, List.of(), DspyContext.current());
    }

    /** Compiles a typed program with a valset and the context bound to this thread. */
    default <I extends Record, O extends Record> TypedModule<I, O> compile(
            TypedModule<I, O> program, List<Example> trainset, List<Example> valset) {
        return compile(program, trainset, valset, DspyContext.current());
    }

    /**
     * An upper bound on the work {@code compile} would do with these arguments, before doing it.
     *
     * @param program the student
     * @param trainset the trainset
     * @param valset the valset, or an empty list for the default
     * @return the estimate
     */
    LmCallEstimate estimate(Module program, List<Example> trainset, List<Example> valset);
}
