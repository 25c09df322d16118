package dev.dspy4j.testkit.server;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI's Chat Completions and Embeddings wire format (also spoken by vLLM, Ollama, ...). */
final class OpenAiWire implements ProviderWire {

    private static final long CREATED = 1_735_689_600L;

    @Override
    public Route route(String method, String path) {
        if (!"POST".equals(method)) {
            return Route.NOT_FOUND;
        }
        if (path.endsWith("/chat/completions")) {
            return Route.CHAT;
        }
        return path.endsWith("/embeddings") ? Route.EMBEDDINGS : Route.NOT_FOUND;
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    public String requestId(long sequence) {
        return "req_fake" + String.format("%06d", sequence);
    }

    @Override
    public boolean hasApiKey(Map<String, List<String>> headers, String apiKey) {
        return headers.getOrDefault("authorization", List.of()).contains("Bearer " + apiKey);
    }

    @Override
    public String completion(RecordedRequest request, Reply reply, Usage usage) {
        ObjectNode root = header(request, "chat.completion");
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < reply.choices().size(); i++) {
            Choice choice = reply.choices().get(i);
            ObjectNode node = choices.addObject().put("index", i);
            ObjectNode message = node.putObject("message").put("role", "assistant");
            if (choice.text().isEmpty() && !choice.toolCalls().isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", choice.text());
            }
            if (choice.reasoningContent() != null) {
                message.put("reasoning_content", choice.reasoningContent());
            }
            if (!choice.toolCalls().isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ToolCall call : choice.toolCalls()) {
                    ObjectNode callNode = calls.addObject().put("id", call.id()).put("type", "function");
                    callNode.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
                }
            }
            node.putNull("logprobs");
            node.put("finish_reason", finishReason(choice));
        }
        usage(root.putObject("usage"), usage);
        root.putNull("system_fingerprint");
        return JSON.writeValueAsString(root);
    }

    @Override
    public List<String> streamEvents(RecordedRequest request, Reply reply, Usage usage) {
        boolean includeUsage = request.json().path("stream_options").path("include_usage").asBoolean(false);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < reply.choices().size(); i++) {
            Choice choice = reply.choices().get(i);
            ObjectNode first = chunk(request, i, includeUsage);
            delta(first).put("role", "assistant").put("content", "");
            events.add(event(first));
            for (String piece : ProviderWire.pieces(choice.text())) {
                ObjectNode next = chunk(request, i, includeUsage);
                delta(next).put("content", piece);
                events.add(event(next));
            }
            for (int c = 0; c < choice.toolCalls().size(); c++) {
                ToolCall call = choice.toolCalls().get(c);
                ObjectNode next = chunk(request, i, includeUsage);
                ObjectNode callNode = delta(next).putArray("tool_calls")
                        .addObject().put("index", c).put("id", call.id()).put("type", "function");
                callNode.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
                events.add(event(next));
            }
            ObjectNode last = chunk(request, i, includeUsage);
            ((ObjectNode) last.get("choices").get(0)).put("finish_reason", finishReason(choice));
            events.add(event(last));
        }
        if (includeUsage) {
            ObjectNode tail = header(request, "chat.completion.chunk");
            tail.putArray("choices");
            usage(tail.putObject("usage"), usage);
            events.add(event(tail));
        }
        events.add("data: [DONE]\n\n");
        return events;
    }

    private ObjectNode chunk(RecordedRequest request, int index, boolean includeUsage) {
        ObjectNode chunk = header(request, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static ObjectNode delta(ObjectNode chunk) {
        return (ObjectNode) chunk.get("choices").get(0).get("delta");
    }

    private static ObjectNode header(RecordedRequest request, String object) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake" + request.sequence());
        root.put("object", object);
        root.put("created", CREATED);
        root.put("model", request.model() == null ? "fake-model" : request.model());
        return root;
    }

    private static String event(JsonNode data) {
        return "data: " + JSON.writeValueAsString(data) + "\n\n";
    }

    private static String finishReason(Choice choice) {
        if (choice.finishReason() != null) {
            return choice.finishReason();
        }
        return choice.toolCalls().isEmpty() ? "stop" : "tool_calls";
    }

    private static void usage(ObjectNode node, Usage usage) {
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
    }

    @Override
    public String embeddings(RecordedRequest request) {
        JsonNode input = request.json() == null ? JSON.missingNode() : request.json().path("input");
        List<String> texts = new ArrayList<>();
        if (input.isString()) {
            texts.add(input.stringValue());
        } else {
            input.forEach(item -> texts.add(item.asString("")));
        }
        int dimensions = request.json() == null ? FakeLmServer.EMBEDDING_DIMENSIONS
                : request.json().path("dimensions").asInt(FakeLmServer.EMBEDDING_DIMENSIONS);
        boolean base64 = request.json() != null && "base64".equals(request.json().path("encoding_format").asString(""));
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            float[] vector = FakeLmServer.fakeEmbedding(texts.get(i), dimensions);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) {
                    bytes.putFloat(v);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
            tokens += FakeLmServer.words(texts.get(i));
        }
        root.put("model", request.model() == null ? "fake-embedding" : request.model());
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return JSON.writeValueAsString(root);
    }

    @Override
    public String error(RecordedRequest request, int status, String code) {
        String model = request.model() == null ? "the model" : request.model();
        String type = "invalid_request_error";
        String wireCode = code;
        String param = null;
        String message;
        switch (code) {
            case "rate_limit_exceeded" -> {
                type = "requests";
                message = "Rate limit reached for " + model + " in organization org-fake on requests per min (RPM): "
                        + "Limit 3, Used 3, Requested 1. Please try again later.";
            }
            case Fault.HttpError.INVALID_API_KEY -> {
                String auth = request.header("authorization");
                String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
                message = "Incorrect API key provided: " + ProviderWire.mask(key)
                        + ". You can find your API key at https://platform.openai.com/account/api-keys.";
            }
            case Fault.HttpError.MODEL_NOT_FOUND ->
                    message = "The model `" + model + "` does not exist or you do not have access to it.";
            case Fault.HttpError.CONTEXT_LENGTH_EXCEEDED -> {
                param = "messages";
                message = "This model's maximum context length is 128000 tokens. However, your messages resulted in "
                        + "130000 tokens. Please reduce the length of the messages.";
            }
            default -> {
                type = "server_error";
                wireCode = null;
                message = status == 500 ? "The server had an error while processing your request. Sorry about that!"
                        : "The engine is currently overloaded, please try again later.";
            }
        }
        return errorBody(message, type, param, wireCode);
    }

    @Override
    public String notFound(String method, String path) {
        return errorBody("Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
    }

    private static String errorBody(String message, String type, String param, String code) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error").put("message", message).put("type", type);
        error.put("param", param);
        error.put("code", code);
        return JSON.writeValueAsString(root);
    }
}
