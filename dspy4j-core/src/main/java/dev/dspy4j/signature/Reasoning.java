package dev.dspy4j.signature;

import java.util.Objects;

/**
 * The model's reasoning: declares a {@code dspy.Reasoning} output in a record signature
 * ({@link FieldType.SpecialType.Kind#REASONING}).
 *
 * <p>With an LM that {@linkplain dev.dspy4j.lm.LmCapabilities#reasoning() reasons natively} the
 * field is left out of the prompt and filled from the model's own reasoning; with any other LM it
 * is a text field the LM writes. Shorthand signatures ({@code reasoning: dspy.Reasoning}) give the
 * value as a {@code String}; a record component of this type receives it wrapped.
 *
 * <pre>{@code
 * record Explained(Reasoning reasoning, String answer) {}
 * }</pre>
 *
 * @param content the reasoning text
 */
@SpecialFieldType(FieldType.SpecialType.Kind.REASONING)
public record Reasoning(String content) {

    public Reasoning {
        Objects.requireNonNull(content, "content");
    }

    /** The reasoning text, as DSPy's {@code str(reasoning)}. */
    @Override
    public String toString() {
        return content;
    }
}
