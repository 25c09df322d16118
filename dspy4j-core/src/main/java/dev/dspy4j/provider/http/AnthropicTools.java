package dev.dspy4j.provider.http;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the provider-neutral parts of a request in Anthropic's Messages API shapes: system text,
 * content blocks (text, image, document), {@code tool_use} blocks of assistant turns,
 * {@code tool_result} blocks (consecutive tool results travel in one user turn, as the API
 * requires), {@code tools} and {@code tool_choice}.
 */
final class AnthropicTools {

    private AnthropicTools() {
    }

    /** The system messages' text, joined by a blank line, or {@code null} if there is none. */
    static @Nullable String system(List<Message> messages) {
        StringBuilder system = null;
        for (Message message : messages) {
            if (message instanceof Message.SystemMessage) {
                system = system == null ? new StringBuilder() : system.append("\n\n");
                system.append(message.text());
            }
        }
        return system == null ? null : system.toString();
    }

    /** Appends the non-system messages to {@code wire}. */
    static void messages(List<Message> messages, ArrayNode wire, Endpoint endpoint) {
        ArrayNode pendingResults = null;
        for (Message message : messages) {
            if (message instanceof Message.ToolMessage tool) {
                if (pendingResults == null) {
                    pendingResults = wire.addObject().put("role", "user").putArray("content");
                }
                ObjectNode result = pendingResults.addObject();
                result.put("type", "tool_result").put("tool_use_id", tool.callId());
                if (tool.isTextOnly()) {
                    result.put("content", tool.text());
                } else {
                    blocks(tool.content(), result.putArray("content"), endpoint);
                }
                continue;
            }
            pendingResults = null;
            switch (message) {
                case Message.SystemMessage s -> { }
                case Message.UserMessage user -> content(user, wire.addObject().put("role", "user"), endpoint);
                case Message.AssistantMessage assistant -> {
                    ObjectNode out = wire.addObject().put("role", "assistant");
                    if (assistant.toolCalls().isEmpty()) {
                        content(assistant, out, endpoint);
                    } else {
                        ArrayNode blocks = out.putArray("content");
                        blocks(assistant.content(), blocks, endpoint);
                        for (ToolCall call : assistant.toolCalls()) {
                            ObjectNode use = blocks.addObject().put("type", "tool_use").put("id", call.id())
                                    .put("name", call.name());
                            use.set("input", JsonTrees.toTree(call.arguments()));
                        }
                    }
                }
                case Message.ToolMessage t -> throw new AssertionError("handled above");
            }
        }
    }

    private static void content(Message message, ObjectNode out, Endpoint endpoint) {
        if (message.isTextOnly()) {
            out.put("content", message.text());
        } else {
            blocks(message.content(), out.putArray("content"), endpoint);
        }
    }

    private static void blocks(List<ContentPart> parts, ArrayNode out, Endpoint endpoint) {
        for (ContentPart part : parts) {
            switch (part) {
                case ContentPart.Text text -> out.addObject().put("type", "text").put("text", text.text());
                case ContentPart.Image image -> {
                    ObjectNode source = out.addObject().put("type", "image").putObject("source");
                    if (image.inline()) {
                        source.put("type", "base64").put("media_type", image.mediaType()).put("data", image.base64Data());
                    } else {
                        source.put("type", "url").put("url", image.url());
                    }
                }
                case ContentPart.File file -> {
                    ObjectNode block = out.addObject().put("type", "document");
                    ObjectNode source = block.putObject("source");
                    if (file.dataUri() != null) {
                        source.put("type", "base64").put("media_type", file.mediaType()).put("data", file.base64Data());
                    } else {
                        source.put("type", "file").put("file_id", file.fileId());
                    }
                    if (file.filename() != null) {
                        block.put("title", file.filename());
                    }
                }
                case ContentPart.Document document -> document(document, out.addObject());
                case ContentPart.Audio audio -> throw new LmException.Configuration("Anthropic's Messages API takes no "
                        + "audio input, but the request holds " + audio + " for model " + endpoint.model()
                        + ". Transcribe it first, or use a model that accepts audio", endpoint.provider());
            }
        }
    }

    /**
     * A document block with citations enabled. Text goes as a {@code text} source, as DSPy writes
     * it; a PDF (base64 data) goes as a {@code base64} source, the only source Anthropic accepts
     * for PDFs (DSPy writes {@code text} there too, which Anthropic rejects).
     */
    private static void document(ContentPart.Document document, ObjectNode block) {
        if (!"application/pdf".equals(document.mediaType())) {
            OpenAiRequests.documentBlock(document, block);
            return;
        }
        block.put("type", "document");
        block.putObject("source").put("type", "base64").put("media_type", document.mediaType())
                .put("data", document.data());
        block.putObject("citations").put("enabled", true);
        if (document.title() != null && !document.title().isEmpty()) {
            block.put("title", document.title());
        }
        if (document.context() != null && !document.context().isEmpty()) {
            block.put("context", document.context());
        }
    }

    /** The request's tools as Anthropic tools ({@code name}, {@code description}, {@code input_schema}). */
    static ArrayNode tools(LmRequest request) {
        ArrayNode out = JsonTrees.array();
        for (ToolSpec tool : request.tools()) {
            ObjectNode converted = out.addObject();
            converted.put("name", tool.name());
            if (!tool.description().isEmpty()) {
                converted.put("description", tool.description());
            }
            converted.set("input_schema", JsonTrees.toTree(tool.parameters()));
        }
        return out;
    }

    /** A tool choice in Anthropic's words: {@code auto}, {@code any}, {@code none}, or {@code tool} with a name. */
    static ObjectNode toolChoice(ToolChoice choice) {
        ObjectNode out = JsonTrees.object();
        return switch (choice) {
            case ToolChoice.Auto a -> out.put("type", "auto");
            case ToolChoice.Required r -> out.put("type", "any");
            case ToolChoice.None n -> out.put("type", "none");
            case ToolChoice.Named named -> out.put("type", "tool").put("name", named.name());
        };
    }
}
