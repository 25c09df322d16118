package dev.dspy4j.lm;

/**
 * A link in the chain in front of an LM: retries, caching, rate limits, usage tracking, history,
 * budgets and tests' short-circuits are all interceptors. An interceptor may change the request,
 * answer it itself, or pass it on with {@link Chain#proceed(LmRequest)}.
 *
 * <p>Streaming calls go through the same chain ({@link #interceptStream}); by default they pass
 * straight through, so an interceptor that only overrides {@link #intercept} never blocks a
 * stream.
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

    /**
     * Handles a streaming request. The default passes it on unchanged.
     *
     * @param request the request as it reaches this link
     * @param chain the rest of the chain, ending at the LM
     * @return the stream; the caller closes it
     */
    default LmStream interceptStream(LmRequest request, Chain chain) {
        return chain.proceedStream(request);
    }

    /** The rest of an interceptor chain. */
    interface Chain {
        /** Passes the request to the next link (or the LM itself). */
        LmResponse proceed(LmRequest request);

        /** Passes the request on as another attempt or with other call details (see {@link Retry}). */
        LmResponse proceed(LmRequest request, CallInfo call);

        /** Passes a streaming request to the next link (or the LM itself). */
        LmStream proceedStream(LmRequest request);

        /** Passes a streaming request on with other call details. */
        LmStream proceedStream(LmRequest request, CallInfo call);

        /** Who makes this call, and which attempt it is. */
        CallInfo call();

        /** The LM at the end of the chain (its model name, capabilities and saved state). */
        Lm lm();
    }
}
