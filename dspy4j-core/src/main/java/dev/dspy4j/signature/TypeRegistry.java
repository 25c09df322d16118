package dev.dspy4j.signature;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Named types (enums and records) that shorthand signature strings may refer to, e.g. the
 * {@code Category} in {@code "ticket -> category: Category"}. DSPy resolves such names from the
 * caller's Python frames; Java asks for them explicitly.
 *
 * <p>Immutable and thread-safe; {@link #with(String, FieldType)} returns a new registry.
 */
public final class TypeRegistry {

    /** A registry with no named types: only DSPy's built-in vocabulary resolves. */
    public static final TypeRegistry EMPTY = new TypeRegistry(Map.of());

    private final Map<String, FieldType> types;

    private TypeRegistry(Map<String, FieldType> types) {
        this.types = types;
    }

    /**
     * A registry of Java enums and records, each under its simple class name; a class marked with
     * {@link CustomFieldType} is registered as its custom type.
     *
     * @param classes enum or record classes, or classes marked with {@link CustomFieldType}
     * @throws SignatureException if a class is neither an enum nor a record
     */
    public static TypeRegistry of(Class<?>... classes) {
        TypeRegistry registry = EMPTY;
        for (Class<?> type : classes) {
            registry = registry.with(type.getSimpleName(), JavaTypes.toFieldType(type, type.getSimpleName()));
        }
        return registry;
    }

    /**
     * This registry plus one named type.
     *
     * @param name the name used in shorthand strings
     * @param type the type it stands for
     */
    public TypeRegistry with(String name, FieldType type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Map<String, FieldType> copy = new LinkedHashMap<>(types);
        copy.put(name, type);
        return new TypeRegistry(Collections.unmodifiableMap(copy));
    }

    /**
     * This registry plus a type you define, under its {@linkplain CustomType#name() name}, so that
     * shorthand strings such as {@code "amount: Money -> total: Money"} resolve it.
     *
     * @param type the custom type
     */
    public TypeRegistry with(CustomType<?> type) {
        return with(type.name(), new FieldType.Custom(type));
    }

    /** The type registered under {@code name}, or {@code null}. */
    public @Nullable FieldType lookup(String name) {
        return types.get(name);
    }

    /**
     * Parses one type expression in DSPy's vocabulary, e.g. {@code "dict[str, list[int]]"},
     * {@code "Literal['a', 'b']"}, {@code "int | None"} or a registered name.
     *
     * @param expression the type expression
     * @return the type
     * @throws SignatureException naming the position if it cannot be parsed
     */
    public FieldType parseType(String expression) {
        return ShorthandParser.parseType(expression, this);
    }
}
