package dev.dspy4j.lm;

import java.util.Objects;

/**
 * A tool call the model asked for (native function calling).
 *
 * @param id the provider's call id, or {@code null}
 * @param name the tool's name
 * @param argumentsJson the arguments as the JSON text the provider returned
 */
public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentsJson, "argumentsJson");
    }
}
