package dev.dspy4j.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a tool for {@link Tool#fromAnnotated(Object)} and
 * {@link Tool#fromAnnotated(Class)}, and gives its description (Java has no docstrings).
 *
 * <p>Parameters are the tool's arguments, named by their Java names in snake case (or
 * {@link dev.dspy4j.signature.Name}); this needs the class compiled with {@code javac -parameters}.
 * A parameter may carry {@link dev.dspy4j.signature.Desc} (its description) and {@link Default}
 * (its default value).
 *
 * <pre>{@code
 * @ToolFunction("Get the weather forecast for a city.")
 * String getWeather(String city, @Default("1") int days) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ToolFunction {

    /** The tool's description, shown to the LM; {@code ""} for none. */
    String value() default "";

    /** The tool's name; {@code ""} (the default) means the method's name in snake case. */
    String name() default "";
}
