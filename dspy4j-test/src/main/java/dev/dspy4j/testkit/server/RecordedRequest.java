package dev.dspy4j.testkit.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP request a {@link FakeLmServer} received, recorded before it was answered: method, path,
 * headers, raw and parsed body, the request id the server sent back, the fault it injected, and
 * (once known) how the exchange ended.
 *
 * <p>Thread-safe. The parsed {@link #json()} tree must not be modified.
 */
public final class RecordedRequest {

    /** How an exchange ended. */
    public enum Outcome {
        /** The whole response (success or HTTP error) was written. */
        ANSWERED,
        /** The server cut the response short on purpose (reset, truncation). */
        CUT_BY_SERVER,
        /** Writing the response failed because the client had closed the connection. */
        CLIENT_DISCONNECTED
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final long sequence;
    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final JsonNode json;
    private final String requestId;
    private final Fault fault;
    private final long receivedNanos;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private volatile long finishedNanos;

    RecordedRequest(long sequence, String method, String path, Map<String, List<String>> headers, byte[] body,
                    String requestId, Fault fault, long receivedNanos) {
        this.sequence = sequence;
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
        this.json = parse(body);
        this.requestId = requestId;
        this.fault = fault;
        this.receivedNanos = receivedNanos;
    }

    /** This request with the fault the plan chose for it (the body is not parsed again). */
    RecordedRequest withFault(Fault chosen) {
        return new RecordedRequest(this, chosen);
    }

    private RecordedRequest(RecordedRequest other, Fault chosen) {
        this.sequence = other.sequence;
        this.method = other.method;
        this.path = other.path;
        this.headers = other.headers;
        this.body = other.body;
        this.json = other.json;
        this.requestId = other.requestId;
        this.fault = chosen;
        this.receivedNanos = other.receivedNanos;
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The order in which the server received this request, from 0. */
    public long sequence() {
        return sequence;
    }

    /** The HTTP method, e.g. {@code POST}. */
    public String method() {
        return method;
    }

    /** The request path without the query, e.g. {@code /v1/chat/completions}. */
    public String path() {
        return path;
    }

    /** All headers; names in lower case, values in the order received. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (name case-insensitive), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON, or {@code null} if it is empty or not JSON. */
    public JsonNode json() {
        return json;
    }

    /** A top-level field of the JSON body, if present. */
    public Optional<JsonNode> field(String name) {
        return json == null ? Optional.empty() : json.optional(name);
    }

    /** Whether the body asks for a streamed answer ({@code "stream": true}). */
    public boolean streaming() {
        return json != null && json.path("stream").asBoolean(false);
    }

    /** The {@code model} field of the body, or {@code null}. */
    public String model() {
        JsonNode model = json == null ? null : json.get("model");
        return model != null && model.isString() ? model.stringValue() : null;
    }

    /**
     * The text of the last {@code user} message, for both dialects (string content or text
     * blocks), or the first embedding input; {@code ""} if there is none.
     */
    public String lastUserText() {
        if (json == null) {
            return "";
        }
        JsonNode messages = json.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asString(""))) {
                return contentText(message.path("content"));
            }
        }
        JsonNode input = json.path("input");
        if (input.isString()) {
            return input.stringValue();
        }
        return input.isArray() && !input.isEmpty() ? input.get(0).asString("") : "";
    }

    static String contentText(JsonNode content) {
        if (content.isString()) {
            return content.stringValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if (block.path("text").isString()) {
                text.append(block.path("text").stringValue());
            }
        }
        return text.toString();
    }

    /** The request id the server sent back in its response headers. */
    public String requestId() {
        return requestId;
    }

    /** The fault the server injected into this exchange, if any. */
    public Optional<Fault> fault() {
        return Optional.ofNullable(fault);
    }

    /** {@link System#nanoTime()} when the request was fully received. */
    public long receivedNanos() {
        return receivedNanos;
    }

    /**
     * {@link System#nanoTime()} when the server finished with the exchange (last byte written, reset
     * sent, or the write failed); 0 while it is still running.
     */
    public long finishedNanos() {
        return finishedNanos;
    }

    /** Completes when the server has finished with the exchange, with how it ended. */
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    void finish(Outcome how) {
        if (finishedNanos == 0) {
            finishedNanos = System.nanoTime();
        }
        outcome.complete(how);
    }

    @Override
    public String toString() {
        return "RecordedRequest#" + sequence + "[" + method + " " + path + (fault == null ? "" : ", fault " + fault) + "]";
    }
}
