package dev.dspy4j.lm;

/**
 * Tokens one LM call used.
 *
 * @param promptTokens tokens in the request
 * @param completionTokens tokens generated
 */
public record Usage(long promptTokens, long completionTokens) {

    /** No tokens (e.g. a cache hit or an LM that does not report usage). */
    public static final Usage ZERO = new Usage(0, 0);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0: " + promptTokens + ", " + completionTokens);
        }
    }

    /** Prompt plus completion tokens. */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** The sum of this usage and another. */
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
    }
}
