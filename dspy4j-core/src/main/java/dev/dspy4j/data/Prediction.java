package dev.dspy4j.data;

import dev.dspy4j.DspyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a module returns: named output values, plus every completion when the LM was asked for
 * several ({@code n > 1}). The Java counterpart of {@code dspy.Prediction}.
 *
 * <p>The top-level values are those of the first completion. Immutable and thread-safe.
 */
public final class Prediction {

    private final Map<String, Object> values;
    private final List<Map<String, Object>> completions;

    private Prediction(Map<String, Object> values, List<Map<String, Object>> completions) {
        this.values = values;
        this.completions = completions;
    }

    /** A prediction with a single completion. */
    public static Prediction of(Map<String, ?> values) {
        Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        return new Prediction(copy, List.of(copy));
    }

    /**
     * A prediction from several completions; its values are those of the first.
     *
     * @throws IllegalArgumentException if there are none
     */
    public static Prediction fromCompletions(List<? extends Map<String, ?>> completions) {
        if (completions.isEmpty()) {
            throw new IllegalArgumentException("A prediction needs at least one completion.");
        }
        if (completions.size() == 1) {
            // the common case, on every call's path: one copy, no stream
            Map<String, Object> only = Collections.unmodifiableMap(new LinkedHashMap<String, Object>(completions.get(0)));
            return new Prediction(only, List.of(only));
        }
        List<Map<String, Object>> copies = new ArrayList<>(completions.size());
        for (Map<String, ?> completion : completions) {
            copies.add(Collections.unmodifiableMap(new LinkedHashMap<String, Object>(completion)));
        }
        return new Prediction(copies.get(0), List.copyOf(copies));
    }

    /** The value of an output field, or {@code null} if absent. */
    public @Nullable Object get(String field) {
        return values.get(field);
    }

    /**
     * The value of an output field as a string.
     *
     * @throws DspyException if absent or not a string
     */
    public String getString(String field) {
        Object value = require(field);
        if (value instanceof String s) {
            return s;
        }
        throw new DspyException("Output '" + field + "' is " + value + ", not a string.");
    }

    /**
     * The value of an output field as {@code type}.
     *
     * <p>A value that already is a {@code type} is returned as is. A number converts to another
     * numeric type when its value survives unchanged: parsed {@code int} outputs are {@link Long}
     * and {@code float} outputs {@link Double}, so {@code get("count", Integer.class)} (or
     * {@code int.class}) gives 3 for a parsed 3 or 3.0. The numeric types are {@link Long},
     * {@link Integer}, {@link Short}, {@link Byte}, {@link java.math.BigInteger},
     * {@link java.math.BigDecimal}, {@link Double} and {@link Float}, boxed or primitive. A
     * fraction, an out-of-range value, or more digits than a {@code Double} or {@code Float}
     * keeps (compared as the decimal the value prints as, so 0.85 reads as {@code 0.85f}) is an
     * error; nothing is rounded or truncated. Strings and booleans are never converted.
     *
     * @param field the output field's name
     * @param type the type to read it as; a primitive type reads the boxed value
     * @param <T> the type
     * @return the value, or {@code null} if the output is {@code None} and {@code type} is not
     *     primitive
     * @throws DspyException naming the field, the value and the type if the output is absent, is
     *     of another type, would lose its value in {@code type}, or is {@code None} and
     *     {@code type} is primitive
     */
    @SuppressWarnings("unchecked")
    public <T> @Nullable T get(String field, Class<T> type) {
        Object value = require(field);
        Class<?> boxed = boxed(type);
        if (value == null) {
            if (type.isPrimitive()) {
                throw new DspyException("Output '" + field + "' is None (null), which cannot be read as "
                        + type.getName() + "; read it as " + boxed.getSimpleName() + ".class to get null.");
            }
            return null;
        }
        if (boxed.isInstance(value)) {
            return (T) value;
        }
        if (value instanceof Number number && ExactNumbers.isTarget(boxed)) {
            try {
                return (T) ExactNumbers.convert(number, boxed);
            } catch (IllegalArgumentException e) {
                throw new DspyException("Output '" + field + "' is " + value + " (a "
                        + value.getClass().getSimpleName() + "), which cannot be read as " + type.getSimpleName()
                        + " without changing its value: " + e.getMessage() + ". Read it as a wider type (e.g. "
                        + "Long, Double or BigDecimal).", e);
            }
        }
        throw new DspyException("Output '" + field + "' is a " + value.getClass().getSimpleName() + " (" + value
                + "), not a " + type.getSimpleName() + ".");
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }

    /**
     * The value of an output field, which must be present ({@code null} if it is {@code None}).
     *
     * @throws DspyException naming the field and the fields present
     */
    public @Nullable Object require(String field) {
        if (!values.containsKey(field)) {
            throw new DspyException("The prediction has no output '" + field + "'; it has " + values.keySet() + ".");
        }
        return values.get(field);
    }

    /** Whether the output is present. */
    public boolean has(String field) {
        return values.containsKey(field);
    }

    /** All completions, the first being this prediction's own values. */
    public List<Map<String, Object>> completions() {
        return completions;
    }

    /** A read-only view of the values, in output order. */
    public Map<String, Object> toMap() {
        return values;
    }

    /** This prediction as an example with the same values (useful as a demo). */
    public Example toExample() {
        return Example.of(values);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return this == o || (o instanceof Prediction other && values.equals(other.values)
                && completions.equals(other.completions));
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, completions);
    }

    @Override
    public String toString() {
        return "Prediction(" + values + (completions.size() > 1 ? ", completions=" + completions.size() : "") + ")";
    }
}
