package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One optimization run's {@link Budget}: a {@link BudgetMeter} on the run's contexts (task,
 * proposal and reflection LMs alike) and the checks that turn a refused call into a clean stop.
 * A run calls {@link #before} before a step that calls an LM and {@link #after} once it is done;
 * either throws {@link Spent}, which the run catches to return its best program so far. Programs
 * and evaluations may swallow a refused call (a failed example scores 0), so {@link #after} looks
 * at whether any call was refused, not only at what was thrown. Thread-safe; one per run.
 */
final class RunBudget {

    /** The budget is spent: the run ends with what it has scored so far. */
    static final class Spent extends RuntimeException {
        Spent(String message) {
            super(message, null, false, false);
        }
    }

    private final BudgetMeter meter;
    private final AtomicBoolean refused = new AtomicBoolean();

    RunBudget(Budget budget) {
        this.meter = budget.isLimited() ? new BudgetMeter(budget) : null;
    }

    /** {@code context} counting into this run's budget; unchanged if the budget is unlimited. */
    DspyContext meter(DspyContext context) {
        return meter == null ? context : meter.meter(context, refused);
    }

    /** @throws Spent if the budget is spent before {@code what} */
    void before(String what) {
        if (meter != null && meter.exhausted()) {
            throw new Spent("the budget ran out before " + what);
        }
    }

    /** @throws Spent if a call of {@code what} (or before it) was refused */
    void after(String what) {
        if (refused.get()) {
            throw new Spent("the budget ran out during " + what);
        }
    }

    /**
     * {@code e} as a {@link Spent} if the budget caused it (a call was refused, or it is a
     * {@link BudgetExhaustedException}), otherwise {@code e} itself, for the caller to rethrow.
     */
    RuntimeException failure(RuntimeException e, String what) {
        if (e instanceof Spent) {
            return e;
        }
        if (refused.get() || BootstrapRun.isBudget(e)) {
            return new Spent("the budget ran out during " + what);
        }
        return e;
    }

    /** The LM calls counted so far (0 with an unlimited budget, which counts nothing). */
    long calls() {
        return meter == null ? 0 : meter.calls();
    }
}
