package dev.dspy4j.signature;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The instruction of a signature declared with records (DSPy's docstring). Put it on the input or
 * the output record, not both. Leading indentation common to all lines is removed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Instructions {
    /** The instruction text. */
    String value();
}
