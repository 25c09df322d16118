package dev.dspy4j.signature;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a dspy4j class as the Java form of one of DSPy's special types, e.g.
 * {@link dev.dspy4j.tool.Tool} for {@code dspy.Tool}, so that a record component of that class
 * becomes a field of that {@link FieldType.SpecialType} without this package depending on the
 * class's package. For dspy4j's own types; a user class marked with it would be rendered and
 * parsed as the special type, which it is not.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SpecialFieldType {

    /** The special type the marked class stands for. */
    FieldType.SpecialType.Kind value();
}
