package dev.dspy4j.optimize;

import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import java.util.concurrent.atomic.LongAdder;

/** Counts the LM calls (cache hits included) made under the contexts it is an interceptor of, for progress notes. */
final class LmCallCounter implements LmInterceptor {

    private final LongAdder calls = new LongAdder();

    @Override
    public LmResponse intercept(LmRequest request, Chain chain) {
        LmResponse response = chain.proceed(request);
        calls.increment();
        return response;
    }

    long count() {
        return calls.sum();
    }
}
