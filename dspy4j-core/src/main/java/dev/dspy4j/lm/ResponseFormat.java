package dev.dspy4j.lm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The shape the LM's reply must take. A closed set: free {@link #TEXT} (the default), any
 * {@link #JSON_OBJECT}, or JSON that follows a {@link JsonSchema}. Providers without structured
 * outputs reject the last two with a configuration error.
 */
public sealed interface ResponseFormat {

    /** Free text (nothing is sent). */
    ResponseFormat TEXT = new Text();
    /** Any JSON object (OpenAI's {@code json_object} mode). */
    ResponseFormat JSON_OBJECT = new JsonObject();

    /** Free text. */
    record Text() implements ResponseFormat {}

    /** Any JSON object. */
    record JsonObject() implements ResponseFormat {}

    /**
     * JSON that follows a schema (structured outputs).
     *
     * @param name the schema's name, as providers require one
     * @param schema the JSON schema
     * @param strict whether the provider must follow the schema exactly
     */
    record JsonSchema(String name, Map<String, Object> schema, boolean strict) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            schema = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(schema, "schema")));
        }
    }
}
