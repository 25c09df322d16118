package dev.dspy4j.provider.http;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.LmException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Maps every failure of an HTTP exchange into the {@link LmException} hierarchy. Every message
 * names the provider, model, HTTP status and request id, quotes the provider's own message
 * (shortened), says what to do, and has the API key redacted.
 */
final class ErrorMapper {

    static final int MAX_DETAIL = 300;

    private ErrorMapper() {
    }

    /** The provider's request id: {@code x-request-id} (OpenAI and most) or {@code request-id} (Anthropic). */
    static @Nullable String requestId(HttpHeaders headers) {
        return headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id")).orElse(null);
    }

    /** A non-2xx reply. */
    static LmException fromStatus(Endpoint endpoint, int status, HttpHeaders headers, byte[] body) {
        String requestId = requestId(headers);
        Duration retryAfter = status == 429 || status == 503 || status == 529
                ? RetryAfter.parse(headers, Instant.now()) : null;
        return classify(endpoint, status, requestId, retryAfter, ProviderError.read(body));
    }

    /** An error object inside a 2xx body or a stream event; {@code status} from its code if numeric. */
    static LmException fromErrorBody(Endpoint endpoint, int status, @Nullable String requestId, JsonNode root) {
        ProviderError error = ProviderError.of(root);
        int effective = error.numericCode() >= 400 ? error.numericCode() : status >= 400 ? status : statusOf(error);
        return classify(endpoint, effective, requestId, null, error);
    }

    /** The status an in-body error without one stands for; unknown kinds count as server errors. */
    private static int statusOf(ProviderError error) {
        String codes = (error.code() + " " + error.type()).toLowerCase(Locale.ROOT);
        if (codes.contains("rate_limit")) {
            return 429;
        }
        if (codes.contains("authentication") || codes.contains("permission")) {
            return 401;
        }
        if (codes.contains("not_found")) {
            return 404;
        }
        if (codes.contains("invalid_request") || codes.contains("context_length")) {
            return 400;
        }
        return 500;
    }

    /** A reply that arrived but is not what the API returns. See the package documentation. */
    static LmException malformed(Endpoint endpoint, int status, @Nullable String requestId, String problem,
                                 String body, @Nullable Throwable cause) {
        String excerpt = excerpt(endpoint.redact(body));
        if (cause instanceof JacksonException je && endOfInput(je)) {
            return new LmException.Transport(endpoint.redact(endpoint.provider() + " reply for model "
                    + endpoint.model() + " was cut off " + where(status, requestId) + ": " + problem
                    + "; body starts: " + excerpt + ". The connection probably broke; retry"), endpoint.provider(), cause);
        }
        return new LmException.Configuration(endpoint.redact(endpoint.provider() + " reply for model "
                + endpoint.model() + " is malformed " + where(status, requestId) + ": " + problem + "; body starts: "
                + excerpt + ". Check that the base URL points at the provider's API (for OpenAI-compatible "
                + "servers, the /v1 root) and that the server speaks its wire format"), endpoint.provider(), cause);
    }

    static boolean endOfInput(JacksonException e) {
        String message = e.getOriginalMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("end-of-input");
    }

    /** An exception from the HTTP client: timeout, refused or reset connection, I/O. */
    static LmException fromFailure(Endpoint endpoint, Throwable failure) {
        String provider = endpoint.provider();
        String prefix = provider + " call for model " + endpoint.model();
        if (failure instanceof HttpConnectTimeoutException) {
            return new LmException.Timeout(prefix + " could not connect within " + endpoint.connectTimeout()
                    + ". Check that the server is reachable; retry", provider, 0, null, failure);
        }
        if (failure instanceof HttpTimeoutException) {
            return timeout(endpoint, failure);
        }
        if (failure instanceof ConnectException) {
            return new LmException.Transport(prefix + " could not connect (" + message(endpoint, failure)
                    + "). Check that the server is running and the base URL is right; retry", provider, failure);
        }
        if (failure instanceof IOException) {
            return new LmException.Transport(prefix + " failed: the connection broke (" + message(endpoint, failure)
                    + "). Retry; if it persists, check proxies and the server's logs", provider, failure);
        }
        if (failure instanceof LmException lm) {
            return lm;
        }
        return new LmException(endpoint.redact(prefix + " failed unexpectedly: " + failure), false, provider, 0, null,
                failure);
    }

