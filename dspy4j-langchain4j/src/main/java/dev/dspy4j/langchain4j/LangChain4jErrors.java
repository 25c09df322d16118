package dev.dspy4j.langchain4j;

import dev.dspy4j.lm.LmException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;

/** Maps langchain4j's exceptions to dspy4j's {@link LmException} kinds, by type then HTTP status. */
final class LangChain4jErrors {

    private static final String PROVIDER = "langchain4j";

    private LangChain4jErrors() {}

    static LmException toLmException(RuntimeException e) {
        if (e instanceof LmException lm) {
            return lm;
        }
        String message = "langchain4j model failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
        LmException mapped = switch (e) {
            case RateLimitException r -> new LmException.RateLimited(message, PROVIDER, 429, null, null);
            case TimeoutException t -> new LmException.Timeout(message, PROVIDER, 0, null, e);
            case AuthenticationException a -> new LmException.Authentication(message, PROVIDER, 401, null);
            case ModelNotFoundException m -> new LmException.UnknownModel(message, PROVIDER, 404, null);
            case InvalidRequestException i -> new LmException.BadRequest(message, PROVIDER, 400, null);
            case InternalServerException s -> new LmException.ServerError(message, PROVIDER, 500, null);
            case HttpException h -> byStatus(message, h.statusCode(), e);
            case RetriableException r -> new LmException.Transport(message, PROVIDER, e);
            default -> byCause(message, e);
        };
        if (mapped.getCause() == null) {
            mapped.addSuppressed(e); // these kinds take no cause; keep langchain4j's stack trace anyway
        }
        return mapped;
    }

    private static LmException byStatus(String message, int status, RuntimeException e) {
        if (status == 429) {
            return new LmException.RateLimited(message, PROVIDER, status, null, null);
        }
        if (status == 401 || status == 403) {
            return new LmException.Authentication(message, PROVIDER, status, null);
        }
        if (status == 408) {
            return new LmException.Timeout(message, PROVIDER, status, null, e);
        }
        if (status >= 500) {
            return new LmException.ServerError(message, PROVIDER, status, null);
        }
        return new LmException.BadRequest(message, PROVIDER, status, null);
    }

    /** Not one of langchain4j's kinds: an I/O failure underneath is a transport error, else a bad request. */
    private static LmException byCause(String message, RuntimeException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.InterruptedIOException // SocketTimeoutException among them
                    || cause.getClass().getSimpleName().endsWith("TimeoutException")) {
                return new LmException.Timeout(message, PROVIDER, 0, null, e);
            }
            if (cause instanceof java.io.IOException) {
                return new LmException.Transport(message, PROVIDER, e);
            }
        }
        return new LmException(message, false, PROVIDER, 0, null, e);
    }
}
