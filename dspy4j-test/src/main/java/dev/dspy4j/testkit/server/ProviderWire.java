package dev.dspy4j.testkit.server;

import dev.dspy4j.lm.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** One provider's wire format: routes, success bodies, SSE events and error bodies. */
interface ProviderWire {

    JsonMapper JSON = JsonMapper.builder().build();

    /** What a request path asks for. */
    enum Route { CHAT, EMBEDDINGS, NOT_FOUND }

    Route route(String method, String path);

    /** The response header carrying the request id. */
    String requestIdHeader();

    /** A fresh request id in the provider's style. */
    String requestId(long sequence);

    /** Whether the request headers (lower-case names) carry this API key where the provider expects it. */
    boolean hasApiKey(Map<String, List<String>> headers, String apiKey);

    /** The JSON body of a successful non-streaming completion. */
    String completion(RecordedRequest request, Reply reply, Usage usage);

    /** The SSE events of a streamed completion, each with its trailing blank line, terminator last. */
    List<String> streamEvents(RecordedRequest request, Reply reply, Usage usage);

    /** The JSON body of an embeddings response. */
    String embeddings(RecordedRequest request);

    /** The JSON error body for an HTTP error status and one of {@link Fault.HttpError}'s codes. */
    String error(RecordedRequest request, int status, String code);

    /** The JSON error body for a path the provider does not serve. */
    String notFound(String method, String path);

    /** An SSE event whose data is not valid JSON. */
    default String malformedEvent() {
        return "data: {\"id\": \"chunk\", \"choices\": [{\"delta\": {\"content\": <html>}}]}\n\n";
    }

    /** Splits text into word-sized stream pieces, each keeping its trailing whitespace. */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (String piece : text.split("(?<=\\s)(?=\\S)")) {
            if (!piece.isEmpty()) {
                pieces.add(piece);
            }
        }
        return pieces;
    }

    /** An API key masked the way providers echo it: a few characters at each end. */
    static String mask(String key) {
        if (key == null || key.length() < 8) {
            return "***";
        }
        return key.substring(0, 3) + "*".repeat(Math.max(3, key.length() - 7)) + key.substring(key.length() - 4);
    }
}
