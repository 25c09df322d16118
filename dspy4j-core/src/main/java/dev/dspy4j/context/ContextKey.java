package dev.dspy4j.context;

import java.util.Objects;

/**
 * A key for a value carried by a {@link DspyContext}. Keys compare by identity: only code that
 * holds a key can read or write its value, so keep keys in private constants.
 *
 * @param <T> the value's type
 */
public final class ContextKey<T> {

    private final String name;

    private ContextKey(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A new key; the name is for debugging only (two keys with one name are different keys). */
    public static <T> ContextKey<T> named(String name) {
        return new ContextKey<>(name);
    }

    @Override
    public String toString() {
        return "ContextKey[" + name + "]";
    }
}
