package dev.dspy4j.lm;

import java.util.List;
import java.util.Objects;

/**
 * Builds the chain a call actually runs through when a program's context adds interceptors of
 * its own: the context's links first, then the LM's own (retry, cache, ...), then links that must
 * sit right before the provider (such as per-attempt observation). For integrations; programs get
 * this through {@link dev.dspy4j.context.DspyContext#withInterceptors}.
 */
public final class LmChains {

    private LmChains() {
    }

    /**
     * {@code lm} behind {@code outer} links and with {@code inner} links before its target, as one
     * flat chain that keeps the target's identity.
     *
     * @param outer links that run first
     * @param lm the LM, possibly already behind interceptors
     * @param inner links that run last, right before the target
     * @return the combined LM ({@code lm} itself when both lists are empty)
     */
    public static Lm combine(List<LmInterceptor> outer, Lm lm, List<LmInterceptor> inner) {
        return InterceptedLm.of(List.copyOf(outer), Objects.requireNonNull(lm, "lm"), List.copyOf(inner));
    }

    /**
     * Calls {@code lm} with known call details, which every link sees through
     * {@link LmInterceptor.Chain#call()}.
     */
    public static LmResponse call(Lm lm, LmRequest request, CallInfo call) {
        return lm instanceof InterceptedLm chain ? chain.call(request, call) : lm.call(request);
    }

    /** Starts a stream on {@code lm} with known call details. */
    public static LmStream stream(Lm lm, LmRequest request, CallInfo call) {
        return lm instanceof InterceptedLm chain ? chain.stream(request, call) : lm.stream(request);
    }
}
