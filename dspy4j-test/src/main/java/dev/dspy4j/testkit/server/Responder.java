package dev.dspy4j.testkit.server;

import java.util.Objects;
import java.util.function.Function;

/**
 * Computes a {@link FakeLmServer}'s answer to a request that no fault applies to.
 *
 * <p>Called concurrently from the server's threads: implementations must be thread-safe. An
 * exception thrown here is answered with HTTP 500 (the provider's internal-error body), so a broken
 * responder shows up as a server error in the client, not a hang.
 */
@FunctionalInterface
public interface Responder {

    /**
     * The reply to one request.
     *
     * @param request the request as received (path, headers, parsed JSON body)
     * @return the reply; not {@code null}
     */
    Reply respond(RecordedRequest request);

    /** Always this text. */
    static Responder fixed(String text) {
        Objects.requireNonNull(text, "text");
        Reply reply = Reply.text(text);
        return request -> reply;
    }

    /** A text computed from the request. */
    static Responder texts(Function<RecordedRequest, String> text) {
        Objects.requireNonNull(text, "text");
        return request -> Reply.text(text.apply(request));
    }

    /**
     * {@code "echo: "} followed by the text of the request's last user message: a reply that proves
     * which request it belongs to (useful under concurrency).
     */
    static Responder echo() {
        return request -> Reply.text("echo: " + request.lastUserText());
    }
}
