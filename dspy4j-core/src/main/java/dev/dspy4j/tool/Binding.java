package dev.dspy4j.tool;

import dev.dspy4j.internal.records.RecordValues;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How validated arguments reach the code behind a tool: the Java parameters it declares (for
 * conversion and defaults), turning plain values into the call's input, and the call itself.
 */
sealed interface Binding {

    /** The Java parameters, in order; empty for a tool that takes the argument map as it is. */
    List<JavaParameter> parameters();

    /**
     * Turns validated plain arguments (defaults filled in) into the call's input.
     *
     * @param arguments argument name to plain value ({@code Long}, {@code String}, {@code Map}...)
     * @return what {@link #invoke} takes
     * @throws InvalidArgumentException if an argument cannot become its Java type
     * @throws IllegalArgumentException if a record's constructor rejects the values
     */
    Object prepare(Map<String, @Nullable Object> arguments);

    /**
     * Calls the code.
     *
     * @param prepared what {@link #prepare} returned
     * @throws Throwable whatever the code throws, unwrapped from reflection
     */
    @Nullable Object invoke(Object prepared) throws Throwable;

    /**
     * One Java parameter (or record component) behind a tool argument.
     *
     * @param name the argument's name as the LM sees it
     * @param type the Java type to convert the argument to
     */
    record JavaParameter(String name, Type type) {
        /**
         * This parameter's value among the arguments, converted to its Java type.
         *
         * @throws InvalidArgumentException naming the argument if it cannot be converted
         */
        @Nullable Object convert(Map<String, @Nullable Object> arguments) {
            try {
                return RecordValues.convert(arguments.get(name), type);
            } catch (RuntimeException e) {
                throw new InvalidArgumentException("Arg " + name + " is invalid: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
    }

    /** An argument cannot become its Java type; the message is the one to show the LM. */
    final class InvalidArgumentException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidArgumentException(String message) {
            super(message);
        }
    }

    /** A method, bound to its target object (or none for a static method). */
    record MethodBinding(Method method, @Nullable Object target, List<JavaParameter> parameters) implements Binding {
        @Override
        public Object prepare(Map<String, @Nullable Object> arguments) {
            @Nullable Object[] values = new Object[parameters.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = parameters.get(i).convert(arguments);
            }
            return values;
        }

        @Override
        public @Nullable Object invoke(Object prepared) throws Throwable {
            try {
                return method.invoke(target, (Object[]) prepared);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw cause == null ? e : cause;
            }
        }
    }

    /** A function of one record whose components are the arguments. */
    record RecordBinding<A extends Record>(Class<A> type, Function<? super A, ?> function,
                                          List<JavaParameter> parameters) implements Binding {
        @Override
        public Object prepare(Map<String, @Nullable Object> arguments) {
            for (JavaParameter parameter : parameters) {
                parameter.convert(arguments); // names the argument that cannot be converted
            }
            return RecordValues.construct(type, arguments);
        }

        @Override
        public @Nullable Object invoke(Object prepared) {
            return function.apply(type.cast(prepared));
        }
    }

    /** A function of the argument map, for tools described by a JSON schema only. */
    record MapBinding(Function<Map<String, @Nullable Object>, ?> function) implements Binding {
        @Override
        public List<JavaParameter> parameters() {
            return List.of();
        }

        @Override
        public Object prepare(Map<String, @Nullable Object> arguments) {
            return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
        }

        @Override
        @SuppressWarnings("unchecked")
        public @Nullable Object invoke(Object prepared) {
            return function.apply((Map<String, @Nullable Object>) prepared);
        }
    }
}
