package dev.dspy4j.lm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tool offered to the LM for native function calling: its name, what it does, and its
 * arguments as a JSON schema (an object schema, e.g.
 * {@code {"type": "object", "properties": {...}, "required": [...]}}). Provider-neutral: the HTTP
 * clients write it as OpenAI {@code tools} or Anthropic {@code tools} entries. Immutable.
 *
 * @param name the tool's name, as the model will call it
 * @param description what the tool does ({@code ""} for none)
 * @param parameters the JSON schema of the arguments object
 */
public record ToolSpec(String name, String description, Map<String, Object> parameters) {

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A tool needs a name");
        }
        description = description == null ? "" : description;
        parameters = parameters == null ? Map.of("type", "object", "properties", Map.of())
                : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
