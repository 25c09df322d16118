package dev.dspy4j.streaming;

import org.jspecify.annotations.Nullable;

/**
 * The status messages a stream yields while a program runs, as DSPy's
 * {@code StatusMessageProvider}. Each method returns a message, or {@code null} for none. The
 * defaults are DSPy's: tool calls are announced, modules are not. Implementations must be
 * thread-safe.
 */
public interface StatusMessageProvider {

    /** DSPy's default messages. */
    StatusMessageProvider DEFAULT = new StatusMessageProvider() {};

    /** A tool call starts: {@code Calling tool <name>...} by default. */
    default @Nullable String toolStart(String toolName) {
        return "Calling tool " + toolName + "...";
    }

    /** A tool call ends: {@code Tool calling finished! Querying the LLM with tool calling results...}. */
    default @Nullable String toolEnd(String toolName) {
        return "Tool calling finished! Querying the LLM with tool calling results...";
    }

    /** A module starts running; none by default. */
    default @Nullable String moduleStart(String moduleName) {
        return null;
    }

    /** A module finished; none by default. */
    default @Nullable String moduleEnd(String moduleName) {
        return null;
    }
}
