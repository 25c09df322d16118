package dev.dspy4j.lm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who is making an LM call, as interceptors see it through {@link LmInterceptor.Chain#call()}:
 * the call's id, the span it belongs to, the predictor that makes it, and which attempt this is.
 * Immutable.
 *
 * <p>A call made through a program's context has an id, its parent span and the predictor's path
 * ({@code generate_answer.predict}, {@code self} for a bare predictor); a call made directly on an
 * LM ({@code lm.call(request)}) has none of them ({@link #DIRECT}).
 *
 * @param id the call's id ({@code ""} for a direct call)
 * @param parentSpanId the id of the span that makes the call, or {@code ""}
 * @param predictorPath the calling predictor's path, or {@code ""}
 * @param attempt 1 for the first attempt; {@link Retry} counts up
 * @param attributes anything else callers attach, by name
 */
public record CallInfo(String id, String parentSpanId, String predictorPath, int attempt,
                       Map<String, Object> attributes) {

    /** A call made directly on an LM, outside any program. */
    public static final CallInfo DIRECT = new CallInfo("", "", "", 1, Map.of());

    public CallInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(parentSpanId, "parentSpanId");
        Objects.requireNonNull(predictorPath, "predictorPath");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        attributes = attributes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** This call's next attempt. */
    public CallInfo nextAttempt() {
        return new CallInfo(id, parentSpanId, predictorPath, attempt + 1, attributes);
    }

    /** This call with one more attribute. */
    public CallInfo withAttribute(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(attributes);
        copy.put(name, value);
        return new CallInfo(id, parentSpanId, predictorPath, attempt, copy);
    }
}
