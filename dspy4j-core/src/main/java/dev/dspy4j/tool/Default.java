package dev.dspy4j.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default value of a tool argument (a method parameter or a record component), used when the
 * LM leaves the argument out and shown to it as the schema's {@code default} key, as Python's
 * {@code def f(days: int = 1)} does.
 *
 * <p>The text is read by the argument's type: as is for strings and enums, as JSON otherwise
 * ({@code "1"}, {@code "false"}, {@code "[1, 2]"}, {@code "null"}). An argument of type
 * {@link java.util.Optional} or annotated {@code @Nullable} defaults to {@code None} without it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface Default {

    /** The default value, as the text described above. */
    String value();
}
