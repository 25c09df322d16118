package dev.dspy4j.adapter;

import dev.dspy4j.internal.content.ContentMarkers;
import dev.dspy4j.internal.records.RecordValues;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.Message;
import dev.dspy4j.media.Audio;
import dev.dspy4j.media.Document;
import dev.dspy4j.media.File;
import dev.dspy4j.media.Image;
import dev.dspy4j.media.Media;
import dev.dspy4j.signature.CustomType;
import dev.dspy4j.signature.FieldType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Custom field types in prompts: user-defined {@link CustomType}s and the media types
 * ({@code Image}, {@code Audio}, {@code File}, {@code Document}), written as DSPy writes any
 * {@code dspy.Type}. A value that formats to text takes that text's place; a value that formats
 * to content parts becomes a marker string ({@link ContentMarkers}), which stays a JSON string
 * inside lists and maps, and {@link #userMessage} later cuts the user message into parts around it.
 *
 * <p>Stateless and thread-safe.
 */
final class CustomValues {

    private CustomValues() {}

    /** The custom type a field type stands for, or {@code null} if it is not one. */
    static @Nullable CustomType<?> customType(FieldType type) {
        if (type instanceof FieldType.Custom custom) {
            return custom.type();
        }
        if (type instanceof FieldType.SpecialType special) {
            return switch (special.kind()) {
                case IMAGE -> Image.TYPE;
                case AUDIO -> Audio.TYPE;
                case FILE -> File.TYPE;
                case DOCUMENT -> Document.TYPE;
                default -> null;
            };
        }
        return null;
    }

    /**
     * The custom types inside a type, outermost first and each once, as DSPy's
     * {@code extract_custom_type_from_annotation} finds them ({@code list[Document]} holds
     * {@code Document}).
     */
    static List<CustomType<?>> customTypesIn(FieldType type) {
        List<CustomType<?>> out = new ArrayList<>(1);
        collect(type, out, 0);
        return out;
    }

    private static void collect(FieldType type, List<CustomType<?>> out, int depth) {
        CustomType<?> custom = customType(type);
        if (custom != null) {
            if (!out.contains(custom)) {
                out.add(custom);
            }
            return;
        }
        if (depth > 32) {
            return;
        }
        switch (type) {
            case FieldType.ListType l -> collect(l.element(), out, depth + 1);
            case FieldType.DictType d -> {
                collect(d.key(), out, depth + 1);
                collect(d.value(), out, depth + 1);
            }
            case FieldType.OptionalType o -> collect(o.inner(), out, depth + 1);
            default -> { }
        }
    }

    /**
     * A value with every custom-typed part replaced by its prompt form: text, or a marker string
     * for content parts. Values of types without custom types are returned as they are.
     *
     * @param type the declared type
     * @param value the value
     * @return the value to format; a value that cannot be read as its custom type is kept as it
     *     is, which is how DSPy writes a value of another type
     */
    static @Nullable Object prepare(FieldType type, @Nullable Object value) {
        if (value == null || type instanceof FieldType.StrType) {
            return value;
        }
        CustomType<?> custom = customType(type);
        if (custom != null) {
            return promptForm(custom, value instanceof Optional<?> o ? o.orElse(null) : value);
        }
        if (!hasCustom(type, 0)) {
            return value; // text-only types: the value is formatted exactly as before custom types
        }
        return switch (type) {
            case FieldType.ListType l -> mapItems(value, item -> prepare(l.element(), item));
            case FieldType.DictType d -> value instanceof Map<?, ?> map ? mapValues(map, v -> prepare(d.value(), v)) : value;
            case FieldType.OptionalType o -> value instanceof Optional<?> opt
                    ? prepare(o.inner(), opt.orElse(null)) : prepare(o.inner(), value);
            case FieldType.RecordType r -> prepareRecord(r, value);
            case FieldType.AnyType a -> untyped(value, 0);
            default -> value;
        };
    }

    /**
     * What Python's {@code str()} gives for a field's value, as TwoStepAdapter writes values: a
     * value of a custom type (or any media value) is its prompt form, as {@code dspy.Type.__str__}
     * is; anything else, including lists of media, is left to {@code str()} as it is.
     */
    static @Nullable Object strForm(FieldType type, @Nullable Object value) {
        if (value instanceof Media media) {
            return ContentMarkers.wrap(List.of(media.part()));
        }
        CustomType<?> custom = customType(type);
        return custom == null || value == null ? value : promptForm(custom, value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static @Nullable Object promptForm(CustomType custom, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        Object typed;
        try {
            typed = custom.coerce(value);
        } catch (IllegalArgumentException e) {
            // DSPy formats a value that is not of the field's type as it is (e.g. the "{name}"
            // placeholders of XMLAdapter's structure, or free text given for an image field)
            return value;
        }
        CustomType.Formatted formatted = custom.format(typed);
        return switch (formatted) {
            case CustomType.Formatted.Text text -> text.text();
            case CustomType.Formatted.Parts parts -> ContentMarkers.wrap(parts.parts());
        };
    }

    private static Object prepareRecord(FieldType.RecordType type, Object value) {
        Map<?, ?> fields = value instanceof Record record ? RecordValues.toMap(record)
                : value instanceof Map<?, ?> map ? map : null;
        if (fields == null || !hasCustom(type, 0)) {
            return value;
        }
        Map<Object, @Nullable Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            FieldType fieldType = e.getKey() instanceof String name ? type.fields().get(name) : null;
            out.put(e.getKey(), fieldType == null ? e.getValue() : prepare(fieldType, e.getValue()));
        }
        return out;
    }

    private static boolean hasCustom(FieldType type, int depth) {
        if (customType(type) != null) {
            return true;
        }
        if (depth > 32) {
            return false;
        }
        return switch (type) {
            case FieldType.ListType l -> hasCustom(l.element(), depth + 1);
            case FieldType.DictType d -> hasCustom(d.value(), depth + 1);
            case FieldType.OptionalType o -> hasCustom(o.inner(), depth + 1);
            case FieldType.RecordType r -> r.fields().values().stream().anyMatch(f -> hasCustom(f, depth + 1));
            case FieldType.AnyType a -> true;
            default -> false;
        };
    }

    /** Media values anywhere inside a value of type {@code Any}, as DSPy serializes any {@code dspy.Type}. */
    private static @Nullable Object untyped(@Nullable Object value, int depth) {
        if (value instanceof Media media) {
            return ContentMarkers.wrap(List.of(media.part()));
        }
        if (depth > 32) {
            return value;
        }
        if (value instanceof Collection<?> || (value != null && value.getClass().isArray())) {
            return mapItems(value, item -> untyped(item, depth + 1));
        }
        if (value instanceof Map<?, ?> map) {
            return mapValues(map, v -> untyped(v, depth + 1));
        }
        return value;
    }

    private static Object mapItems(Object value, java.util.function.Function<@Nullable Object, @Nullable Object> f) {
        List<@Nullable Object> out;
        if (value instanceof Collection<?> items) {
            out = new ArrayList<>(items.size());
            for (Object item : items) {
                out.add(f.apply(item));
            }
        } else if (value.getClass().isArray() && !(value instanceof byte[])) {
            int length = java.lang.reflect.Array.getLength(value);
            out = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                out.add(f.apply(java.lang.reflect.Array.get(value, i)));
            }
        } else {
            return value;
        }
        return out;
    }

    private static Map<Object, @Nullable Object> mapValues(Map<?, ?> map,
                                                           java.util.function.Function<@Nullable Object, @Nullable Object> f) {
        Map<Object, @Nullable Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.put(e.getKey(), f.apply(e.getValue()));
        }
        return out;
    }

    /**
     * A user message from its text: content parts around each marker when it holds any, as DSPy's
     * {@code split_message_content_for_custom_types}; else one text part.
     */
    static Message.UserMessage userMessage(String content) {
        if (!ContentMarkers.contains(content)) {
            return Message.user(content);
        }
        List<ContentPart> parts = ContentMarkers.split(content);
        return Message.user(parts);
    }
}
