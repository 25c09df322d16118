package dev.dspy4j.data;

import dev.dspy4j.DspyException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One data point: named values, some of which are declared inputs (the rest are labels). The Java
 * counterpart of {@code dspy.Example}.
 *
 * <p>Immutable and thread-safe. Keys keep insertion order; values may be {@code null} (DSPy's
 * {@code None}). Values are plain Java data: strings, numbers, booleans, lists, maps, enums and
 * records.
 */
public final class Example {

    private static final Example EMPTY = new Example(Map.of(), Set.of());

    private final Map<String, Object> values;
    private final Set<String> inputKeys;

    private Example(Map<String, Object> values, Set<String> inputKeys) {
        this.values = values;
        this.inputKeys = inputKeys;
    }

    /** An example with no values. */
    public static Example empty() {
        return EMPTY;
    }

    /**
     * An example from a map, keeping its iteration order. No keys are inputs yet; see
     * {@link #withInputs(String...)}.
     */
    public static Example of(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            return EMPTY;
        }
        return new Example(Collections.unmodifiableMap(new LinkedHashMap<>(values)), Set.of());
    }

    /**
     * An example from alternating keys and values: {@code Example.of("question", "2+2?", "answer", "4")}.
     *
     * @throws IllegalArgumentException if the count is odd or a key is not a string
     */
    public static Example of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Example.of needs key, value pairs; got " + keysAndValues.length
                    + " arguments.");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (!(keysAndValues[i] instanceof String key)) {
                throw new IllegalArgumentException("Example.of: argument " + i + " must be a String key, not "
                        + keysAndValues[i]);
            }
            map.put(key, keysAndValues[i + 1]);
        }
        return new Example(Collections.unmodifiableMap(map), Set.of());
    }

    /**
     * This example with the given keys declared as inputs (replacing any earlier declaration).
     *
     * @throws IllegalArgumentException if a key is not present
     */
    public Example withInputs(String... keys) {
        Set<String> set = new LinkedHashSet<>();
        for (String key : keys) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("Cannot mark '" + key + "' as an input: the example has only "
                        + values.keySet() + ".");
            }
            set.add(key);
        }
        return new Example(values, Collections.unmodifiableSet(set));
    }

    /** This example with the given keys declared as inputs. */
    public Example withInputs(List<String> keys) {
        return withInputs(keys.toArray(String[]::new));
    }

    /** The declared input keys, in declaration order. */
    public Set<String> inputKeys() {
        return inputKeys;
    }

    /**
     * Only the input values.
     *
     * @throws DspyException if no inputs were declared
     */
    public Example inputs() {
        if (inputKeys.isEmpty()) {
            throw new DspyException("This example has no declared inputs; call withInputs(...) first. Keys: "
                    + values.keySet());
        }
        Map<String, Object> in = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (inputKeys.contains(e.getKey())) {
                in.put(e.getKey(), e.getValue());
            }
        }
        return new Example(Collections.unmodifiableMap(in), inputKeys);
    }

    /** Only the values that are not declared inputs. */
    public Example labels() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!inputKeys.contains(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return new Example(Collections.unmodifiableMap(out), Set.of());
    }

    /** Whether the key is present (its value may be {@code null}). */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The value for the key, or {@code null} if absent or {@code None}. */
    public @Nullable Object get(String key) {
        return values.get(key);
    }

    /**
     * The value for the key as a string.
     *
     * @throws DspyException if the key is absent or the value is not a string
     */
    public String getString(String key) {
        Object value = require(key);
        if (value instanceof String s) {
            return s;
        }
        throw new DspyException("Value of '" + key + "' is " + describe(value) + ", not a string.");
    }

    /**
     * The value for the key, which must be present ({@code null} if it is {@code None}).
     *
     * @throws DspyException naming the key and the keys present if it is absent
     */
    public @Nullable Object require(String key) {
        if (!values.containsKey(key)) {
            throw new DspyException("No value for '" + key + "'; present: " + values.keySet() + ".");
        }
        return values.get(key);
    }

    /** This example with one more (or a replaced) value; input declarations are kept. */
    public Example with(String key, @Nullable Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new Example(Collections.unmodifiableMap(copy), inputKeys);
    }

    /** This example without the key. */
    public Example without(String key) {
        if (!values.containsKey(key)) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.remove(key);
        Set<String> in = new LinkedHashSet<>(inputKeys);
        in.remove(key);
        return new Example(Collections.unmodifiableMap(copy), Collections.unmodifiableSet(in));
    }

    /** The keys in order. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** The number of values. */
    public int size() {
        return values.size();
    }

    /** A read-only view of the values, in order. */
    public Map<String, Object> toMap() {
        return values;
    }

    private static String describe(@Nullable Object value) {
        return value == null ? "None" : value.getClass().getSimpleName() + " " + value;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return this == o || (o instanceof Example other && values.equals(other.values)
                && inputKeys.equals(other.inputKeys));
    }

    @Override
    public int hashCode() {
        return values.hashCode() * 31 + inputKeys.hashCode();
    }

    @Override
    public String toString() {
        return "Example(" + values + (inputKeys.isEmpty() ? "" : ", inputs=" + inputKeys) + ")";
    }
}
