package dev.dspy4j.provider.http;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An Anthropic Messages stream: {@code message_start}, content block events, {@code message_delta}
 * (stop reason, final usage), and {@code message_stop} as the terminator.
 */
final class AnthropicStream extends SseStream {

    private final ChoiceBuilder choice = new ChoiceBuilder();
    private @Nullable String model;
    private long inputTokens;
    private long outputTokens;

    AnthropicStream(Endpoint endpoint, HttpCaller.Opened opened) {
        super(endpoint, opened);
    }

    @Override
    boolean handle(SseReader.Event event) {
        JsonNode root = JsonTrees.read(event.data());
        if (root == null || !root.isObject()) {
            throw ErrorMapper.malformed(endpoint, 200, requestId, "a stream event is not a JSON object", event.data(),
                    null);
        }
        String type = event.type() != null ? event.type() : Json.string(root, "type");
        if (type == null) {
            return false;
        }
        switch (type) {
            case "message_start" -> {
                JsonNode message = root.path("message");
                model = Json.string(message, "model");
                Usage usage = AnthropicChat.usage(message.get("usage"), 0);
                inputTokens = usage.promptTokens();
                outputTokens = usage.completionTokens();
            }
            case "content_block_start" -> {
                int index = root.path("index").asInt(0);
                JsonNode block = root.path("content_block");
                String blockType = Json.string(block, "type");
                if ("tool_use".equals(blockType)) {
                    ChoiceBuilder.Tool tool = choice.tool(index);
                    tool.id = Json.string(block, "id");
                    tool.name = Json.string(block, "name");
                    JsonNode input = block.get("input");
                    if (input != null && input.isObject() && !input.isEmpty()) {
                        tool.arguments.append(Json.write(input));
                    }
                } else if ("text".equals(blockType)) {
                    text(Json.string(block, "text"));
                } else if ("thinking".equals(blockType)) {
                    reasoning(Json.string(block, "thinking"));
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = root.path("delta");
                switch (String.valueOf(Json.string(delta, "type"))) {
                    case "text_delta" -> text(Json.string(delta, "text"));
                    case "thinking_delta" -> reasoning(Json.string(delta, "thinking"));
                    case "citations_delta" -> {
                        JsonNode citation = delta.get("citation");
                        if (citation != null && citation.isObject()) {
                            choice.addCitation(AnthropicChat.citation(citation));
                        }
                    }
                    case "input_json_delta" -> {
                        int index = root.path("index").asInt(0);
                        String partial = Json.string(delta, "partial_json");
                        if (partial != null && choice.hasTool(index)) {
                            choice.tool(index).arguments.append(partial);
                        }
                    }
                    default -> {
                        // signature_delta and future kinds carry nothing to assemble
                    }
                }
            }
            case "message_delta" -> {
                String stop = Json.string(root.path("delta"), "stop_reason");
                if (stop != null) {
                    choice.finishReason = AnthropicChat.finishReason(stop);
                }
                JsonNode usage = root.get("usage");
                if (usage != null && usage.isObject()) {
                    Usage u = AnthropicChat.usage(usage, inputTokens);
                    inputTokens = u.promptTokens();
                    outputTokens = u.completionTokens();
                }
            }
            case "message_stop" -> {
                return true;
            }
            case "error" -> throw ErrorMapper.fromErrorBody(endpoint, 0, requestId, root);
            default -> {
                // ping and unknown events
            }
        }
        return false;
    }

    private void text(@Nullable String piece) {
        if (piece != null && !piece.isEmpty()) {
            choice.appendText(piece);
            emit(0, piece, null);
        }
    }

    private void reasoning(@Nullable String piece) {
        if (piece != null && !piece.isEmpty()) {
            choice.appendReasoning(piece);
            emit(0, null, piece);
        }
    }

    @Override
    LmResponse assemble() {
        return new LmResponse(List.of(choice.build()), new Usage(inputTokens, outputTokens), model, false);
    }

    @Override
    String terminator() {
        return "message_stop";
    }
}
