package dev.dspy4j.module;

import dev.dspy4j.tool.Tool;
import java.util.List;

/**
 * Runs the Python code that {@link ProgramOfThought} and {@link CodeAct} have the LM write: the
 * Java counterpart of DSPy's {@code CodeInterpreter}. Core defines the contract only; the
 * sandboxed GraalPy implementation lives in the {@code dspy4j-python} module
 * ({@code dev.dspy4j.python.GraalPyInterpreter}), and tests may script one.
 *
 * <p>An interpreter is long-lived and shared: the modules open one {@link CodeSession} per call
 * (DSPy creates one interpreter per forward pass), so variables defined by one execution are
 * visible to the next within a call and never leak to another call.
 *
 * <p>Implementations must be thread-safe: concurrent calls of a module open concurrent sessions.
 * {@link #close()} releases what the interpreter holds (engines, threads); sessions opened before
 * must not be used after it.
 */
public interface CodeInterpreter extends AutoCloseable {

    /**
     * Opens a session: a fresh namespace in which {@code tools} can be called as Python functions
     * named after them (positional arguments bind to {@link Tool#args()} in order, keyword
     * arguments by name), and {@code SUBMIT} ends the code with its final outputs
     * ({@code SUBMIT({"answer": 42})} or {@code SUBMIT(answer=42)}).
     *
     * @param tools the host functions the code may call; empty for {@link ProgramOfThought}
     * @throws dev.dspy4j.DspyException if the interpreter is closed or cannot start
     */
    CodeSession openSession(List<Tool> tools);

    /** Releases the interpreter's resources; idempotent. */
    @Override
    void close();
}
