package dev.dspy4j.optimize;

import dev.dspy4j.lm.LM;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.trace.DspyListener;
import java.util.concurrent.atomic.LongAdder;

/** Counts the LM calls (cache hits included) of the contexts it listens to, for progress notes. */
final class LmCallCounter implements DspyListener {

    private final LongAdder calls = new LongAdder();

    @Override
    public void onLmCall(LM lm, LmRequest request, LmResponse response) {
        calls.increment();
    }

    long count() {
        return calls.sum();
    }
}