    /** A reply larger than the client's {@code maxResponseBytes}; not retryable, it would be as large again. */
    static LmException tooLarge(Endpoint endpoint, int status, @Nullable String requestId, long limit) {
        return new LmException(endpoint.provider() + " reply for model " + endpoint.model() + " is larger than "
                + "maxResponseBytes = " + limit + " bytes " + where(status, requestId) + "; the connection was closed "
                + "without reading the rest. If replies this large are expected, raise maxResponseBytes(...) on the "
                + "client builder", false, endpoint.provider(), status, requestId, null);
    }

    /** A stream that went {@code idleTimeout} without an event. */
    static LmException.Timeout idle(Endpoint endpoint, @Nullable String requestId) {
        return new LmException.Timeout(endpoint.provider() + " stream for model " + endpoint.model()
                + " sent no event within idleTimeout = " + endpoint.idleTimeout() + " " + where(200, requestId)
                + "; the connection was closed. Retry, or raise idleTimeout(...) on the client builder",
                endpoint.provider(), 200, requestId, null);
    }

    /** A stream still running at the whole-call deadline. */
    static LmException.Timeout deadline(Endpoint endpoint, @Nullable String requestId) {
        return new LmException.Timeout(endpoint.provider() + " stream for model " + endpoint.model()
                + " did not end within the whole-call timeout = " + endpoint.timeout() + " " + where(200, requestId)
                + "; the connection was closed. Retry, or raise timeout(...) on the client builder for long "
                + "generations", endpoint.provider(), 200, requestId, null);
    }

    static LmException.Timeout timeout(Endpoint endpoint, Throwable cause) {
        return new LmException.Timeout(endpoint.provider() + " call for model " + endpoint.model()
                + " got no complete reply within the whole-call timeout = " + endpoint.timeout()
                + ". Retry, or raise timeout(...) on the client builder for long generations", endpoint.provider(), 0, null, cause);
    }

    private static String message(Endpoint endpoint, Throwable failure) {
        String m = failure.getMessage();
        return endpoint.redact(failure.getClass().getSimpleName() + (m == null ? "" : ": " + excerpt(m)));
    }

