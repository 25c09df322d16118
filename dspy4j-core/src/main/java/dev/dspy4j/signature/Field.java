package dev.dspy4j.signature;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One named, typed field of a {@link Signature}: an input the caller supplies or an output the LM
 * produces.
 *
 * <p>Immutable; derive variants with the {@code with*} methods. A {@code null} description means
 * "none": DSPy stores it as the placeholder {@code ${name}} and prompts show nothing. The prefix is
 * saved and loaded for DSPy compatibility but, as in DSPy 3.3, never rendered.
 *
 * @param name the name the LM sees, e.g. {@code ticket_text}
 * @param role input or output
 * @param type the field's type
 * @param description what the field means, or {@code null}
 * @param prefix DSPy's legacy prefix, e.g. {@code "Ticket Text:"}
 * @param typeDeclared whether the type was written explicitly (an untyped shorthand field is
 *     {@code str} but not declared)
 * @param defaultValue the value an output takes when the LM omits it, if it has one
 * @param defaultFactory makes the value an output takes when the LM omits it, if it has one
 *     (pydantic's {@code default_factory}, e.g. {@code List::of} for {@code Field(default_factory=list)});
 *     called once per parsed reply. A field has a default value or a default factory, not both.
 *     Records compare factories by identity, so share one instance between equal fields.
 */
public record Field(
        String name,
        Role role,
        FieldType type,
        @Nullable String description,
        String prefix,
        boolean typeDeclared,
        Optional<Object> defaultValue,
        Optional<Supplier<?>> defaultFactory) {

    /** Whether a field is an input or an output. */
    public enum Role {
        /** Supplied by the caller. */
        INPUT,
        /** Produced by the LM. */
        OUTPUT
    }

    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(defaultValue, "defaultValue (use Optional.empty())");
        Objects.requireNonNull(defaultFactory, "defaultFactory (use Optional.empty())");
        if (defaultValue.isPresent() && defaultFactory.isPresent()) {
            throw new IllegalArgumentException("Field '" + name + "' has both a default value and a default "
                    + "factory; give it one or the other, as pydantic requires.");
        }
        Names.requireIdentifier(name);
        if (description != null && description.equals("${" + name + "}")) {
            description = null;
        }
    }

    /**
     * A field without a default factory (the form before default factories existed).
     *
     * @param name the name the LM sees
     * @param role input or output
     * @param type the field's type
     * @param description what the field means, or {@code null}
     * @param prefix DSPy's legacy prefix
     * @param typeDeclared whether the type was written explicitly
     * @param defaultValue the value an output takes when the LM omits it, if it has one
     */
    public Field(String name, Role role, FieldType type, @Nullable String description, String prefix,
                 boolean typeDeclared, Optional<Object> defaultValue) {
        this(name, role, type, description, prefix, typeDeclared, defaultValue, Optional.empty());
    }

    /** An input field with DSPy's default prefix and no description. */
    public static Field input(String name, FieldType type) {
        return new Field(name, Role.INPUT, type, null, Names.inferPrefix(name) + ":", true, Optional.empty());
    }

    /** An output field with DSPy's default prefix and no description. */
    public static Field output(String name, FieldType type) {
        return new Field(name, Role.OUTPUT, type, null, Names.inferPrefix(name) + ":", true, Optional.empty());
    }

    /** Whether this is an input field. */
    public boolean isInput() {
        return role == Role.INPUT;
    }

    /** Whether this is an output field. */
    public boolean isOutput() {
        return role == Role.OUTPUT;
    }

    /** The description, or {@code ""} when there is none (what prompts show). */
    public String descriptionOrEmpty() {
        return description == null ? "" : description;
    }

    /** The description as DSPy saves it: the text, or the placeholder {@code ${name}}. */
    public String savedDescription() {
        return description == null ? "${" + name + "}" : description;
    }

    /** This field with another description ({@code null} for none). */
    public Field withDescription(@Nullable String newDescription) {
        return new Field(name, role, type, newDescription, prefix, typeDeclared, defaultValue, defaultFactory);
    }

    /** This field with another prefix. */
    public Field withPrefix(String newPrefix) {
        return new Field(name, role, type, description, newPrefix, typeDeclared, defaultValue, defaultFactory);
    }

    /** This field with another type (now declared). */
    public Field withType(FieldType newType) {
        return new Field(name, role, newType, description, prefix, true, defaultValue, defaultFactory);
    }

    /**
     * This field with a default value used when the LM omits it ({@code null} allowed), replacing
     * any default factory.
     */
    public Field withDefault(@Nullable Object value) {
        return new Field(name, role, type, description, prefix, typeDeclared,
                Optional.ofNullable(value).or(() -> Optional.of(NONE)), Optional.empty());
    }

    /**
     * This field with a default factory, replacing any default value: when the LM omits the
     * output, it takes a value made by {@code factory} (pydantic's {@code default_factory}).
     *
     * @param factory makes the value, once per parsed reply; it may return {@code null}
     * @return the new field
     */
    public Field withDefaultFactory(Supplier<?> factory) {
        return new Field(name, role, type, description, prefix, typeDeclared, Optional.empty(),
                Optional.of(Objects.requireNonNull(factory, "factory")));
    }

    /** Whether the field has a default value (not counting a default factory). */
    public boolean hasDefault() {
        return defaultValue.isPresent();
    }

    /** Whether the field has a default factory. */
    public boolean hasDefaultFactory() {
        return defaultFactory.isPresent();
    }

    /** The default value, {@code null} for a default of {@code None}. */
    public @Nullable Object defaultOrNull() {
        Object value = defaultValue.orElse(null);
        return value == NONE ? null : value;
    }

    /** Marker for a default of {@code None}, since {@link Optional} cannot hold {@code null}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };
}
