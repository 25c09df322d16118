package dev.dspy4j.export;

import java.util.Objects;

/**
 * One input field of an exported predictor: its {@code {{name}}} placeholder in the user template
 * and the field's type as DSPy spells it (e.g. {@code str}, {@code list[str]}, {@code int}), which
 * decides how a value is written (see {@code docs/export.md}, "Formatting values").
 *
 * @param name the input field's name, which is also the placeholder's name
 * @param type the field's type, in Python's spelling
 * @param optional whether the field accepts {@code None}
 */
public record Placeholder(String name, String type, boolean optional) {

    /** Checks that name and type are given. */
    public Placeholder {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** The placeholder as it appears in the template: {@code {{name}}}. */
    public String token() {
        return "{{" + name + "}}";
    }
}
