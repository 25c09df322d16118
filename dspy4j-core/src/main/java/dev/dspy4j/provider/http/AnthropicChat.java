package dev.dspy4j.provider.http;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Citation;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.Usage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's Messages API over HTTP: request bodies (system prompt split out, required
 * {@code max_tokens}, tools converted from OpenAI's format), reply parsing and streams. Internal:
 * the public face is {@code dev.dspy4j.provider.AnthropicLm}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AnthropicChat implements Chat {

    /** {@code max_tokens} when the options set none (the Messages API requires one). */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private final Endpoint endpoint;
    private final HttpCaller caller;
    private final URI uri;
    private final LmCapabilities capabilities;

    /**
     * Creates the client.
     *
     * @param endpoint a resolved Anthropic endpoint
     */
    public AnthropicChat(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.caller = new HttpCaller(endpoint);
        this.uri = endpoint.uri("/v1/messages");
        this.capabilities = ModelRules.anthropic(endpoint.wireModel());
    }

    /** The endpoint. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The model's capabilities from the table on {@code AnthropicLm}. */
    public LmCapabilities capabilities() {
        return capabilities;
    }

    /**
     * Checks that the options can be expressed in the Messages API.
     *
     * @throws LmException.Configuration if not
     */
    public void check(LmOptions options) {
        thinkingBudget(options);
    }

    private void check(LmRequest request) {
        if (!(request.responseFormat() instanceof ResponseFormat.Text)) {
            throw new LmException.Configuration("Anthropic's Messages API has no response_format, but model "
                    + endpoint.model() + " was asked for " + request.responseFormat() + ". Remove it (adapters only "
                    + "ask for one when the LM's capabilities list response_format)", endpoint.provider());
        }
        check(request.options());
    }

    /**
     * Sends a request with the already merged options; {@code n > 1} makes {@code n} sequential
     * calls whose choices and usage are combined.
     *
     * @throws LmException on any failure
     */
    public LmResponse call(LmRequest request) {
        byte[] body = body(request, false);
        int n = request.options().nOrOne();
        int messages = request.messages().size();
        LmResponse first = send(body, messages);
        if (n == 1) {
            return first;
        }
        List<Choice> choices = new ArrayList<>(first.choices());
        Usage usage = first.usage();
        for (int i = 1; i < n; i++) {
            LmResponse next = send(body, messages);
            choices.addAll(next.choices());
            usage = usage.plus(next.usage());
        }
        return new LmResponse(choices, usage, first.model(), false);
    }

    private LmResponse send(byte[] body, int messages) {
        HttpCaller.Reply reply = caller.post(uri, body, messages);
        return parse(reply.body(), reply.status(), reply.requestId());
    }

    /**
     * Starts a streaming request with the already merged options.
     *
     * @throws LmException.Configuration if {@code n > 1} (Anthropic streams one completion)
     * @throws LmException if the call cannot be started
     */
    public LmStream stream(LmRequest request) {
        LmOptions options = request.options();
        if (options.nOrOne() > 1) {
            throw new LmException.Configuration("Anthropic streams one completion per call, but n = " + options.n()
                    + " was requested for model " + endpoint.model() + ". Stream with n unset, or use call() "
                    + "(which makes n sequential calls)", endpoint.provider());
        }
        HttpCaller.Opened opened = caller.open(uri, body(request, true), request.messages().size());
        return new AnthropicStream(endpoint, opened);
    }

    byte[] body(LmRequest request, boolean stream) {
        LmOptions options = request.options();
        check(request);
        ObjectNode root = JsonTrees.object();
        root.put("model", endpoint.wireModel());
        int budget = thinkingBudget(options);
        int maxTokens = options.maxTokens() != null ? options.maxTokens() : DEFAULT_MAX_TOKENS + budget;
        root.put("max_tokens", maxTokens);
        String system = AnthropicTools.system(request.messages());
        if (system != null) {
            root.put("system", system);
        }
        AnthropicTools.messages(request.messages(), root.putArray("messages"), endpoint);
        if (!request.tools().isEmpty()) {
            root.set("tools", AnthropicTools.tools(request));
        }
        if (!(request.toolChoice() instanceof ToolChoice.Auto)) {
            root.set("tool_choice", AnthropicTools.toolChoice(request.toolChoice()));
        }
        // OpenAI's parallel_tool_calls=false is Anthropic's disable_parallel_tool_use (as litellm maps it);
        // true is Anthropic's default, so nothing is sent
        if (Boolean.FALSE.equals(options.extra().get("parallel_tool_calls")) && !request.tools().isEmpty()
                && !(request.toolChoice() instanceof ToolChoice.None)) {
            ObjectNode choice = root.has("tool_choice") ? (ObjectNode) root.get("tool_choice")
                    : root.putObject("tool_choice").put("type", "auto");
            choice.put("disable_parallel_tool_use", true);
        }
        if (options.temperature() != null) {
            root.put("temperature", options.temperature());
        }
        if (options.stop() != null) {
            root.putPOJO("stop_sequences", options.stop());
        }
        // seed: the Messages API has none, so it is not sent (documented on AnthropicLm)
        for (Map.Entry<String, Object> extra : options.extra().entrySet()) {
            if (extra.getValue() == LmOptions.ExplicitNone.VALUE) {
                continue; // Python's None: set, never sent
            }
            switch (extra.getKey()) {
                case "reasoning_effort" -> {
                    if (budget > 0 && !options.extra().containsKey("thinking")) {
                        root.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
                    }
                }
                case "parallel_tool_calls" -> { } // mapped onto tool_choice above
                default -> root.putPOJO(extra.getKey(), extra.getValue());
            }
        }
        if (stream) {
            root.put("stream", true);
        }
        return JsonTrees.write(root);
    }

    /** The thinking budget {@code reasoning_effort} asks for (litellm's mapping), 0 if none. */
    private int thinkingBudget(LmOptions options) {
        Object effort = options.extra().get("reasoning_effort");
        if (effort == null || effort == LmOptions.ExplicitNone.VALUE || options.extra().containsKey("thinking")) {
            return 0;
        }
        int budget = switch (String.valueOf(effort)) {
            case "low", "minimal" -> 1024;
            case "medium" -> 2048;
            case "high" -> 4096;
            case "none", "disable" -> 0;
            default -> throw new LmException.Configuration("reasoning_effort must be low, medium, high or none for "
                    + endpoint.model() + ", was " + effort, endpoint.provider());
        };
        if (budget > 0 && options.maxTokens() != null && options.maxTokens() <= budget) {
            throw new LmException.Configuration("max tokens (" + options.maxTokens() + ") must exceed the thinking "
                    + "budget (" + budget + " tokens for reasoning_effort " + effort + ") for " + endpoint.model()
                    + "; raise max tokens or lower the effort", endpoint.provider());
        }
        return budget;
    }

    LmResponse parse(byte[] body, int status, @Nullable String requestId) {
        JsonNode root;
        try {
            root = JsonTrees.read(body);
        } catch (JacksonException e) {
            throw ErrorMapper.malformed(endpoint, status, requestId, "the body is not valid JSON",
                    OpenAiChat.text(body), e);
        }
        if (root == null || !root.isObject()) {
            throw ErrorMapper.malformed(endpoint, status, requestId, "the body is not a JSON object",
                    OpenAiChat.text(body), null);
        }
        if ("error".equals(Json.string(root, "type")) || root.has("error")) {
            throw ErrorMapper.fromErrorBody(endpoint, status, requestId, root);
        }
        JsonNode content = root.get("content");
        if (content == null || !content.isArray()) {
            throw ErrorMapper.malformed(endpoint, status, requestId, "it has no content array",
                    OpenAiChat.text(body), null);
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = null;
        List<ToolCall> calls = new ArrayList<>();
        List<Citation> citations = new ArrayList<>();
        for (JsonNode block : content.values()) {
            String type = Json.string(block, "type");
            if ("text".equals(type)) {
                String piece = Json.string(block, "text");
                text.append(piece == null ? "" : piece);
                JsonNode cited = block.get("citations");
                if (cited != null && cited.isArray()) {
                    for (JsonNode citation : cited.values()) {
                        citations.add(citation(citation));
                    }
                }
            } else if ("thinking".equals(type)) {
                reasoning = reasoning == null ? new StringBuilder() : reasoning;
                String piece = Json.string(block, "thinking");
                reasoning.append(piece == null ? "" : piece);
            } else if ("tool_use".equals(type)) {
                String name = Json.string(block, "name");
                JsonNode input = block.get("input");
                calls.add(ToolCall.parse(Json.string(block, "id"), name == null ? "" : name,
                        input == null || input.isNull() ? "{}" : Json.write(input)));
            }
        }
        Choice choice = new Choice(text.toString(), calls, reasoning == null ? null : reasoning.toString(),
                finishReason(Json.string(root, "stop_reason")), citations);
        return new LmResponse(List.of(choice), usage(root.get("usage"), 0), Json.string(root, "model"), false);
    }

    /**
     * One of Anthropic's citations (on a text block, or in a {@code citations_delta}) as a
     * {@link Citation}, as litellm passes them on and DSPy reads them: {@code char_location} with
     * its character offsets; {@code page_location} and {@code content_block_location} with their
     * page or block numbers in the index fields, and the type saying so; search-result citations
     * with {@code search_result_index} as the document and {@code title} as its title.
     */
    static Citation citation(JsonNode node) {
        String type = Json.string(node, "type");
        String cited = Json.string(node, "cited_text");
        String title = Json.string(node, "document_title");
        return new Citation(type == null ? Citation.CHAR_LOCATION : type, cited == null ? "" : cited,
                firstNumber(node, "document_index", "search_result_index"),
                title != null ? title : Json.string(node, "title"),
                firstNumber(node, "start_char_index", "start_page_number", "start_block_index"),
                firstNumber(node, "end_char_index", "end_page_number", "end_block_index"), null);
    }

    private static long firstNumber(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && value.isIntegralNumber()) {
                return value.longValue();
            }
        }
        return 0;
    }

    /** Anthropic's stop reasons in OpenAI's words, which adapters check ({@code length}). */
    static @Nullable String finishReason(@Nullable String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> "stop";
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            default -> stopReason;
        };
    }

    /** Prompt tokens include cache reads and writes (as litellm counts them). */
    static Usage usage(@Nullable JsonNode usage, long fallbackInput) {
        if (usage == null || !usage.isObject()) {
            return new Usage(fallbackInput, 0);
        }
        long input = usage.has("input_tokens") ? Json.add(Json.add(Json.count(usage, "input_tokens"),
                Json.count(usage, "cache_creation_input_tokens")), Json.count(usage, "cache_read_input_tokens"))
                : fallbackInput;
        return new Usage(input, Json.count(usage, "output_tokens"));
    }

    @Override
    public String toString() {
        return "AnthropicChat[" + endpoint + "]";
    }

    /** Releases the HTTP client; later calls fail with {@code LmException.Configuration}. Idempotent. */
    @Override
    public void close() {
        caller.close();
    }
}
