package dev.dspy4j.media;

import dev.dspy4j.signature.CustomType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@link CustomType} of a media class: its name, description and schema as DSPy's type shows
 * them, each value formatted as its one content part, and values read by the class's
 * {@code fromJson}.
 */
final class MediaType<T extends Media> implements CustomType<T> {

    private final String name;
    private final Class<T> valueClass;
    private final String description;
    private final Function<Object, T> reader;
    private final Map<String, Object> schema;

    MediaType(String name, Class<T> valueClass, String description, Function<Object, T> reader,
              Map<String, String> properties, List<String> required) {
        this.name = name;
        this.valueClass = valueClass;
        this.description = description;
        this.reader = reader;
        Map<String, Object> props = new LinkedHashMap<>();
        properties.forEach((key, title) -> props.put(key, Map.of("type", "string", "title", title)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "object");
        out.put("properties", props);
        out.put("required", required);
        out.put("title", name);
        this.schema = java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<T> valueClass() {
        return valueClass;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Formatted format(T value) {
        return Formatted.parts(value.part());
    }

    @Override
    public T parse(Object value) {
        return reader.apply(value);
    }

    @Override
    public Map<String, Object> jsonSchema() {
        return schema;
    }

    @Override
    public String toString() {
        return name;
    }
}
