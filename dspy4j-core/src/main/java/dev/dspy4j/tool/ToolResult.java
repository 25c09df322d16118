package dev.dspy4j.tool;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link Tool#invoke(java.util.Map)}: the tool's return value, or why there is
 * none. An agent turns either into an observation for the LM. Immutable.
 */
public sealed interface ToolResult {

    /** Whether the tool ran and returned normally. */
    default boolean isSuccess() {
        return this instanceof Success;
    }

    /**
     * The tool returned normally.
     *
     * @param value what it returned ({@code null} for {@code void} methods or a {@code null} return)
     */
    record Success(@Nullable Object value) implements ToolResult {}

    /**
     * The tool could not be called or did not return normally.
     *
     * @param kind which way it failed
     * @param message what happened, fit to show the LM (e.g. {@code Arg x is not in the tool's args.})
     * @param cause the tool's exception, or {@code null}
     */
    record Failure(ToolException.Kind kind, String message, @Nullable Throwable cause) implements ToolResult {
        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }

        /** This failure as the exception {@link Tool#call(java.util.Map)} throws. */
        public ToolException toException() {
            return new ToolException(kind, message, cause);
        }
    }
}