    private static LmException classify(Endpoint endpoint, int status, @Nullable String requestId,
                                        @Nullable Duration retryAfter, ProviderError error) {
        String p = endpoint.provider();
        String m = endpoint.model();
        String where = where(status, requestId);
        String detail = error.message() == null ? "(no message)" : excerpt(endpoint.redact(error.message()));
        String codes = (error.code() + " " + error.type()).toLowerCase(Locale.ROOT);
        String lower = detail.toLowerCase(Locale.ROOT);
        LmException result;
        if (codes.contains("insufficient_quota") || status == 402) {
            result = new LmException.Authentication(p + " refused model " + m + " for billing reasons " + where + ": "
                    + detail + ". Check the account's plan, credits and billing", p, status, requestId);
        } else if (status == 429 || codes.contains("rate_limit")) {
            result = new LmException.RateLimited(p + " rate limit for model " + m + " " + where + ": " + detail
                    + (retryAfter != null ? ". The provider asks to wait " + RetryAfter.describe(retryAfter) : "")
                    + ". Retry after a pause, or lower the concurrency", p, status, requestId, retryAfter);
        } else if (status == 529 || codes.contains("overloaded")) {
            result = new LmException.ServerError(p + " is overloaded serving model " + m + " " + where + ": " + detail
                    + ". Temporary: retry with backoff", p, status, requestId);
        } else if (status == 408) {
            result = new LmException.Timeout(p + " timed out serving model " + m + " " + where + ": " + detail
                    + ". Retry", p, status, requestId, null);
        } else if (status >= 500) {
            result = new LmException.ServerError(p + " server error for model " + m + " " + where + ": " + detail
                    + ". Temporary: retry with backoff", p, status, requestId);
        } else if (status == 401 || status == 403 || codes.contains("authentication") || codes.contains("permission")) {
            result = new LmException.Authentication(p + " rejected the credentials for model " + m + " " + where + ": "
                    + detail + ". Check the API key and that it may use this model", p, status, requestId);
        } else if (contextWindow(codes, lower)) {
            result = new LmException.ContextWindowExceeded(p + ": the prompt exceeds the context window of model " + m
                    + " " + where + ": " + detail + ". Shorten the inputs or demos, or use a model with a longer "
                    + "context", p, status, requestId);
        } else if (status == 404 || modelNotFound(codes, lower)) {
            result = new LmException.UnknownModel(p + " does not know model " + endpoint.wireModel() + " " + where + ": "
                    + detail + ". Check the model name after the provider prefix in " + m
                    + ", and that the base URL is the API root", p, status, requestId);
        } else if (status >= 400) {
            result = new LmException.BadRequest(p + " rejected the request for model " + m + " " + where + ": "
                    + detail + ". Check the options sent (LmOptions and its extra parameters) against the "
                    + "provider's API", p, status, requestId);
        } else {
            result = new LmException.BadRequest(p + " answered with unexpected HTTP status for model " + m + " "
                    + where + ": " + detail + ". Check the base URL (redirects are not followed)", p, status, requestId);
        }
        return result;
    }

    private static boolean contextWindow(String codes, String lower) {
        return codes.contains("context_length_exceeded") || lower.contains("maximum context length")
                || lower.contains("context window") || lower.contains("context length")
                || lower.contains("prompt is too long") || lower.contains("input is too long")
                || lower.contains("too many tokens") || lower.contains("exceeds the context");
    }

    private static boolean modelNotFound(String codes, String lower) {
        return codes.contains("model_not_found") || codes.contains("not_found_error")
                || (lower.contains("model") && (lower.contains("not found") || lower.contains("does not exist")));
    }

    static String where(int status, @Nullable String requestId) {
        return "(" + (status > 0 ? "HTTP " + status : "no HTTP status") + ", "
                + (requestId != null ? "request id " + requestId : "no request id") + ")";
    }

    /** At most {@value #MAX_DETAIL} characters on one line. */
    static String excerpt(@Nullable String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
    }

    /** The error a provider put in a body: OpenAI, Anthropic, Ollama and FastAPI shapes. */
    record ProviderError(@Nullable String message, @Nullable String code, @Nullable String type, int numericCode) {

        static ProviderError read(byte[] body) {
            if (body == null || body.length == 0) {
                return new ProviderError(null, null, null, 0);
            }
            try {
                JsonNode root = JsonTrees.read(body);
                if (root != null && root.isObject()) {
                    return of(root);
                }
            } catch (JacksonException e) {
                // not JSON: an HTML error page from a proxy, plain text from a local server
            }
            return new ProviderError(new String(body, 0, Math.min(body.length, 4 * MAX_DETAIL), StandardCharsets.UTF_8),
                    null, null, 0);
        }

        static ProviderError of(JsonNode root) {
            JsonNode error = root.get("error");
            if (error != null && error.isObject()) {
                JsonNode code = error.get("code");
                int numeric = code != null && code.isIntegralNumber() ? code.asInt() : 0;
                String message = Json.string(error, "message");
                return new ProviderError(message != null ? message : Json.write(error),
                        code == null || code.isNull() ? null : code.asString(), Json.string(error, "type"), numeric);
            }
            String message = error != null && error.isString() ? error.stringValue()
                    : Json.string(root, "message") != null ? Json.string(root, "message")
                    : Json.string(root, "detail") != null ? Json.string(root, "detail") : Json.write(root);
            return new ProviderError(message, Json.string(root, "code"), Json.string(root, "type"), 0);
        }
    }
}
