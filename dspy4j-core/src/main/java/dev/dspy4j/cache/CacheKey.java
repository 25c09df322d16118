package dev.dspy4j.cache;

import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cache key of an LM request, following DSPy's rules: the SHA-256 (lower-case hex) of the
 * full request serialized as JSON with sorted keys.
 *
 * <p>The request is the model name, the messages, every option that is sent to the provider
 * ({@link dev.dspy4j.lm.LmOptions#toWireMap()}: temperature, max tokens, {@code n}, stop, seed,
 * {@code response_format}, and the extras such as {@code tools} and {@code tool_choice}), plus
 * {@code rollout_id}. Not in the key: the {@code cache} flag, and, as in DSPy, the extras
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

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CacheKey() {
    }

    /**
     * The cache key of a request to a model.
     *
     * @param model the model name, as {@link dev.dspy4j.lm.LM#model()} reports it
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
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(request, "request");
        Map<String, Object> params = new LinkedHashMap<>(request.options().toWireMap());
        params.keySet().removeAll(IGNORED_EXTRAS);
        List<Map<String, Object>> messages = new ArrayList<>(request.messages().size());
        for (Message message : request.messages()) {
            messages.add(Map.of("role", message.role().wireName(), "content", message.content()));
        }
        params.put("model", model);
        params.put("messages", messages);
        if (request.options().rolloutId() != null) {
            params.put("rollout_id", request.options().rolloutId());
        }
        params.put("_dspy4j_key", VERSION);
        JsonNode tree;
        try {
            tree = JSON.valueToTree(params);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Cannot build a cache key: an option value is not serializable to JSON ("
                            + e.getMessage() + "); pass extras as maps, lists, strings, numbers or records", e);
        }
        return JSON.writeValueAsString(sorted(tree));
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
            ObjectNode out = JSON.createObjectNode();
            object.propertyNames().stream().sorted().forEach(name -> out.set(name, sorted(object.get(name))));
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = JSON.createArrayNode();
            array.values().forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }
}
