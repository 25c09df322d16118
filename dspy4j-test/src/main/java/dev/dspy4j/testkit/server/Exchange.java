package dev.dspy4j.testkit.server;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.testkit.server.RecordedRequest.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Answers one recorded request on its socket: normally, or with the fault drawn for it. */
final class Exchange {

    private final FakeLmServer server;
    private final ProviderWire wire;
    private final Socket socket;
    private final OutputStream out;
    private final RecordedRequest request;

    Exchange(FakeLmServer server, ProviderWire wire, Socket socket, OutputStream out, RecordedRequest request) {
        this.server = server;
        this.wire = wire;
        this.socket = socket;
        this.out = out;
        this.request = request;
    }

    /**
     * Writes the response.
     *
     * @return whether the connection may serve another request
     */
    boolean respond(ProviderWire.Route route, boolean authorized) throws IOException, InterruptedException {
        if (route == ProviderWire.Route.NOT_FOUND) {
            return fixed(404, wire.notFound(request.method(), request.path()), Map.of());
        }
        if (!authorized) {
            return fixed(401, wire.error(request, 401, Fault.HttpError.INVALID_API_KEY), Map.of());
        }
        Fault fault = request.fault().orElse(null);
        if (fault instanceof Fault.Slow slow) {
            server.sleep(slow.delay());
        }
        return switch (fault) {
            case Fault.RateLimit limit -> fixed(429, wire.error(request, 429, "rate_limit_exceeded"), retryAfter(limit.retryAfter()));
            case Fault.HttpError error -> fixed(error.status(), wire.error(request, error.status(), error.code()), Map.of());
            case Fault.Slow ignored -> answer(route, null);
            case null -> answer(route, null);
            default -> answer(route, fault);
        };
    }

    private boolean answer(ProviderWire.Route route, Fault fault) throws IOException, InterruptedException {
        if (route == ProviderWire.Route.EMBEDDINGS) {
            return body(wire.embeddings(request), fault);
        }
        Reply reply;
        try {
            reply = java.util.Objects.requireNonNull(server.responder().respond(request), "the responder returned null");
        } catch (RuntimeException e) {
            return fixed(500, wire.error(request, 500, Fault.HttpError.SERVER_ERROR), Map.of());
        }
        Usage usage = reply.usage() != null ? reply.usage() : estimate(reply);
        if (request.streaming()) {
            return stream(wire.streamEvents(request, reply, usage), fault);
        }
        return body(wire.completion(request, reply, usage), fault);
    }

    private boolean body(String json, Fault fault) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        switch (fault) {
            case Fault.MalformedJson ignored -> {
                // broken in the middle (like a proxy's HTML error page spliced in), not merely cut off
                return fixed(200, json.substring(0, json.indexOf(',') + 1) + "<html>502 Bad Gateway</html>}", Map.of());
            }
            case Fault.ConnectionReset ignored -> {
                write(concat(head(200, "application/json", bytes.length, Map.of()), Arrays.copyOf(bytes, bytes.length / 2)));
                reset();
                return false;
            }
            case Fault.TruncatedStream ignored -> {
                write(concat(head(200, "application/json", bytes.length, Map.of()), Arrays.copyOf(bytes, bytes.length / 2)));
                request.finish(Outcome.CUT_BY_SERVER);
                socket.close();
                return false;
            }
            case null, default -> {
                return fixed(200, json, Map.of());
            }
        }
    }

    private boolean stream(List<String> events, Fault fault) throws IOException, InterruptedException {
        write(head(200, "text/event-stream; charset=utf-8", -1, Map.of("Cache-Control", "no-cache")));
        List<String> sent = switch (fault) {
            case Fault.ConnectionReset ignored -> events.subList(0, Math.min(2, events.size()));
            case Fault.TruncatedStream ignored -> events.subList(0, Math.max(1, events.size() / 2));
            case Fault.MalformedJson ignored -> List.of(events.get(0), wire.malformedEvent());
            case null, default -> events;
        };
        Duration delay = server.streamDelay();
        for (int i = 0; i < sent.size(); i++) {
            if (i > 0 && !delay.isZero()) {
                server.sleep(delay);
            }
            write(HttpWire.chunk(sent.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        if (fault instanceof Fault.ConnectionReset) {
            reset();
            return false;
        }
        write(HttpWire.lastChunk());
        request.finish(fault instanceof Fault.TruncatedStream ? Outcome.CUT_BY_SERVER : Outcome.ANSWERED);
        return true;
    }

    private boolean fixed(int status, String json, Map<String, String> extraHeaders) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        write(concat(head(status, "application/json", bytes.length, extraHeaders), bytes));
        request.finish(Outcome.ANSWERED);
        return true;
    }

    private byte[] head(int status, String contentType, int length, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        if (length >= 0) {
            headers.put("Content-Length", Integer.toString(length));
        } else {
            headers.put("Transfer-Encoding", "chunked");
        }
        headers.put(wire.requestIdHeader(), request.requestId());
        headers.putAll(extraHeaders);
        return HttpWire.head(status, headers);
    }

    private static Map<String, String> retryAfter(Duration wait) {
        long millis = wait.toMillis();
        String seconds = millis % 1000 == 0 ? Long.toString(millis / 1000)
                : java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
        return Map.of("Retry-After", seconds, "retry-after-ms", Long.toString(millis));
    }

    private void write(byte[] bytes) throws IOException {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            request.finish(Outcome.CLIENT_DISCONNECTED);
            throw e;
        }
    }

    private void reset() throws IOException {
        socket.setSoLinger(true, 0);
        request.finish(Outcome.CUT_BY_SERVER);
        socket.close();
    }

    private Usage estimate(Reply reply) {
        long prompt = 0;
        JsonNode json = request.json();
        if (json != null) {
            for (JsonNode message : json.path("messages")) {
                prompt += FakeLmServer.words(RecordedRequest.contentText(message.path("content")));
            }
            prompt += FakeLmServer.words(RecordedRequest.contentText(json.path("system")));
        }
        long completion = 0;
        List<Choice> choices = wire instanceof AnthropicWire ? reply.choices().subList(0, 1) : reply.choices();
        for (Choice choice : choices) {
            completion += FakeLmServer.words(choice.text());
            for (ToolCall call : choice.toolCalls()) {
                completion += FakeLmServer.words(call.argumentsJson()) + 1;
            }
        }
        return new Usage(Math.max(1, prompt), Math.max(1, completion));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
