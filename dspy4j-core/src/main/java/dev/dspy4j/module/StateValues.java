package dev.dspy4j.module;

import dev.dspy4j.internal.content.ContentMarkers;
import dev.dspy4j.internal.records.RecordValues;
import dev.dspy4j.media.Media;
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
