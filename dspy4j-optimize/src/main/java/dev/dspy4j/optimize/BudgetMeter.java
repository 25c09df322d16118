package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.LM;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.trace.DspyListener;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts spend through {@link #onLmCall} and refuses new calls, through a guarded LM, once the
 * budget is spent. Thread-safe; one meter per optimization.
 */
final class BudgetMeter implements DspyListener {

    private final Budget budget;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    private BigDecimal cost = BigDecimal.ZERO;

    BudgetMeter(Budget budget) {
        this.budget = budget;
    }

    @Override
    public void onLmCall(LM lm, LmRequest request, LmResponse response) {
        if (response.cacheHit()) {
            return;
        }
        calls.incrementAndGet();
        tokens.addAndGet(response.usage().totalTokens());
        if (budget.maxCost() != null) {
            String model = response.model() != null ? response.model() : lm.model();
            budget.prices().cost(model, response.usage()).ifPresent(this::addCost);
        }
    }

    private synchronized void addCost(BigDecimal more) {
        cost = cost.add(more);
    }

    private synchronized BigDecimal cost() {
        return cost;
    }

    /** Whether a limit has been reached. */
    boolean exhausted() {
        return (budget.maxLmCalls() != null && calls.get() >= budget.maxLmCalls())
                || (budget.maxTokens() != null && tokens.get() >= budget.maxTokens())
                || (budget.maxCost() != null && cost().compareTo(budget.maxCost()) >= 0);
    }

    long calls() {
        return calls.get();
    }

    /**
     * {@code context} counting into this meter and, if it has an LM, refusing calls once the
     * budget is spent; {@code refused} is set when a call is refused.
     */
    DspyContext meter(DspyContext context, AtomicBoolean refused) {
        if (!budget.isLimited()) {
            return context;
        }
        DspyContext counted = context.withListener(this);
        LM lm = context.lm();
        return lm == null ? counted : counted.withLm(new GuardedLm(lm, refused));
    }

    private String spent() {
        return calls.get() + " LM calls, " + tokens.get() + " tokens, $" + cost().toPlainString();
    }

    /** Delegates to the real LM while the budget lasts. */
    private final class GuardedLm implements LM {

        private final LM delegate;
        private final AtomicBoolean refused;

        GuardedLm(LM delegate, AtomicBoolean refused) {
            this.delegate = delegate;
            this.refused = refused;
        }

        @Override
        public LmResponse call(LmRequest request) {
            if (exhausted()) {
                refused.set(true);
                throw new BudgetExhaustedException("The optimization budget " + budget + " is spent (" + spent()
                        + "); no further LM calls are made.");
            }
            return delegate.call(request);
        }

        @Override
        public String model() {
            return delegate.model();
        }

        @Override
        public LmCapabilities capabilities() {
            return delegate.capabilities();
        }

        @Override
        public Map<String, Object> savedState() {
            return delegate.savedState();
        }
    }
}
