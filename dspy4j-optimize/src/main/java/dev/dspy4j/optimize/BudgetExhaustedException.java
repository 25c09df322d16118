package dev.dspy4j.optimize;

import dev.dspy4j.lm.LmException;

/**
 * An LM call was refused because the optimization's {@link Budget} is spent. Optimizers catch it
 * and stop cleanly; it only escapes if the program itself swallows and rethrows it. Not retryable.
 */
public final class BudgetExhaustedException extends LmException {

    /**
     * @param message what was spent and which limit was reached
     */
    public BudgetExhaustedException(String message) {
        super(message, false, null);
    }
}
