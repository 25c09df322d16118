package dev.dspy4j.signature;

import dev.dspy4j.lm.ContentPart;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A field type you define: DSPy's {@code dspy.Type}. It says what the LM sees of the type (its name,
 * an optional description, and for outputs a JSON schema), how a value is written into a prompt
 * (text, or content parts such as images), and how an output is read back from the LM's reply.
 * Adapters consult it; none of them needs changing for a new type.
 *
 * <p>Use it in a typed signature by marking the value class with {@link CustomFieldType}
 * ({@code @CustomFieldType(MoneyType.class) record Money(...)}); record components of that class
 * then become fields of this type. Use it in shorthand strings by registering it:
 * {@code TypeRegistry.EMPTY.with(new MoneyType())} makes {@code "price: Money"} resolve.
 *
 * <p>In the prompt, a field of this type is listed as {@code `name` (Name): desc}, followed by
 * {@code Type description of Name: ...} when {@link #description()} is not empty; an output gets
 * DSPy's note {@code the value you produce must adhere to the JSON schema: ...} with
 * {@link #jsonSchema()}. An input value whose {@link #format} is {@linkplain Formatted.Parts
 * content parts} splits the user message into parts around it, as DSPy does (see
 * {@code docs/types.md}).
 *
 * <p>Implementations must be immutable and thread-safe, and should implement {@code equals} (a
 * record, an enum constant or a singleton does): signatures compare field types by equality.
 *
 * @param <T> the Java class of the type's values
 */
public interface CustomType<T> {

    /**
     * The type's name as the LM sees it, e.g. {@code Money} in {@code `price` (Money)}; also the
     * name a shorthand string uses when the type is registered in a {@link TypeRegistry}.
     */
    String name();

    /** The Java class of this type's values; values of other classes are read with {@link #parse}. */
    Class<T> valueClass();

    /**
     * What the LM is told about the type under each field of it ({@code Type description of
     * Name: ...}), or {@code ""} (the default) for nothing.
     */
    default String description() {
        return "";
    }

    /**
     * How a value is written into a message: its text, or content parts (text, image, audio, file,
     * document) that take its place in the user message.
     *
     * @param value a value of this type
     * @return the text or parts
     */
    Formatted format(T value);

    /**
     * Reads a value of this type from an LM's output, a saved demo or a plain input value. The
     * value is a JSON-like Java value: for a reply in text (ChatAdapter, XMLAdapter) the field's
     * text is first read as JSON where it can be ({@code {"amount": 3}} becomes a map), and when
     * that fails this method is called again with the raw text; for a JSON reply it is the
     * field's JSON value.
     *
     * @param value a {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List}
     *     or {@code Map}
     * @return the value
     * @throws IllegalArgumentException if the value cannot be read; the message is shown to the LM
     *     and in the parse error
     */
    T parse(Object value);

    /**
     * The JSON schema of the type, shown in the note of an output field and used for structured
     * outputs. The default is {@code {"type": "string"}}.
     */
    default Map<String, Object> jsonSchema() {
        return Map.of("type", "string");
    }

    /**
     * A value of this type from any value a field may hold: itself when it already is one, else
     * {@link #parse}d.
     *
     * @param value the value
     * @return the value as this type
     * @throws IllegalArgumentException if it cannot be read
     */
    default T coerce(Object value) {
        Class<T> type = valueClass();
        return type.isInstance(value) ? type.cast(value) : parse(value);
    }

    /** What {@link #format} returns: text, or content parts. */
    sealed interface Formatted {

        /** Text, written where the value goes (inside a list or map, as a JSON string). */
        static Formatted text(String text) {
            return new Text(text);
        }

        /** Content parts that take the value's place in the user message. */
        static Formatted parts(List<? extends ContentPart> parts) {
            return new Parts(List.copyOf(parts));
        }

        /** Content parts that take the value's place in the user message. */
        static Formatted parts(ContentPart... parts) {
            return new Parts(List.of(parts));
        }

        /**
         * Text.
         *
         * @param text the text
         */
        record Text(String text) implements Formatted {
            public Text {
                Objects.requireNonNull(text, "text");
            }
        }

        /**
         * Content parts.
         *
         * @param parts the parts, at least one
         */
        record Parts(List<ContentPart> parts) implements Formatted {
            public Parts {
                parts = List.copyOf(parts);
                if (parts.isEmpty()) {
                    throw new IllegalArgumentException("A custom type's value needs at least one content part");
                }
            }
        }
    }
}
