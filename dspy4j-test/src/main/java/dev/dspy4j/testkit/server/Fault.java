package dev.dspy4j.testkit.server;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the {@link FakeLmServer} injects instead of (or part-way through) a normal answer.
 * Schedule faults with the server's {@link FaultPlan}: scripted ("the next two calls get a 429")
 * or at random with a seed ("20% of calls fail with one of these").
 *
 * <p>Each fault is rendered in the server's {@link Dialect}: the status code, headers and error
 * body a real provider would send. {@link #retryable()} says whether a correct client reports
 * the failure as a retryable {@link dev.dspy4j.lm.LmException}.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface Fault {

    /** Whether a correct client reports this failure as retryable. */
    boolean retryable();

    /**
     * HTTP 429 with {@code Retry-After} (in seconds; fractional when not whole, as OpenAI's and
     * Anthropic's own SDKs accept) and {@code retry-after-ms} headers.
     *
     * @param retryAfter how long the client is asked to wait
     * @return the fault
     */
    static Fault rateLimited(Duration retryAfter) {
        return new RateLimit(retryAfter);
    }

    /** HTTP 500 with the provider's internal-error body. */
    static Fault serverError() {
        return new HttpError(500, HttpError.SERVER_ERROR);
    }

    /** HTTP 503 with the provider's "overloaded, try again later" body. */
    static Fault serviceUnavailable() {
        return new HttpError(503, HttpError.SERVER_ERROR);
    }

    /** HTTP 529: Anthropic's {@code overloaded_error} (sent as is in the OpenAI dialect too). */
    static Fault overloaded() {
        return new HttpError(529, HttpError.OVERLOADED);
    }

    /** HTTP 401: invalid API key. */
    static Fault unauthorized() {
        return new HttpError(401, HttpError.INVALID_API_KEY);
    }

    /** HTTP 404: the model in the request does not exist. */
    static Fault modelNotFound() {
        return new HttpError(404, HttpError.MODEL_NOT_FOUND);
    }

    /** HTTP 400: the prompt is longer than the model's context window. */
    static Fault contextLengthExceeded() {
        return new HttpError(400, HttpError.CONTEXT_LENGTH_EXCEEDED);
    }

    /**
     * The connection is reset (TCP RST) after the response headers and part of the body (or, for a
     * streaming call, the first events) were sent.
     */
    static Fault connectionReset() {
        return new ConnectionReset();
    }

    /**
     * The server waits this long before answering normally; use a delay past the client's timeout
     * to provoke a timeout. The wait ends early when the server stops.
     *
     * @param delay the extra wait before the first byte of the response
     * @return the fault
     */
    static Fault slow(Duration delay) {
        return new Slow(delay);
    }

    /**
     * HTTP 200 whose body is not valid JSON: a complete HTTP message (correct
     * {@code Content-Length}) whose JSON breaks off into an HTML fragment, as when a proxy splices
     * in an error page. For a streaming call, one good event, then an event whose data is not JSON,
     * then the end of the body.
     */
    static Fault malformedJson() {
        return new MalformedJson();
    }

    /**
     * A streaming call's events stop half-way: the HTTP body ends cleanly but without OpenAI's
     * {@code data: [DONE]} or Anthropic's {@code message_stop}. For a non-streaming call the body
     * stops short of its {@code Content-Length} and the connection is closed.
     */
    static Fault truncatedStream() {
        return new TruncatedStream();
    }

    /**
     * An HTTP error status with the provider's error body.
     *
     * @param status the HTTP status
     * @param code what went wrong: one of the constants of this record
     */
    record HttpError(int status, String code) implements Fault {
        /** An internal server error (5xx). */
        public static final String SERVER_ERROR = "server_error";
        /** The provider is overloaded (Anthropic's 529). */
        public static final String OVERLOADED = "overloaded";
        /** The API key is missing or wrong. */
        public static final String INVALID_API_KEY = "invalid_api_key";
        /** The requested model does not exist. */
        public static final String MODEL_NOT_FOUND = "model_not_found";
        /** The prompt is too long for the model. */
        public static final String CONTEXT_LENGTH_EXCEEDED = "context_length_exceeded";

        public HttpError {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status must be an HTTP error (400-599), was " + status);
            }
            Objects.requireNonNull(code, "code");
        }

        @Override
        public boolean retryable() {
            return status >= 500 || status == 408;
        }
    }

    /**
     * HTTP 429.
     *
     * @param retryAfter the wait announced in {@code Retry-After}
     */
    record RateLimit(Duration retryAfter) implements Fault {
        public RateLimit {
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must be >= 0, was " + retryAfter);
            }
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** A TCP reset part-way through the response. */
    record ConnectionReset() implements Fault {
        @Override
        public boolean retryable() {
            return true;
        }
    }

    /**
     * A delayed answer.
     *
     * @param delay the extra wait
     */
    record Slow(Duration delay) implements Fault {
        public Slow {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must be >= 0, was " + delay);
            }
        }

        /** Retryable: a correct client reports a timeout if the delay passes its timeout. */
        @Override
        public boolean retryable() {
            return true;
        }
    }

    /**
     * A syntactically invalid body. Not retryable: per {@link dev.dspy4j.lm.LmException.Configuration},
     * a malformed provider reply is reported as a configuration problem (usually a wrong base URL).
     */
    record MalformedJson() implements Fault {
        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** A response that stops before its end. */
    record TruncatedStream() implements Fault {
        @Override
        public boolean retryable() {
            return true;
        }
    }
}
