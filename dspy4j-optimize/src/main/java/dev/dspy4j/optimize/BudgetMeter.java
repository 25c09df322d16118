package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts spend and refuses new calls once the budget is spent. It works as an interceptor on the
 * optimization's context, so it sees (and can refuse) every LM call, a predictor's own LM
 * included. Thread-safe; one meter per optimization.
 */
final class BudgetMeter {

    private final Budget budget;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    private BigDecimal cost = BigDecimal.ZERO;

    BudgetMeter(Budget budget) {
        this.budget = budget;
    }

    private void count(String lmModel, LmResponse response) {
        if (response.cacheHit()) {
            return;
        }
        calls.incrementAndGet();
        tokens.addAndGet(response.usage().totalTokens());
        if (budget.maxCost() != null) {
            String model = response.model() != null ? response.model() : lmModel;
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
     * {@code context} counting into this meter and refusing calls once the budget is spent;
     * {@code refused} is set when a call is refused.
     */
    DspyContext meter(DspyContext context, AtomicBoolean refused) {
        if (!budget.isLimited()) {
            return context;
        }
        return context.withInterceptors(new Guard(refused));
    }

    private String spent() {
        return calls.get() + " LM calls, " + tokens.get() + " tokens, $" + cost().toPlainString();
    }

    /** Passes calls on while the budget lasts, and counts what they spend. */
    private final class Guard implements LmInterceptor {

        private final AtomicBoolean refused;

        Guard(AtomicBoolean refused) {
            this.refused = refused;
        }

        @Override
        public LmResponse intercept(LmRequest request, Chain chain) {
            refuseIfSpent();
            LmResponse response = chain.proceed(request);
            count(chain.lm().model(), response);
            return response;
        }

        @Override
        public LmStream interceptStream(LmRequest request, Chain chain) {
            refuseIfSpent();
            String model = chain.lm().model();
            return LmStream.observed(chain.proceedStream(request), response -> count(model, response), failure -> { });
        }

        private void refuseIfSpent() {
            if (exhausted()) {
                refused.set(true);
                throw new BudgetExhaustedException("The optimization budget " + budget + " is spent (" + spent()
                        + "); no further LM calls are made.");
            }
        }
    }
}
