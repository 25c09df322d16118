package dev.dspy4j.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small langchain4j {@link ChatModel} speaking OpenAI's chat completions over java.net.http,
 * standing in for {@code langchain4j-open-ai} (not available offline): it maps HTTP failures to
 * langchain4j's exception kinds the way its provider modules do.
 */
final class LoopbackOpenAiChatModel implements ChatModel {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LoopbackOpenAiChatModel(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "gpt-4o-mini");
        body.put("messages", request.messages().stream().map(LoopbackOpenAiChatModel::message).toList());
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.maxOutputTokens() != null) {
            body.put("max_tokens", request.maxOutputTokens());
        }
        if (request.stopSequences() != null && !request.stopSequences().isEmpty()) {
            body.put("stop", request.stopSequences());
        }
        if (request.toolSpecifications() != null && !request.toolSpecifications().isEmpty()) {
            body.put("tools", request.toolSpecifications().stream().map(LoopbackOpenAiChatModel::tool).toList());
        }
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer sk-loopback")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int status = response.statusCode();
        switch (status) {
            case 200 -> { }
            case 429 -> throw new RateLimitException(response.body());
            case 401, 403 -> throw new AuthenticationException(response.body());
            default -> {
                if (status >= 500) {
                    throw new InternalServerException(response.body());
                }
                throw new HttpException(status, response.body());
            }
        }
        JsonNode root = JSON.readTree(response.body());
        JsonNode message = root.path("choices").path(0).path("message");
        List<ToolExecutionRequest> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            calls.add(ToolExecutionRequest.builder().id(call.path("id").asString())
                    .name(call.path("function").path("name").asString())
                    .arguments(call.path("function").path("arguments").asString()).build());
        }
        String text = message.path("content").isString() ? message.path("content").asString() : null;
        AiMessage ai = calls.isEmpty() ? AiMessage.from(text) : text == null || text.isEmpty()
                ? AiMessage.from(calls) : AiMessage.from(text, calls);
        JsonNode usage = root.path("usage");
        return ChatResponse.builder().aiMessage(ai).modelName(root.path("model").asString())
                .tokenUsage(new TokenUsage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt()))
                .finishReason(switch (root.path("choices").path(0).path("finish_reason").asString()) {
                    case "tool_calls" -> FinishReason.TOOL_EXECUTION;
                    case "length" -> FinishReason.LENGTH;
                    default -> FinishReason.STOP;
                })
                .build();
    }

    private static Map<String, Object> message(ChatMessage message) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (message) {
            case SystemMessage s -> {
                out.put("role", "system");
                out.put("content", s.text());
            }
            case UserMessage u -> {
                out.put("role", "user");
                if (u.hasSingleText()) {
                    out.put("content", u.singleText());
                } else {
                    List<Object> parts = new ArrayList<>();
                    for (Content content : u.contents()) {
                        if (content instanceof TextContent t) {
                            parts.add(Map.of("type", "text", "text", t.text()));
                        } else if (content instanceof ImageContent i) {
                            String url = i.image().url() != null ? i.image().url().toString()
                                    : "data:" + i.image().mimeType() + ";base64," + i.image().base64Data();
                            parts.add(Map.of("type", "image_url", "image_url", Map.of("url", url)));
                        }
                    }
                    out.put("content", parts);
                }
            }
            case AiMessage a -> {
                out.put("role", "assistant");
                out.put("content", a.text());
                if (a.hasToolExecutionRequests()) {
                    out.put("tool_calls", a.toolExecutionRequests().stream().map(call -> Map.of("id", call.id(),
                            "type", "function", "function", Map.of("name", call.name(),
                                    "arguments", call.arguments()))).toList());
                }
            }
            case ToolExecutionResultMessage t -> {
                out.put("role", "tool");
                out.put("tool_call_id", t.id());
                out.put("content", t.text());
            }
            default -> throw new IllegalArgumentException("unexpected message " + message);
        }
        return out;
    }

    private static Map<String, Object> tool(ToolSpecification spec) {
        Map<String, Object> properties = new LinkedHashMap<>();
        spec.parameters().properties().forEach((name, element) ->
                properties.put(name, JSON.readValue(((JsonRawSchema) element).schema(), Object.class)));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("type", "object");
        parameters.put("properties", properties);
        parameters.put("required", spec.parameters().required());
        return Map.of("type", "function", "function", Map.of("name", spec.name(),
                "description", spec.description(), "parameters", parameters));
    }
}
