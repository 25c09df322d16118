package dev.dspy4j.lm;

import java.util.Objects;

/**
 * Whether and which tool the model must call. A closed set; {@link #AUTO} (the provider's default
 * when tools are offered) lets the model decide.
 */
public sealed interface ToolChoice {

    /** The model decides whether to call tools. */
    ToolChoice AUTO = new Auto();
    /** The model must not call tools. */
    ToolChoice NONE = new None();
    /** The model must call at least one tool. */
    ToolChoice REQUIRED = new Required();

    /** The model must call the named tool. */
    static ToolChoice named(String toolName) {
        return new Named(toolName);
    }

    /** The model decides. */
    record Auto() implements ToolChoice {}

    /** No tool calls. */
    record None() implements ToolChoice {}

    /** At least one tool call. */
    record Required() implements ToolChoice {}

    /**
     * A call of one tool.
     *
     * @param name the tool's name
     */
    record Named(String name) implements ToolChoice {
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }
}
