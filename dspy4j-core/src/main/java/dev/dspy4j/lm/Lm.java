package dev.dspy4j.lm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A language model: takes a request of messages and options, returns choices. HTTP clients,
 * scripted test LMs and lambdas all implement it; every LM can also be {@linkplain #stream
 * streamed}.
 *
 * <p>Implementations must be thread-safe. Put retries, caches and limits in front of any LM with
 * {@link #withInterceptors(LmInterceptor...)}.
 */
@FunctionalInterface
public interface Lm extends AutoCloseable {

    /**
     * Sends a request.
     *
     * @param request messages and options
     * @return at least one choice
     * @throws dev.dspy4j.DspyException on failure; retryable failures say so
     */
    LmResponse call(LmRequest request);

    /**
     * Starts a streaming call. LMs that stream natively (the HTTP clients) yield text as it
     * arrives; the default makes the whole call and yields its text as one chunk, so every LM,
     * and every LM behind interceptors, can be streamed.
     *
     * @param request messages and options
     * @return the stream; close it (try-with-resources) to release the connection
     * @throws dev.dspy4j.DspyException if the call cannot be started
     */
    default LmStream stream(LmRequest request) {
        return LmStream.of(call(request));
    }

    /** The model name, DSPy style ({@code openai/gpt-4o-mini}); {@code "custom"} by default. */
    default String model() {
        return "custom";
    }

    /** What the LM supports beyond plain chat. {@link LmCapabilities#NONE} by default. */
    default LmCapabilities capabilities() {
        return LmCapabilities.NONE;
    }

    /**
     * The LM's settings as DSPy saves them in a program's {@code lm} entry: model and options,
     * never credentials or endpoints.
     */
    default Map<String, Object> savedState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("model", model());
        return state;
    }

    /**
     * This LM behind a chain of interceptors; the first runs first. The result keeps this LM's
     * model, capabilities and saved state.
     */
    default Lm withInterceptors(LmInterceptor... interceptors) {
        return InterceptedLm.of(this, List.of(interceptors));
    }

    /**
     * Releases what the LM holds: the HTTP clients close their connections and stop their
     * threads, and calls after that fail with {@link LmException.Configuration}. An LM behind
     * interceptors closes the LM it wraps. Idempotent; does nothing by default.
     *
     * <p>Closing is optional in a long-running service that keeps its LMs; it matters in short
     * runs and when LMs are made and dropped. HTTP clients still open at JVM exit are closed then,
     * so that an open connection pool does not delay the exit.
     */
    @Override
    default void close() {
    }
}
