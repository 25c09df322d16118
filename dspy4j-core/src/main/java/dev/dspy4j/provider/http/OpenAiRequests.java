package dev.dspy4j.provider.http;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the provider-neutral parts of a request in OpenAI's Chat Completions shapes: messages
 * with content parts, tool calls and tool results, {@code tools}, {@code tool_choice} and
 * {@code response_format}.
 */
public final class OpenAiRequests {

    private OpenAiRequests() {
    }

    /** Appends every message to {@code wire} in OpenAI's format. */
    static void messages(List<Message> messages, ArrayNode wire) {
        for (Message message : messages) {
            ObjectNode out = wire.addObject();
            out.put("role", message.role().wireName());
            switch (message) {
                case Message.AssistantMessage assistant -> {
                    if (assistant.content().isEmpty() && !assistant.toolCalls().isEmpty()) {
                        out.putNull("content");
                    } else {
                        content(assistant, out);
                    }
                    if (!assistant.toolCalls().isEmpty()) {
                        ArrayNode calls = out.putArray("tool_calls");
                        for (ToolCall call : assistant.toolCalls()) {
                            ObjectNode c = calls.addObject();
                            c.put("id", call.id());
                            c.put("type", "function");
                            c.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
                        }
                    }
                }
                case Message.ToolMessage tool -> {
                    out.put("tool_call_id", tool.callId());
                    if (tool.name() != null) {
                        out.put("name", tool.name());
                    }
                    content(tool, out);
                }
                case Message.SystemMessage system -> content(system, out);
                case Message.UserMessage user -> content(user, out);
            }
        }
    }

    private static void content(Message message, ObjectNode out) {
        if (message.isTextOnly()) {
            out.put("content", message.text());
            return;
        }
        ArrayNode parts = out.putArray("content");
        for (ContentPart part : message.content()) {
            part(part, parts.addObject());
        }
    }

    /** The messages, options and parameters of a request as a JSON-ready map (see {@code OpenAiLm.wireBody}). */
    public static Map<String, Object> body(LmRequest request) {
        ObjectNode root = JsonTrees.object();
        messages(request.messages(), root.putArray("messages"));
        Map<String, Object> out = JsonTrees.toJavaMap(root);
        out.putAll(request.options().toWireMap());
        out.putAll(parameters(request));
        return out;
    }

    /**
     * A document as Anthropic's {@code document} block with citations enabled, in DSPy's key
     * order: {@code type}, {@code source} ({@code type: text}, {@code media_type}, {@code data}),
     * {@code citations}, then {@code title} and {@code context} when set.
     */
    static void documentBlock(ContentPart.Document document, ObjectNode out) {
        out.put("type", "document");
        out.putObject("source").put("type", "text").put("media_type", document.mediaType()).put("data", document.data());
        out.putObject("citations").put("enabled", true);
        if (document.title() != null && !document.title().isEmpty()) {
            out.put("title", document.title());
        }
        if (document.context() != null && !document.context().isEmpty()) {
            out.put("context", document.context());
        }
    }

    private static void part(ContentPart part, ObjectNode out) {
        switch (part) {
            case ContentPart.Text text -> out.put("type", "text").put("text", text.text());
            case ContentPart.Image image -> out.put("type", "image_url").putObject("image_url").put("url", image.url());
            case ContentPart.Audio audio -> out.put("type", "input_audio").putObject("input_audio")
                    .put("data", audio.base64Data()).put("format", audio.format());
            case ContentPart.File file -> {
                ObjectNode f = out.put("type", "file").putObject("file");
                if (file.dataUri() != null) {
                    f.put("file_data", file.dataUri());
                }
                if (file.fileId() != null) {
                    f.put("file_id", file.fileId());
                }
                if (file.filename() != null) {
                    f.put("filename", file.filename());
                }
            }
            // DSPy hands litellm Anthropic's document block for every provider; it is sent as is
            case ContentPart.Document document -> documentBlock(document, out);
        }
    }

    /**
     * The request's tools, tool choice and response format as OpenAI parameters
     * ({@code tools}, {@code tool_choice}, {@code response_format}), in that order; unset ones are
     * left out (no tools, {@link ToolChoice#AUTO}, {@link ResponseFormat#TEXT}).
     *
     * @param request the request
     * @return the parameters by wire name
     */
    public static Map<String, Object> parameters(LmRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!request.tools().isEmpty()) {
            out.put("tools", request.tools().stream().map(OpenAiRequests::tool).toList());
        }
        if (!(request.toolChoice() instanceof ToolChoice.Auto)) {
            out.put("tool_choice", toolChoice(request.toolChoice()));
        }
        Object format = responseFormat(request.responseFormat());
        if (format != null) {
            out.put("response_format", format);
        }
        return out;
    }

    private static Map<String, Object> tool(ToolSpec tool) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", tool.name());
        function.put("description", tool.description());
        function.put("parameters", tool.parameters());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "function");
        out.put("function", function);
        return out;
    }

    private static Object toolChoice(ToolChoice choice) {
        return switch (choice) {
            case ToolChoice.Auto a -> "auto";
            case ToolChoice.None n -> "none";
            case ToolChoice.Required r -> "required";
            case ToolChoice.Named named -> Map.of("type", "function", "function", Map.of("name", named.name()));
        };
    }

    /** {@code response_format} for a format, or {@code null} for free text. */
    static @Nullable Object responseFormat(ResponseFormat format) {
        return switch (format) {
            case ResponseFormat.Text t -> null;
            case ResponseFormat.JsonObject j -> Map.of("type", "json_object");
            case ResponseFormat.JsonSchema schema -> {
                Map<String, Object> inner = new LinkedHashMap<>();
                inner.put("name", schema.name());
                inner.put("strict", schema.strict());
                inner.put("schema", schema.schema());
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("type", "json_schema");
                out.put("json_schema", inner);
                yield out;
            }
        };
    }
}
