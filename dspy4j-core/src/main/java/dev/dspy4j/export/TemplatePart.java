package dev.dspy4j.export;

import java.util.Objects;

/**
 * One piece of an exported user-message template: literal text, or the place of an input field's
 * formatted value. The template is the concatenation of its parts.
 */
public sealed interface TemplatePart {

    /**
     * Literal text, copied as is.
     *
     * @param text the text
     */
    record Text(String text) implements TemplatePart {
        /** Checks that the text is given. */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The formatted value of an input field.
     *
     * @param name the input field's name
     */
    record FieldValue(String name) implements TemplatePart {
        /** Checks that the name is given. */
        public FieldValue {
            Objects.requireNonNull(name, "name");
        }
    }
}
