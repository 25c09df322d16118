package dev.dspy4j.lm;

import dev.dspy4j.DspyException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A call to an LM failed: transport, provider or configuration. Adapters never fall back to
 * another adapter on these (the LM itself failed, not the prompt format).
 *
 * <p>The subclasses split into retryable failures ({@link RateLimited}, {@link Timeout},
 * {@link ServerError}, {@link Transport}) and the rest ({@link Authentication},
 * {@link BadRequest}, {@link ContextWindowExceeded}, {@link UnknownModel},
 * {@link Configuration}). Each message names the provider, the HTTP status and the provider's
 * request id when known, and what to do. Messages never contain credentials.
 */
public class LmException extends DspyException {

    private final boolean retryable;
    private final @Nullable String provider;
    private final int status;
    private final @Nullable String requestId;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     * @param retryable whether the same call may succeed if tried again
     * @param cause the underlying cause, or {@code null}
     */
    public LmException(String message, boolean retryable, @Nullable Throwable cause) {
        this(message, retryable, null, 0, null, cause);
    }

    /**
     * Creates the exception with the provider's details.
     *
     * @param message what happened and what to do
     * @param retryable whether the same call may succeed if tried again
     * @param provider the provider, e.g. {@code openai}, or {@code null}
     * @param status the HTTP status, or 0 if there was no response
     * @param requestId the provider's request id, or {@code null}
     * @param cause the underlying cause, or {@code null}
     */
    public LmException(String message, boolean retryable, @Nullable String provider, int status,
                       @Nullable String requestId, @Nullable Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.provider = provider;
        this.status = status;
        this.requestId = requestId;
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }

    /** The provider, e.g. {@code openai} or {@code anthropic}, if known. */
    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    /** The HTTP status, or 0 if no response was received. */
    public int status() {
        return status;
    }

    /** The provider's request id (for support tickets), if it sent one. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** HTTP 429: too many requests. Retryable after {@link #retryAfter()} if the provider said. */
    public static class RateLimited extends LmException {
        private final @Nullable Duration retryAfter;

        /** Creates the exception; {@code retryAfter} may be {@code null} when the provider did not say. */
        public RateLimited(String message, @Nullable String provider, int status, @Nullable String requestId,
                           @Nullable Duration retryAfter) {
            super(message, true, provider, status, requestId, null);
            this.retryAfter = retryAfter;
        }

        /** How long the provider asked to wait ({@code Retry-After}), if it said. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** The request timed out (connect, response, or HTTP 408). Retryable. */
    public static class Timeout extends LmException {
        /** Creates the exception. */
        public Timeout(String message, @Nullable String provider, int status, @Nullable String requestId,
                       @Nullable Throwable cause) {
            super(message, true, provider, status, requestId, cause);
        }
    }

    /** HTTP 5xx (or a provider "overloaded" error). Retryable. */
    public static class ServerError extends LmException {
        /** Creates the exception. */
        public ServerError(String message, @Nullable String provider, int status, @Nullable String requestId) {
            super(message, true, provider, status, requestId, null);
        }
    }

    /** The connection failed or was reset, or a stream broke off. Retryable. */
    public static class Transport extends LmException {
        /** Creates the exception. */
        public Transport(String message, @Nullable String provider, @Nullable Throwable cause) {
            super(message, true, provider, 0, null, cause);
        }
    }

    /** HTTP 401/403 (or 402 billing): the credentials are missing, wrong or not allowed. */
    public static class Authentication extends LmException {
        /** Creates the exception. */
        public Authentication(String message, @Nullable String provider, int status, @Nullable String requestId) {
            super(message, false, provider, status, requestId, null);
        }
    }

    /** HTTP 4xx other than the above: the provider rejected the request as malformed. */
    public static class BadRequest extends LmException {
        /** Creates the exception. */
        public BadRequest(String message, @Nullable String provider, int status, @Nullable String requestId) {
            super(message, false, provider, status, requestId, null);
        }
    }

    /** The prompt is longer than the model's context window. */
    public static class ContextWindowExceeded extends BadRequest {
        /** Creates the exception. */
        public ContextWindowExceeded(String message, @Nullable String provider, int status,
                                     @Nullable String requestId) {
            super(message, provider, status, requestId);
        }
    }

    /** HTTP 404 or a provider "model not found" error: the model name is wrong or not available. */
    public static class UnknownModel extends LmException {
        /** Creates the exception. */
        public UnknownModel(String message, @Nullable String provider, int status, @Nullable String requestId) {
            super(message, false, provider, status, requestId, null);
        }
    }

    /**
     * The LM is configured wrongly before any request is sent (e.g. a missing API key, settings a
     * reasoning model does not accept), or the provider's reply is malformed.
     */
    public static class Configuration extends LmException {
        /** Creates the exception. */
        public Configuration(String message, @Nullable String provider) {
            super(message, false, provider, 0, null, null);
        }

        /** Creates the exception with a cause. */
        public Configuration(String message, @Nullable String provider, @Nullable Throwable cause) {
            super(message, false, provider, 0, null, cause);
        }
    }
}
