package dev.dspy4j.cache;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Citation;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an {@link LmResponse} into bytes for a cache tier and back: UTF-8 JSON with a format
 * name and version, written field by field so the format does not drift with the records.
 *
 * <pre>{@code
 * {"format":"dspy4j.lm-response","version":1,"model":"gpt-4o-mini",
 *  "usage":{"prompt_tokens":12,"completion_tokens":3},
 *  "choices":[{"text":"Paris","tool_calls":[{"id":"call_1","name":"search","arguments":"{}"}],
 *              "reasoning_content":null,"finish_reason":"stop"}]}
 * }</pre>
 *
 * <p>A choice with citations also has {@code "citations":[{"type", "cited_text", "document_index",
 * "document_title", "start_char_index", "end_char_index", "supported_text"}]}, and its response is
 * written as version {@value #CITATIONS_VERSION}, so that a dspy4j that knows only version 1 misses
 * it instead of reading it without its citations; responses without citations stay version 1.
 *
 * <p>Everything in the response is kept except {@link LmResponse#cacheHit()}, which describes a
 * delivery, not the response: decoded responses have it {@code false}. Readers accept exactly
 * the versions they know and reject the rest, so a newer dspy4j sharing a Redis or directory
 * with an older one yields misses, never misread responses.
 *
 * <p>Thread-safe and stateless.
 */
public final class LmResponseCodec {

    /** The value of the {@code format} field. */
    public static final String FORMAT = "dspy4j.lm-response";

    /** The format version this class writes for responses without citations. */
    public static final int VERSION = 1;
    /** The format version this class writes for responses with citations; it reads both. */
    public static final int CITATIONS_VERSION = 2;

    private LmResponseCodec() {
    }

    /**
     * Serializes a response.
     *
     * @param response the response
     * @return UTF-8 JSON bytes
     * @throws NullPointerException if {@code response} is null
     */
    public static byte[] encode(LmResponse response) {
        Objects.requireNonNull(response, "response");
        ObjectNode root = JsonTrees.object();
        root.put("format", FORMAT);
        root.put("version", response.choices().stream().anyMatch(c -> !c.citations().isEmpty())
                ? CITATIONS_VERSION : VERSION);
        root.put("model", response.model());
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", response.usage().promptTokens());
        usage.put("completion_tokens", response.usage().completionTokens());
        ArrayNode choices = root.putArray("choices");
        for (Choice choice : response.choices()) {
            ObjectNode c = choices.addObject();
            c.put("text", choice.text());
            ArrayNode calls = c.putArray("tool_calls");
            for (ToolCall call : choice.toolCalls()) {
                ObjectNode t = calls.addObject();
                t.put("id", call.id());
                t.put("name", call.name());
                t.put("arguments", call.argumentsJson());
            }
            c.put("reasoning_content", choice.reasoningContent());
            c.put("finish_reason", choice.finishReason());
            if (!choice.citations().isEmpty()) { // optional, so entries without it stay version 1
                ArrayNode citations = c.putArray("citations");
                for (Citation citation : choice.citations()) {
                    ObjectNode n = citations.addObject();
                    n.put("type", citation.type());
                    n.put("cited_text", citation.citedText());
                    n.put("document_index", citation.documentIndex());
                    n.put("document_title", citation.documentTitle());
                    n.put("start_char_index", citation.startCharIndex());
                    n.put("end_char_index", citation.endCharIndex());
                    n.put("supported_text", citation.supportedText());
                }
            }
        }
        return JsonTrees.write(root);
    }

    /**
     * Reads a response written by {@link #encode(LmResponse)}.
     *
     * @param bytes the stored bytes
     * @return the response, with {@code cacheHit} false
     * @throws CacheFormatException if the bytes are not a complete response in a known version
     * @throws NullPointerException if {@code bytes} is null
     */
    public static LmResponse decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        JsonNode root;
        try {
            root = JsonTrees.read(bytes);
        } catch (JacksonException e) {
            throw new CacheFormatException("Stored response is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !FORMAT.equals(text(root, "format"))) {
            throw new CacheFormatException("Stored bytes are not a " + FORMAT + " entry", null);
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber()
                || (version.longValue() != VERSION && version.longValue() != CITATIONS_VERSION)) {
            throw new CacheFormatException("Stored response has format version " + version
                    + "; this dspy4j reads versions " + VERSION + " and " + CITATIONS_VERSION + " only", null);
        }
        try {
            JsonNode usage = object(root, "usage");
            Usage tokens = new Usage(number(usage, "prompt_tokens"), number(usage, "completion_tokens"));
            JsonNode choiceNodes = root.get("choices");
            if (choiceNodes == null || !choiceNodes.isArray()) {
                throw new CacheFormatException("Stored response has no choices array", null);
            }
            List<Choice> choices = new ArrayList<>(choiceNodes.size());
            for (JsonNode c : choiceNodes) {
                JsonNode callNodes = c.get("tool_calls");
                if (callNodes == null || !callNodes.isArray()) {
                    throw new CacheFormatException("Stored choice has no tool_calls array", null);
                }
                List<ToolCall> calls = new ArrayList<>(callNodes.size());
                for (JsonNode t : callNodes) {
                    calls.add(ToolCall.parse(textOrNull(t, "id"), text(t, "name"), text(t, "arguments")));
                }
                choices.add(new Choice(text(c, "text"), calls,
                        textOrNull(c, "reasoning_content"), textOrNull(c, "finish_reason"), citations(c)));
            }
            return new LmResponse(choices, tokens, textOrNull(root, "model"), false);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CacheFormatException("Stored response is malformed: " + e.getMessage(), e);
        }
    }

    private static List<Citation> citations(JsonNode choice) {
        JsonNode nodes = choice.get("citations");
        if (nodes == null) {
            return List.of();
        }
        if (!nodes.isArray()) {
            throw new CacheFormatException("Stored choice has a 'citations' that is not an array", null);
        }
        List<Citation> out = new ArrayList<>(nodes.size());
        for (JsonNode n : nodes) {
            out.add(new Citation(text(n, "type"), text(n, "cited_text"), number(n, "document_index"),
                    textOrNull(n, "document_title"), number(n, "start_char_index"), number(n, "end_char_index"),
                    textOrNull(n, "supported_text")));
        }
        return out;
    }

    private static JsonNode object(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isObject()) {
            throw new CacheFormatException("Stored response has no '" + name + "' object", null);
        }
        return node;
    }

    private static long number(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new CacheFormatException("Stored response has no integer '" + name + "'", null);
        }
        return node.longValue();
    }

    private static String text(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node != null && node.isString()) {
            return node.stringValue();
        }
        throw new CacheFormatException("Stored response has no string '" + name + "'", null);
    }

    private static @Nullable String textOrNull(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node != null && node.isString()) {
            return node.stringValue();
        }
        if (node != null && node.isNull()) {
            return null;
        }
        throw new CacheFormatException("Stored response has no string or null '" + name + "'", null);
    }
}
