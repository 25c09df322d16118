package dev.dspy4j.springai;

import dev.dspy4j.lm.LmException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Maps what a Spring AI chat model throws to dspy4j's {@link LmException} kinds. Spring AI has no
 * provider-neutral exception hierarchy in {@code spring-ai-model}; its providers throw their SDK's
 * or Spring's HTTP exceptions. Both expose the HTTP status ({@code statusCode()} in the OpenAI and
 * Anthropic SDKs, {@code getStatusCode().value()} in Spring's {@code RestClient}), read here
 * reflectively so this module depends on no provider; then the exception's name (timeouts) and
 * the I/O causes underneath.
 */
final class SpringAiErrors {

    private static final String PROVIDER = "spring-ai";

    private SpringAiErrors() {}

    static LmException toLmException(RuntimeException e) {
        if (e instanceof LmException lm) {
            return lm;
        }
        String message = "Spring AI model failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
        LmException mapped = null;
        for (Throwable t = e; t != null && mapped == null; t = t.getCause()) {
            OptionalInt status = statusOf(t);
            if (status.isPresent()) {
                mapped = byStatus(message, status.getAsInt(), e);
            } else if (t instanceof InterruptedIOException
                    || t.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("timeout")) {
                mapped = new LmException.Timeout(message, PROVIDER, 0, null, e);
            } else if (t instanceof IOException || t.getClass().getSimpleName().endsWith("IoException")) {
                mapped = new LmException.Transport(message, PROVIDER, e);
            }
        }
        if (mapped == null) {
            return new LmException(message, false, PROVIDER, 0, null, e);
        }
        if (mapped.getCause() == null) {
            mapped.addSuppressed(e); // these kinds take no cause; keep the provider's stack trace anyway
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
        if (status == 404) {
            return new LmException.UnknownModel(message, PROVIDER, status, null);
        }
        if (status == 408) {
            return new LmException.Timeout(message, PROVIDER, status, null, e);
        }
        if (status >= 500) {
            return new LmException.ServerError(message, PROVIDER, status, null);
        }
        return new LmException.BadRequest(message, PROVIDER, status, null);
    }

    private static OptionalInt statusOf(Throwable t) {
        for (String name : new String[] {"statusCode", "getStatusCode"}) {
            try {
                Method method = t.getClass().getMethod(name);
                Object value = method.invoke(t);
                if (value instanceof Integer code) {
                    return OptionalInt.of(code);
                }
                if (value != null) { // Spring's HttpStatusCode
                    Object code = value.getClass().getMethod("value").invoke(value);
                    if (code instanceof Integer i) {
                        return OptionalInt.of(i);
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // no such accessor on this exception: try the next, then the cause
            }
        }
        return OptionalInt.empty();
    }
}
