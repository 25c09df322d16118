package dev.dspy4j.mcp;

import dev.dspy4j.tool.Tool;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/** An MCP tool as a dspy4j {@link Tool}, and a {@code tools/call} result as a tool's value. */
final class McpToolConversion {

    private McpToolConversion() {}

    static Tool toTool(ServerConnection server, McpSchema.Tool mcpTool, Duration callTimeout) {
        Map<String, Object> input = mcpTool.inputSchema() == null ? Map.of() : mcpTool.inputSchema();
        Map<String, Object> defs = new LinkedHashMap<>();
        addDefs(defs, input.get("definitions"), "#/definitions/");
        addDefs(defs, input.get("$defs"), "#/$defs/");
        Map<String, Map<String, Object>> args = new LinkedHashMap<>();
        if (input.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, schema) -> args.put(String.valueOf(name),
                    schema instanceof Map<?, ?> map ? asObject(inline(map, defs, 0)) : Map.of()));
        }
        List<String> required = new ArrayList<>();
        if (input.get("required") instanceof List<?> list) {
            list.forEach(name -> required.add(String.valueOf(name)));
        }
        String name = mcpTool.name();
        String desc = mcpTool.description() != null ? mcpTool.description()
                : mcpTool.title() != null ? mcpTool.title() : "";
        return Tool.ofSchema(name, desc, args, arguments -> call(server, name, required, arguments))
                .toBuilder()
                .timeout(callTimeout)
                .build();
    }

    private static String call(ServerConnection server, String tool, List<String> required,
                               Map<String, @Nullable Object> arguments) {
        for (String arg : required) {
            if (!arguments.containsKey(arg)) {
                throw new IllegalArgumentException("Arg " + arg + " is required but was not given.");
            }
        }
        McpSchema.CallToolResult result = server.call(McpSchema.CallToolRequest.builder(tool)
                .arguments(new LinkedHashMap<>(arguments))
                .build());
        String value = value(result);
        if (Boolean.TRUE.equals(result.isError())) {
            throw new McpException("MCP tool " + tool + " returned an error: " + value);
        }
        return value;
    }

    /** Structured content as JSON text if any, else text contents joined by line breaks, others as JSON. */
    static String value(McpSchema.CallToolResult result) {
        if (result.structuredContent() != null) {
            return json(result.structuredContent());
        }
        List<String> parts = new ArrayList<>();
        for (McpSchema.Content content : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
            parts.add(content instanceof McpSchema.TextContent text ? text.text() : json(content));
        }
        return String.join("\n", parts);
    }

    private static String json(Object value) {
        try {
            return McpJson.json().writeValueAsString(value);
        } catch (JacksonException e) {
            return String.valueOf(value);
        }
    }

    /** The innermost useful message of an SDK exception (they wrap timeouts and closed transports). */
    static String describe(Throwable e) {
        Throwable at = e;
        StringBuilder out = new StringBuilder();
        while (at != null) {
            String message = at.getMessage();
            String part = message == null || message.isBlank() ? at.getClass().getSimpleName()
                    : at.getClass().getSimpleName() + ": " + message;
            if (out.indexOf(part) < 0) {
                out.append(out.isEmpty() ? "" : " <- ").append(part);
            }
            at = at.getCause() == at ? null : at.getCause();
        }
        return out.toString();
    }

    private static void addDefs(Map<String, Object> defs, @Nullable Object given, String prefix) {
        if (given instanceof Map<?, ?> map) {
            map.forEach((name, schema) -> defs.put(prefix + name, schema));
        }
    }

    /** The schema with local {@code $ref}s replaced by what they point to (cycles cut at depth 16). */
    private static @Nullable Object inline(@Nullable Object schema, Map<String, Object> defs, int depth) {
        if (schema instanceof Map<?, ?> map) {
            if (map.get("$ref") instanceof String ref && defs.containsKey(ref) && depth < 16) {
                Map<String, Object> merged = new LinkedHashMap<>(asObject(inline(defs.get(ref), defs, depth + 1)));
                map.forEach((k, v) -> {
                    if (!"$ref".equals(k)) {
                        merged.put(String.valueOf(k), inline(v, defs, depth + 1));
                    }
                });
                return merged;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), inline(v, defs, depth + 1)));
            return out;
        }
        if (schema instanceof List<?> list) {
            List<@Nullable Object> out = new ArrayList<>();
            list.forEach(item -> out.add(inline(item, defs, depth + 1)));
            return out;
        }
        return schema;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(@Nullable Object schema) {
        return schema instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
