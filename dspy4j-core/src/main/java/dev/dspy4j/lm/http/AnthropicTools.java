package dev.dspy4j.lm.http;

import dev.dspy4j.lm.LmException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts OpenAI-format {@code tools} and {@code tool_choice} (what DSPy and the adapters
 * produce) into Anthropic's. Entries already in Anthropic's format pass through unchanged.
 */
final class AnthropicTools {

    private AnthropicTools() {
    }

    /** {@code {type: function, function: {name, description, parameters}}} becomes {@code {name, description, input_schema}}. */
    static ArrayNode tools(Object value, Endpoint endpoint) {
        JsonNode tools = Json.MAPPER.valueToTree(value);
        if (!tools.isArray()) {
            throw invalid(endpoint, "tools must be a list of tool objects");
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode tool : tools.values()) {
            JsonNode function = tool.get("function");
            if ("function".equals(Json.string(tool, "type")) && function != null && function.isObject()) {
                ObjectNode converted = out.addObject();
                converted.put("name", Json.string(function, "name"));
                String description = Json.string(function, "description");
                if (description != null) {
                    converted.put("description", description);
                }
                JsonNode parameters = function.get("parameters");
                if (parameters != null && parameters.isObject()) {
                    converted.set("input_schema", parameters);
                } else {
                    converted.putObject("input_schema").put("type", "object").putObject("properties");
                }
            } else {
                out.add(tool);
            }
        }
        return out;
    }

    /** {@code auto}, {@code required}, {@code none} and {@code {type: function, function: {name}}} in Anthropic's words. */
    static JsonNode toolChoice(Object value, Endpoint endpoint) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (value instanceof String choice) {
            switch (choice) {
                case "auto" -> out.put("type", "auto");
                case "required", "any" -> out.put("type", "any");
                case "none" -> out.put("type", "none");
                default -> throw invalid(endpoint, "tool_choice must be auto, required, none or a tool object, was "
                        + choice);
            }
            return out;
        }
        if (value instanceof Map<?, ?> map && "function".equals(map.get("type"))
                && map.get("function") instanceof Map<?, ?> function && function.get("name") instanceof String name) {
            return out.put("type", "tool").put("name", name);
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return Json.MAPPER.valueToTree(value);
        }
        throw invalid(endpoint, "tool_choice must be a string or an object, was " + value);
    }

    private static LmException invalid(Endpoint endpoint, String problem) {
        return new LmException.Configuration(problem + " (model " + endpoint.model() + ")", endpoint.provider());
    }
}
