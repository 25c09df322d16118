package dev.dspy4j.retrieve;

import dev.dspy4j.DspyException;
import org.jspecify.annotations.Nullable;

/**
 * A retriever failed: its index is missing or damaged, its service answered with an error or not
 * at all, or a query is out of bounds. The message says what failed, where, and what to do.
 */
public class RetrievalException extends DspyException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    /**
     * @param message what failed, where, and what to do
     * @param retryable whether trying again later may succeed (a timeout, an overloaded service)
     * @param cause the underlying failure, or {@code null}
     */
    public RetrievalException(String message, boolean retryable, @Nullable Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * A failure that retrying will not fix.
     *
     * @param message what failed, where, and what to do
     */
    public RetrievalException(String message) {
        super(message);
        this.retryable = false;
    }

    /** Whether trying again later may succeed (a timeout, a 5xx or 429 answer after all retries). */
    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
