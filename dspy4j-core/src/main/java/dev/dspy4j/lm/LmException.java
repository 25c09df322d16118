package dev.dspy4j.lm;

import dev.dspy4j.DspyException;

/**
 * A call to an LM failed: transport, provider or configuration. Adapters never fall back to
 * another adapter on these (the LM itself failed, not the prompt format).
 */
public class LmException extends DspyException {

    private final boolean retryable;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     * @param retryable whether the same call may succeed if tried again
     * @param cause the underlying cause, or {@code null}
     */
    public LmException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
