package dev.dspy4j.provider.http;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI Chat Completions wire format over HTTP: request bodies, reply parsing and streams.
 * Internal: the public face is {@code dev.dspy4j.provider.OpenAiLm}.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenAiChat implements Chat {

    private final Endpoint endpoint;
    private final HttpCaller caller;
    private final URI uri;
    private final boolean reasoning;
    private final LmCapabilities capabilities;

    /**
     * Creates the client.
     *
     * @param endpoint a resolved OpenAI-compatible endpoint
     */
    public OpenAiChat(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.caller = new HttpCaller(endpoint);
        this.uri = endpoint.uri("/chat/completions");
        this.reasoning = ModelRules.isOpenAiReasoning(endpoint.wireModel());
        this.capabilities = ModelRules.openAiCompatible(endpoint.provider(), endpoint.wireModel());
    }

    /** The endpoint. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The model's capabilities from the table on {@code OpenAiLm}. */
    public LmCapabilities capabilities() {
        return capabilities;
    }

    /**
     * Checks options against the model's rules (DSPy's reasoning-model rule).
     *
     * @throws LmException.Configuration if the model does not accept them
     */
    public void check(LmOptions options) {
        if (reasoning) {
            ModelRules.checkReasoningOptions(endpoint.provider(), endpoint.model(), options);
        }
    }

    /**
     * Sends a request with the already merged options.
     *
     * @throws LmException on any failure
     */
    public LmResponse call(LmRequest request) {
        HttpCaller.Reply reply = caller.post(uri, body(request, false), request.messages().size());
        return parse(reply.body(), reply.status(), reply.requestId());
    }

    /**
     * Starts a streaming request with the already merged options.
     *
     * @throws LmException if the call cannot be started
     */
    public LmStream stream(LmRequest request) {
        HttpCaller.Opened opened = caller.open(uri, body(request, true), request.messages().size());
        return new OpenAiStream(endpoint, opened);
    }

    byte[] body(LmRequest request, boolean stream) {
        LmOptions options = request.options();
        check(options);
        ObjectNode root = JsonTrees.object();
        root.put("model", endpoint.wireModel());
        OpenAiRequests.messages(request.messages(), root.putArray("messages"));
        if (options.temperature() != null) {
            root.put("temperature", options.temperature());
        }
        if (options.maxTokens() != null) {
            root.put(reasoning ? "max_completion_tokens" : "max_tokens", options.maxTokens());
        }
        if (options.n() != null) {
            root.put("n", options.n());
        }
        if (options.stop() != null) {
            root.putPOJO("stop", options.stop());
        }
        if (options.seed() != null) {
            root.put("seed", options.seed());
        }
        OpenAiRequests.parameters(request).forEach(root::putPOJO);
        for (Map.Entry<String, Object> extra : options.extra().entrySet()) {
            if (extra.getValue() != LmOptions.ExplicitNone.VALUE) { // Python's None: set, never sent
                root.putPOJO(extra.getKey(), extra.getValue());
            }
        }
        if (stream) {
            root.put("stream", true);
            root.putObject("stream_options").put("include_usage", true);
        }
        return JsonTrees.write(root);
    }

    LmResponse parse(byte[] body, int status, @Nullable String requestId) {
        JsonNode root;
        try {
            root = JsonTrees.read(body);
        } catch (JacksonException e) {
            throw ErrorMapper.malformed(endpoint, status, requestId, "the body is not valid JSON", text(body), e);
        }
        if (root == null || !root.isObject()) {
            throw ErrorMapper.malformed(endpoint, status, requestId, "the body is not a JSON object", text(body), null);
        }
        JsonNode choices = root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            if (root.has("error")) {
                throw ErrorMapper.fromErrorBody(endpoint, status, requestId, root);
            }
            throw ErrorMapper.malformed(endpoint, status, requestId, "it has no choices", text(body), null);
        }
        List<Indexed> parsed = new ArrayList<>(choices.size());
        for (JsonNode choice : choices.values()) {
            JsonNode message = choice.get("message");
            if (message == null || !message.isObject()) {
                throw ErrorMapper.malformed(endpoint, status, requestId, "a choice has no message", text(body), null);
            }
            parsed.add(new Indexed(choice.path("index").asInt(parsed.size()), new Choice(content(message.get("content")),
                    toolCalls(message.get("tool_calls")), reasoning(message), Json.string(choice, "finish_reason"))));
        }
        parsed.sort(Comparator.comparingInt(Indexed::index));
        return new LmResponse(parsed.stream().map(Indexed::choice).toList(), usage(root.get("usage")),
                Json.string(root, "model"), false);
    }

    private record Indexed(int index, Choice choice) {
    }

    static @Nullable String reasoning(JsonNode message) {
        String text = Json.string(message, "reasoning_content");
        return text != null ? text : Json.string(message, "reasoning"); // OpenRouter and newer vLLM
    }

    /** Text content: a string, or (Mistral and others) an array of text parts. */
    static String content(@Nullable JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.stringValue();
        }
        if (content.isArray()) {
            StringBuilder out = new StringBuilder();
            for (JsonNode part : content.values()) {
                String text = Json.string(part, "text");
                if (text != null) {
                    out.append(text);
                }
            }
            return out.toString();
        }
        return content.toString();
    }

    private static List<ToolCall> toolCalls(@Nullable JsonNode calls) {
        if (calls == null || !calls.isArray() || calls.isEmpty()) {
            return List.of();
        }
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (JsonNode call : calls.values()) {
            JsonNode function = call.path("function");
            JsonNode arguments = function.get("arguments");
            String args = arguments == null || arguments.isNull() ? "{}"
                    : arguments.isString() ? arguments.stringValue() : Json.write(arguments);
            String name = Json.string(function, "name");
            out.add(ToolCall.parse(Json.string(call, "id"), name == null ? "" : name, args));
        }
        return out;
    }

    static Usage usage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.ZERO;
        }
        return new Usage(Json.count(usage, "prompt_tokens"), Json.count(usage, "completion_tokens"));
    }

    static String text(byte[] body) {
        return new String(body, 0, Math.min(body.length, 2 * ErrorMapper.MAX_DETAIL), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OpenAiChat[" + endpoint + "]";
    }

    /** Releases the HTTP client; later calls fail with {@code LmException.Configuration}. Idempotent. */
    @Override
    public void close() {
        caller.close();
    }
}
