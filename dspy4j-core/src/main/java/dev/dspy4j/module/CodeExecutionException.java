package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Code run by a {@link CodeSession} failed in a way the LM can fix: {@link ProgramOfThought}
 * feeds {@link #getMessage()} to its {@code code_regenerate} step, {@link CodeAct} to the
 * trajectory. The message is written for the LM and for people alike, e.g.
 * {@code NameError: name 'total' is not defined (line 2)}.
 *
 * <p>The interpreter stays usable after this exception. Not retryable as such: the same code
 * fails the same way.
 */
public final class CodeExecutionException extends DspyException {

    /** Why the code failed. */
    public enum Kind {
        /** The code is not valid Python. */
        SYNTAX,
        /** The code raised an exception ({@link #errorType()} names its Python type). */
        RUNTIME,
        /** The code ran longer than the interpreter's time limit. */
        TIMEOUT,
        /** The code allocated more than the interpreter's memory limit. */
        MEMORY_LIMIT,
        /** The code printed more than the interpreter's output limit. */
        OUTPUT_LIMIT,
        /** The code tried something the sandbox forbids: files, network, processes, host access. */
        FORBIDDEN
    }

    private final Kind kind;
    private final String errorType;
    private final int line;

    /**
     * @param kind why the code failed
     * @param errorType the Python exception type, e.g. {@code NameError}; for limits, a short
     *     name such as {@code TimeoutError}
     * @param message what happened, for the LM: it should name the type and, when known, the line
     * @param line the 1-based line of the failure, or 0 when unknown
     */
    public CodeExecutionException(Kind kind, String errorType, String message, int line) {
        this(kind, errorType, message, line, null);
    }

    /** As {@link #CodeExecutionException(Kind, String, String, int)}, with a cause. */
    public CodeExecutionException(Kind kind, String errorType, String message, int line, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.errorType = Objects.requireNonNull(errorType, "errorType");
        this.line = Math.max(0, line);
    }

    /** Why the code failed. */
    public Kind kind() {
        return kind;
    }

    /** The Python exception type ({@code NameError}, {@code SyntaxError}, {@code PermissionError}, ...). */
    public String errorType() {
        return errorType;
    }

    /** The 1-based line of the submitted code where it failed, when known. */
    public OptionalInt line() {
        return line == 0 ? OptionalInt.empty() : OptionalInt.of(line);
    }
}
