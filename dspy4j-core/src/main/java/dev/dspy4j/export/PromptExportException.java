package dev.dspy4j.export;

import dev.dspy4j.DspyException;

/**
 * A program, predictor or input that cannot be exported or rendered portably, e.g. an input field
 * of a media type, a {@code History} input, or an adapter whose prompt is not one request. The
 * message names the predictor path and the field, and says what to do.
 */
public final class PromptExportException extends DspyException {

    private static final long serialVersionUID = 1L;

    /**
     * An export error.
     *
     * @param message what cannot be exported, where, and how to fix it
     */
    public PromptExportException(String message) {
        super(message);
    }
}
