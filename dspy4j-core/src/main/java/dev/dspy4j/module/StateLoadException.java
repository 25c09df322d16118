package dev.dspy4j.module;

import dev.dspy4j.DspyException;

/**
 * Saved program state could not be applied: the file is unreadable or malformed, or it does not
 * match the program (a missing or extra predictor, a different number of fields). The message
 * names the source, the predictor path and the problem; the program is left unchanged.
 */
public class StateLoadException extends DspyException {

    /** Creates the exception. */
    public StateLoadException(String message) {
        super(message);
    }

    /** Creates the exception with its cause. */
    public StateLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
