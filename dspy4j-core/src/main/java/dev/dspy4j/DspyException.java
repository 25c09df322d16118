package dev.dspy4j;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception dspy4j throws. All are unchecked.
 *
 * <p>Subclasses say whether retrying the same operation may succeed ({@link #isRetryable()}):
 * rate limits, timeouts, server errors and broken connections are retryable; bad input, bad
 * configuration and unparseable LM replies are not. Every message names what happened, where,
 * and what to do about it.
 */
public class DspyException extends RuntimeException {

    /** Creates an exception with a message that says what happened and what to do. */
    public DspyException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the underlying cause. */
    public DspyException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the operation that failed may succeed if tried again unchanged.
     *
     * @return {@code false} unless a subclass says otherwise
     */
    public boolean isRetryable() {
        return false;
    }
}
