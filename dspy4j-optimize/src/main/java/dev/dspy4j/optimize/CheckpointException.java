package dev.dspy4j.optimize;

import dev.dspy4j.DspyException;

/**
 * An optimizer's checkpoint directory cannot be used: it belongs to a run with other settings or
 * data, a file in it is unreadable or malformed, or it cannot be written. The message names the
 * directory or file and what to do (usually: run with the original settings, or delete the
 * directory to start over). Nothing in the directory is changed or deleted when this is thrown.
 */
public class CheckpointException extends DspyException {

    /** @param message what is wrong and what to do */
    public CheckpointException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and what to do
     * @param cause the underlying failure
     */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
