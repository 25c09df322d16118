package dev.dspy4j.spark;

import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Usage;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Records the usage of every LM call of one row, to report it per row and, on the driver, per run. */
final class CallLog implements LmInterceptor {

    /** One call's usage: serializable, to travel back to the driver. */
    record Call(String model, long promptTokens, long completionTokens, boolean cacheHit) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        Usage usage() {
            return new Usage(promptTokens, completionTokens);
        }
    }

    private final List<Call> calls = new ArrayList<>();

    @Override
    public LmResponse intercept(LmRequest request, Chain chain) {
        LmResponse response = chain.proceed(request);
        add(chain.lm().model(), response);
        return response;
    }

    @Override
    public LmStream interceptStream(LmRequest request, Chain chain) {
        String model = chain.lm().model();
        return LmStream.observed(chain.proceedStream(request), response -> record(model, response), failure -> { });
    }

    private void add(String model, LmResponse response) {
        record(model, response);
    }

    private synchronized void record(String model, LmResponse response) {
        Usage usage = response.usage();
        calls.add(new Call(model, usage.promptTokens(), usage.completionTokens(), response.cacheHit()));
    }

    /** The calls so far. */
    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The tokens paid for so far (calls served from a cache cost nothing). */
    synchronized Usage paid() {
        Usage total = Usage.ZERO;
        for (Call call : calls) {
            if (!call.cacheHit()) {
                total = total.plus(call.usage());
            }
        }
        return total;
    }
}
