package dev.dspy4j.signature;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name the LM (and saved state) uses for a record component or a module's attribute,
 * overriding the default snake-case spelling of the Java name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface Name {
    /** The prompt name, e.g. {@code "ticket_text"}. */
    String value();
}
