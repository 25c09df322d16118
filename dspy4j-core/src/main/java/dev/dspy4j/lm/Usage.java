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

    /** Prompt plus completion tokens ({@link Long#MAX_VALUE} rather than overflowing). */
    public long totalTokens() {
        return saturatedSum(promptTokens, completionTokens);
    }

    /** The sum of this usage and another; each count stops at {@link Long#MAX_VALUE} rather than overflowing. */
    public Usage plus(Usage other) {
        return new Usage(saturatedSum(promptTokens, other.promptTokens),
                saturatedSum(completionTokens, other.completionTokens));
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum; // both are >= 0, so only overflow makes it negative
    }
}
