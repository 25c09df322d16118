package dev.dspy4j.signature;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a value class as belonging to a {@link CustomType}, so that a record component (or list
 * element, map value, optional) of that class becomes a field of that type in a typed signature:
 *
 * <pre>{@code
 * @CustomFieldType(MoneyType.class)
 * public record Money(long cents, String currency) {}
 * }</pre>
 *
 * <p>The custom type class needs a public no-argument constructor; dspy4j makes one instance per
 * class and reuses it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CustomFieldType {

    /** The custom type of the marked class. */
    Class<? extends CustomType<?>> value();
}
