package dev.dspy4j.cache;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cache key of an LM request, following DSPy's rules: the SHA-256 (lower-case hex) of the
 * full request serialized as JSON with sorted keys.
 *
 * <p>The request is the model name, the messages (with every content part: images, audio and
 * files by their full URL or data; tool calls; tool call ids), the tools, tool choice and response
 * format, every option that is sent to the provider ({@link dev.dspy4j.lm.LmOptions#toWireMap()}:
 * temperature, max tokens, {@code n}, stop, seed and the extras), plus {@code rollout_id}. Not in the key: the {@code cache} flag, and, as in DSPy, the extras
 * {@code api_key}, {@code api_base} and {@code base_url}. Credentials, headers, endpoints,
 * timeouts and retry settings live in the client, not in the {@link LmRequest}, so they cannot
 * enter the key.
 *
 * <p>The key is dspy4j's own and is stable across JVMs, platforms and runs (a golden test pins
 * it). It is <em>not</em> byte-compatible with DSPy's keys: DSPy hashes Python objects after its
 * own transformations and includes arguments dspy4j does not have (such as unset options as
 * {@code null} and a function identifier), so a DSPy cache directory cannot be reused. A
 * {@code "_dspy4j_key"} version field is hashed too, so a future change of these rules yields
 * new keys instead of wrong hits.
 *
 * <p>Thread-safe and stateless.
 */
public final class CacheKey {

    /** The version of the key rules; hashed into every key. */
    static final int VERSION = 1;

    /** Request arguments DSPy leaves out of its key; dspy4j does the same for extras so named. */
    private static final Set<String> IGNORED_EXTRAS = Set.of("api_key", "api_base", "base_url");

    private CacheKey() {
    }

    /**
     * The cache key of a request to a model.
     *
     * @param model the model name, as {@link dev.dspy4j.lm.Lm#model()} reports it
     * @param request the request
     * @return 64 lower-case hex characters
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an extra option's value cannot be serialized to JSON
     */
    public static String of(String model, LmRequest request) {
        return sha256Hex(canonicalJson(model, request));
    }

    /** The hashed text: the request as compact JSON with keys sorted at every level. */
    static String canonicalJson(String model, LmRequest request) {
        Map<String, Object> params = params(model, request);
        JsonNode tree;
        try {
            tree = JsonTrees.toTree(params);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Cannot build a cache key: an option value is not serializable to JSON ("
                            + e.getMessage() + "); pass extras as maps, lists, strings, numbers or records", e);
        }
        // JsonTrees writes what a default databind mapper writes: keys of existing caches do not change
        return JsonTrees.writeString(sorted(tree));
    }

    /** The hashed request as plain Java values, before sorting. */
    static Map<String, Object> params(String model, LmRequest request) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(request, "request");
        Map<String, Object> params = new LinkedHashMap<>(request.options().toWireMap());
        params.keySet().removeAll(IGNORED_EXTRAS);
        List<Map<String, Object>> messages = new ArrayList<>(request.messages().size());
        for (Message message : request.messages()) {
            messages.add(message(message));
        }
        params.put("model", model);
        params.put("messages", messages);
        if (!request.tools().isEmpty()) {
            List<Map<String, Object>> tools = new ArrayList<>();
            for (ToolSpec tool : request.tools()) {
                tools.add(Map.of("name", tool.name(), "description", tool.description(), "parameters", tool.parameters()));
            }
            params.put("tools", tools);
        }
        switch (request.toolChoice()) {
            case ToolChoice.Auto a -> { }
            case ToolChoice.None n -> params.put("tool_choice", "none");
            case ToolChoice.Required r -> params.put("tool_choice", "required");
            case ToolChoice.Named named -> params.put("tool_choice", Map.of("name", named.name()));
        }
        switch (request.responseFormat()) {
            case ResponseFormat.Text t -> { }
            case ResponseFormat.JsonObject j -> params.put("response_format", "json_object");
            case ResponseFormat.JsonSchema schema -> params.put("response_format", Map.of("json_schema",
                    Map.of("name", schema.name(), "schema", schema.schema(), "strict", schema.strict())));
        }
        if (request.options().rolloutId() != null) {
            params.put("rollout_id", request.options().rolloutId());
        }
        params.put("_dspy4j_key", VERSION);
        return params;
    }

    /** A message as hashed: role and content (a string when it is one text part), tool calls, tool call id. */
    private static Map<String, Object> message(Message message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", message.role().wireName());
        List<ContentPart> parts = message.content();
        if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text text) {
            out.put("content", text.text());
        } else {
            List<Map<String, Object>> content = new ArrayList<>(parts.size());
            for (ContentPart part : parts) {
                content.add(part(part));
            }
            out.put("content", content);
        }
        if (message instanceof Message.AssistantMessage assistant && !assistant.toolCalls().isEmpty()) {
            List<Map<String, Object>> calls = new ArrayList<>();
            for (ToolCall call : assistant.toolCalls()) {
                calls.add(Map.of("id", call.id(), "name", call.name(), "arguments", call.argumentsJson()));
            }
            out.put("tool_calls", calls);
        }
        if (message instanceof Message.ToolMessage tool) {
            out.put("tool_call_id", tool.callId());
            if (tool.name() != null) {
                out.put("name", tool.name());
            }
        }
        return out;
    }

    /** A content part as hashed: media by their full URL or data, so two images never share a key. */
    private static Map<String, Object> part(ContentPart part) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (part) {
            case ContentPart.Text text -> {
                out.put("type", "text");
                out.put("text", text.text());
            }
            case ContentPart.Image image -> {
                out.put("type", "image");
                out.put("url", image.url());
            }
            case ContentPart.Audio audio -> {
                out.put("type", "audio");
                out.put("data", audio.base64Data());
                out.put("format", audio.format());
            }
            case ContentPart.File file -> {
                out.put("type", "file");
                out.put("file_id", file.fileId());
                out.put("data", file.dataUri());
                out.put("filename", file.filename());
            }
            case ContentPart.Document document -> {
                out.put("type", "document");
                out.put("data", document.data());
                out.put("media_type", document.mediaType());
                out.put("title", document.title());
                out.put("context", document.context());
            }
        }
        return out;
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** A copy of the tree with every object's properties in ascending key order. */
    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.propertyNames());
            Collections.sort(names); // a loop, not a stream: this runs on every call, interpreted at first
            ObjectNode out = JsonTrees.object();
            for (String name : names) {
                out.set(name, sorted(object.get(name)));
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = JsonTrees.array();
            for (JsonNode element : array.values()) {
                out.add(sorted(element));
            }
            return out;
        }
        return node;
    }
}
