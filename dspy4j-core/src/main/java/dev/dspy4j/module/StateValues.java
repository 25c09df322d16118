package dev.dspy4j.module;

import dev.dspy4j.internal.content.ContentMarkers;
import dev.dspy4j.internal.records.RecordValues;
import dev.dspy4j.media.Media;
import dev.dspy4j.signature.CustomType;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Turns demo values into JSON-ready data, as DSPy dumps pydantic values into saved demos. */
final class StateValues {

    private StateValues() {}

    /**
     * A demo's values with each value of a user-defined field type replaced by what the type
     * formats it to (its text, or the marker string of its content parts), as DSPy dumps a
     * {@code dspy.Type} through its serializer. A value the type cannot read is kept as it is.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<String, Object> withCustomTypesFormatted(Map<String, Object> values,
                                                                  Signature signature) {
        Map<String, Object> out = null;
        for (Field field : signature.fields()) {
            Object value = values.get(field.name());
            if (!(field.type() instanceof FieldType.Custom custom) || value == null) {
                continue;
            }
            CustomType type = custom.type();
            Object formatted;
            try {
                formatted = switch (type.format(type.coerce(value))) {
                    case CustomType.Formatted.Text text -> text.text();
                    case CustomType.Formatted.Parts parts -> ContentMarkers.wrap(parts.parts());
                };
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (out == null) {
                out = new LinkedHashMap<>(values);
            }
            out.put(field.name(), formatted);
        }
        return out == null ? values : out;
    }

    static @Nullable Object toJsonValue(@Nullable Object value) {
        if (value instanceof Double || value instanceof Float) {
            // orjson, which writes DSPy's files, turns NaN and infinities into null
            return Double.isFinite(((Number) value).doubleValue()) ? value : null;
        }
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Media media) {
            // DSPy dumps a dspy.Type with its serializer: the marker string its adapters split again
            return ContentMarkers.wrap(List.of(media.part()));
        }
        if (value instanceof Enum<?> e) {
            return e.toString();
        }
        if (value instanceof Optional<?> optional) {
            return toJsonValue(optional.orElse(null));
        }
        if (value instanceof Record record) {
            return toJsonValue(RecordValues.toMap(record));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toJsonValue(v)));
            return out;
        }
        if (value instanceof Collection<?> items) {
            List<Object> out = new ArrayList<>(items.size());
            items.forEach(item -> out.add(toJsonValue(item)));
            return out;
        }
        if (value instanceof Object[] array) {
            return toJsonValue(java.util.Arrays.asList(array)); // keeps null elements, which List.of rejects
        }
        return value.toString();
    }
}
