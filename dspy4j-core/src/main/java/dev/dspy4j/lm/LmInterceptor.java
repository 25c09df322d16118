package dev.dspy4j.lm;

/**
 * A link in the chain in front of an LM: retries, caching, rate limits, usage tracking and tests'
 * short-circuits are all interceptors. An interceptor may change the request, answer it itself,
 * or pass it on with {@link Chain#proceed(LmRequest)}.
 *
 * <p>Implementations must be thread-safe: one chain serves every thread.
 */
@FunctionalInterface
public interface LmInterceptor {

    /**
     * Handles a request.
     *
     * @param request the request as it reaches this link
     * @param chain the rest of the chain, ending at the LM
     * @return the response
     */
    LmResponse intercept(LmRequest request, Chain chain);

    /** The rest of an interceptor chain. */
    interface Chain {
        /** Passes the request to the next link (or the LM itself). */
        LmResponse proceed(LmRequest request);

        /** The LM at the end of the chain (its model name, capabilities and saved state). */
        LM lm();
    }
}
