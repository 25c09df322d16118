package dev.dspy4j.testkit.server;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Anthropic's Messages API wire format. Only the first choice of a reply is sent (no {@code n}). */
final class AnthropicWire implements ProviderWire {

    @Override
    public Route route(String method, String path) {
        return "POST".equals(method) && path.endsWith("/v1/messages") ? Route.CHAT : Route.NOT_FOUND;
    }

    @Override
    public String requestIdHeader() {
        return "request-id";
    }

    @Override
    public String requestId(long sequence) {
        return "req_fake" + String.format("%06d", sequence);
    }

    @Override
    public boolean hasApiKey(Map<String, List<String>> headers, String apiKey) {
        return headers.getOrDefault("x-api-key", List.of()).contains(apiKey);
    }

    @Override
    public String completion(RecordedRequest request, Reply reply, Usage usage) {
        Choice choice = reply.choices().get(0);
        ObjectNode root = message(request);
        ArrayNode content = root.putArray("content");
        if (!choice.text().isEmpty() || choice.toolCalls().isEmpty()) {
            content.addObject().put("type", "text").put("text", choice.text());
        }
        for (ToolCall call : choice.toolCalls()) {
            content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                    .set("input", input(call));
        }
        root.put("stop_reason", stopReason(choice));
        root.putNull("stop_sequence");
        root.putObject("usage").put("input_tokens", usage.promptTokens()).put("output_tokens", usage.completionTokens());
        return JSON.writeValueAsString(root);
    }

    @Override
    public List<String> streamEvents(RecordedRequest request, Reply reply, Usage usage) {
        Choice choice = reply.choices().get(0);
        List<String> events = new ArrayList<>();
        ObjectNode start = message(request);
        start.putArray("content");
        start.putNull("stop_reason");
        start.putNull("stop_sequence");
        start.putObject("usage").put("input_tokens", usage.promptTokens()).put("output_tokens", 1);
        ObjectNode messageStart = JSON.createObjectNode().put("type", "message_start");
        messageStart.set("message", start);
        events.add(event("message_start", messageStart));
        int index = 0;
        if (!choice.text().isEmpty() || choice.toolCalls().isEmpty()) {
            ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            events.add(event("content_block_start", blockStart));
            events.add(event("ping", JSON.createObjectNode().put("type", "ping")));
            for (String piece : ProviderWire.pieces(choice.text())) {
                ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "text_delta").put("text", piece);
                events.add(event("content_block_delta", delta));
            }
            events.add(event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index)));
            index++;
        }
        for (ToolCall call : choice.toolCalls()) {
            ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            blockStart.putObject("content_block").put("type", "tool_use").put("id", call.id()).put("name", call.name())
                    .putObject("input");
            events.add(event("content_block_start", blockStart));
            String json = JSON.writeValueAsString(input(call));
            int half = json.length() / 2;
            for (String part : List.of(json.substring(0, half), json.substring(half))) {
                ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", part);
                events.add(event("content_block_delta", delta));
            }
            events.add(event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index)));
            index++;
        }
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason(choice)).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", usage.completionTokens());
        events.add(event("message_delta", messageDelta));
        events.add(event("message_stop", JSON.createObjectNode().put("type", "message_stop")));
        return events;
    }

    private static ObjectNode message(RecordedRequest request) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "msg_fake" + request.sequence());
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", request.model() == null ? "fake-model" : request.model());
        return root;
    }

    private static JsonNode input(ToolCall call) {
        try {
            return JSON.readTree(call.argumentsJson());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("tool call arguments must be JSON for the Anthropic dialect: "
                    + call.argumentsJson(), e);
        }
    }

    private static String stopReason(Choice choice) {
        if (!choice.toolCalls().isEmpty()) {
            return "tool_use";
        }
        return switch (choice.finishReason() == null ? "stop" : choice.finishReason()) {
            case "length" -> "max_tokens";
            case "stop_sequence" -> "stop_sequence";
            default -> "end_turn";
        };
    }

    private static String event(String type, JsonNode data) {
        return "event: " + type + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
    }

    @Override
    public String malformedEvent() {
        return "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": <html>}\n\n";
    }

    @Override
    public String embeddings(RecordedRequest request) {
        throw new UnsupportedOperationException("Anthropic has no embeddings endpoint");
    }

    @Override
    public String error(RecordedRequest request, int status, String code) {
        String type;
        String message;
        switch (code) {
            case "rate_limit_exceeded" -> {
                type = "rate_limit_error";
                message = "Number of request tokens has exceeded your per-minute rate limit. Please try again later.";
            }
            case Fault.HttpError.INVALID_API_KEY -> {
                type = "authentication_error";
                message = "invalid x-api-key";
            }
            case Fault.HttpError.MODEL_NOT_FOUND -> {
                type = "not_found_error";
                message = "model: " + (request.model() == null ? "unknown" : request.model());
            }
            case Fault.HttpError.CONTEXT_LENGTH_EXCEEDED -> {
                type = "invalid_request_error";
                message = "prompt is too long: 210000 tokens > 200000 maximum";
            }
            case Fault.HttpError.OVERLOADED -> {
                type = "overloaded_error";
                message = "Overloaded";
            }
            default -> {
                type = "api_error";
                message = status == 500 ? "Internal server error" : "Service unavailable";
            }
        }
        return errorBody(type, message, request.requestId());
    }

    @Override
    public String notFound(String method, String path) {
        return errorBody("not_found_error", "Not found: " + method + " " + path, null);
    }

    private static String errorBody(String type, String message, String requestId) {
        ObjectNode root = JSON.createObjectNode().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        if (requestId != null) {
            root.put("request_id", requestId);
        }
        return JSON.writeValueAsString(root);
    }
}
