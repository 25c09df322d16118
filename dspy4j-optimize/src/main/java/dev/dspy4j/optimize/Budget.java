package dev.dspy4j.optimize;

import dev.dspy4j.usage.PriceTable;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A hard limit on what an optimization may spend: LM calls, tokens, or US dollars. Cache hits
 * are free and not counted. When a limit is reached, no new LM call is started (it fails with
 * {@link BudgetExhaustedException}), the search stops cleanly and the best program found so far is
 * returned, flagged with {@link OptimizationResult#budgetExhausted()}. Calls already in flight
 * when the limit is reached still finish, so with concurrency the spend can pass the limit by
 * up to the number of calls in flight.
 *
 * <p>Immutable. Limits are {@code null} when unset.
 *
 * @param maxLmCalls the most LM calls, or {@code null}
 * @param maxTokens the most prompt plus completion tokens, or {@code null}
 * @param maxCost the most US dollars, priced with {@code prices}, or {@code null}
 * @param prices prices for {@code maxCost} (calls to unpriced models cost nothing)
 */
public record Budget(Long maxLmCalls, Long maxTokens, BigDecimal maxCost, PriceTable prices) {

    /**
     * @throws IllegalArgumentException if a limit is not positive
     */
    public Budget {
        requirePositive("maxLmCalls", maxLmCalls);
        requirePositive("maxTokens", maxTokens);
        if (maxCost != null && maxCost.signum() <= 0) {
            throw new IllegalArgumentException("maxCost must be positive, not " + maxCost + ".");
        }
        Objects.requireNonNull(prices, "prices");
    }

    /** No limits. */
    public static Budget unlimited() {
        return new Budget(null, null, null, PriceTable.builtIn());
    }

    /** At most {@code n} LM calls. */
    public static Budget ofLmCalls(long n) {
        return unlimited().withMaxLmCalls(n);
    }

    /** This budget with a limit on LM calls. */
    public Budget withMaxLmCalls(long n) {
        return new Budget(n, maxTokens, maxCost, prices);
    }

    /** This budget with a limit on tokens. */
    public Budget withMaxTokens(long n) {
        return new Budget(maxLmCalls, n, maxCost, prices);
    }

    /** This budget with a limit on cost in US dollars, priced with the built-in table. */
    public Budget withMaxCost(BigDecimal dollars) {
        return new Budget(maxLmCalls, maxTokens, dollars, prices);
    }

    /** This budget pricing calls with another table. */
    public Budget withPrices(PriceTable table) {
        return new Budget(maxLmCalls, maxTokens, maxCost, table);
    }

    /** Whether any limit is set. */
    public boolean isLimited() {
        return maxLmCalls != null || maxTokens != null || maxCost != null;
    }

    /** The limits that are set, e.g. {@code Budget[maxLmCalls=500]}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Budget[");
        if (maxLmCalls != null) {
            out.append("maxLmCalls=").append(maxLmCalls).append(", ");
        }
        if (maxTokens != null) {
            out.append("maxTokens=").append(maxTokens).append(", ");
        }
        if (maxCost != null) {
            out.append("maxCost=$").append(maxCost.toPlainString()).append(", ");
        }
        if (out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 2);
        } else {
            out.append("unlimited");
        }
        return out.append(']').toString();
    }

    private static void requirePositive(String name, Long value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value + ".");
        }
    }
}
