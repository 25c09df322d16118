package dev.dspy4j.lm;

import dev.dspy4j.internal.JsonTrees;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * A tool call the model asked for (native function calling), with its arguments parsed.
 *
 * <p>Models sometimes send arguments that are not a JSON object. Nothing is lost then:
 * {@link #argumentsJson()} keeps the text exactly as sent, {@link #arguments()} is empty and
 * {@link #argumentsValid()} is {@code false}, so an agent can show the model its mistake.
 *
 * @param id the provider's call id ({@code ""} if the provider gave none)
 * @param name the tool's name
 * @param arguments the arguments by name, in the order sent (empty if they were not a JSON object)
 * @param argumentsJson the arguments as the provider sent them
 * @param argumentsValid whether {@code argumentsJson} was a JSON object
 */
public record ToolCall(String id, String name, Map<String, Object> arguments, String argumentsJson,
                       boolean argumentsValid) {

    public ToolCall {
        id = id == null ? "" : id;
        Objects.requireNonNull(name, "name");
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(arguments, "arguments")));
        Objects.requireNonNull(argumentsJson, "argumentsJson");
    }

    /** A call with arguments given as a map (written as JSON for {@link #argumentsJson()}). */
    public static ToolCall of(String id, String name, Map<String, ?> arguments) {
        Map<String, Object> copy = new LinkedHashMap<>(arguments);
        return new ToolCall(id, name, copy, JsonTrees.writeString(JsonTrees.toTree(copy)), true);
    }

    /**
     * A call with arguments as the provider sent them: JSON text, parsed here. A {@code null} id
     * becomes {@code ""}; {@code null} or blank arguments become {@code {}}.
     */
    @SuppressWarnings("unchecked")
    public static ToolCall parse(@Nullable String id, String name, @Nullable String argumentsJson) {
        String callId = id == null ? "" : id;
        String text = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
        try {
            Object parsed = JsonTrees.readJava(text);
            if (parsed instanceof Map<?, ?> map) {
                return new ToolCall(callId, name, (Map<String, Object>) map, text, true);
            }
        } catch (JacksonException e) {
            // kept as text below: the model's mistake is data for the caller, not a crash
        }
        return new ToolCall(callId, name, Map.of(), text, false);
    }
}
