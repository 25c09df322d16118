package dev.dspy4j.data;

import dev.dspy4j.DspyException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
        List<Map<String, Object>> copies = completions.stream()
                .map(c -> Collections.unmodifiableMap(new LinkedHashMap<String, Object>(c)))
                .toList();
        return new Prediction(copies.get(0), copies);
    }

    /** The value of an output field, or {@code null} if absent. */
    public Object get(String field) {
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
     * The value of an output field, cast to {@code type}.
     *
     * @throws DspyException if absent or of another type
     */
    public <T> T get(String field, Class<T> type) {
        Object value = require(field);
        if (value != null && !type.isInstance(value)) {
            throw new DspyException("Output '" + field + "' is a " + value.getClass().getSimpleName() + " (" + value
                    + "), not a " + type.getSimpleName() + ".");
        }
        return type.cast(value);
    }

    /**
     * The value of an output field, which must be present.
     *
     * @throws DspyException naming the field and the fields present
     */
    public Object require(String field) {
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
    public boolean equals(Object o) {
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
