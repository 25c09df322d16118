package dev.dspy4j.signature;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The instruction of a signature declared with records (DSPy's docstring). Put it on the input or
 * the output record, not both. Blank lines at either end are removed; indentation is kept as
 * written (a text block already removes the common indentation).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Instructions {
    /** The instruction text. */
    String value();
}
