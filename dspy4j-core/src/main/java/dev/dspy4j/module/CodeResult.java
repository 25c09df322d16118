package dev.dspy4j.module;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a successful {@link CodeSession#execute} returned. Values crossing from the interpreter are
 * plain Java: {@code String}, {@code Long} or {@code java.math.BigInteger}, {@code Double},
 * {@code Boolean}, {@code List}, {@code Map} with string keys, or null; anything else arrives as
 * its {@code str()} text.
 */
public sealed interface CodeResult {

    /** The value that matters to the caller: the output, or the submitted outputs. */
    @Nullable Object value();

    /**
     * The code ran to its end: {@code value} is its final expression's value when not None, else
     * its printed text when it printed, else null.
     */
    record Output(@Nullable Object value) implements CodeResult {
        /** Copies lists and maps, so the result is immutable. */
        public Output {
            value = immutable(value);
        }
    }

    /** The code called {@code SUBMIT}: {@code value} holds its final outputs. */
    record Submitted(@Nullable Object value) implements CodeResult {
        /** Copies lists and maps, so the result is immutable. */
        public Submitted {
            value = immutable(value);
        }
    }

    private static @Nullable Object immutable(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, immutable(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            return Collections.unmodifiableList(list.stream().map(CodeResult::immutable).toList());
        }
        return value;
    }
}
