package dev.dspy4j.tool;

import dev.dspy4j.DspyException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tool call failed: {@link Tool#call(java.util.Map)} throws this where
 * {@link Tool#invoke(java.util.Map)} returns a {@link ToolResult.Failure}. Not retryable: the same
 * arguments fail the same way, except perhaps after a {@link Kind#TIMEOUT}.
 */
public final class ToolException extends DspyException {

    /** Which way a tool call failed. */
    public enum Kind {
        /**
         * An argument is unknown, missing, invalid under its schema, or cannot become its Java type;
         * the tool did not run. The message is DSPy's ({@code Arg k is not in the tool's args.},
         * {@code Arg k is invalid: ...}).
         */
        INVALID_ARGUMENTS,
        /** The tool threw; the cause is its exception. */
        TOOL_ERROR,
        /** The tool did not return within its timeout and was interrupted. */
        TIMEOUT,
        /** The calling thread was interrupted while waiting for the tool (the flag is kept set). */
        INTERRUPTED
    }

    private final Kind kind;

    /**
     * Creates the exception.
     *
     * @param kind which way the call failed
     * @param message what happened
     * @param cause the tool's exception, or {@code null}
     */
    public ToolException(Kind kind, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Which way the call failed. */
    public Kind kind() {
        return kind;
    }

    @Override
    public boolean isRetryable() {
        return kind == Kind.TIMEOUT;
    }
}
