package dev.dspy4j.usage;

import dev.dspy4j.lm.Usage;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices of models per million tokens, in US dollars, to turn token usage into cost. Immutable;
 * derive variants with {@link #with(String, String, String)}.
 *
 * <p>Lookup of a model name, first match wins:
 * <ol>
 *   <li>the name as given ({@code openai/gpt-4o-mini});</li>
 *   <li>the name without its provider prefix ({@code gpt-4o-mini}), also against priced names
 *       without theirs;</li>
 *   <li>the longest priced name (without prefix) that, followed by {@code -}, starts the name without prefix, so
 *       dated snapshots a provider reports ({@code gpt-4o-mini-2024-07-18},
 *       {@code claude-sonnet-4-20250514}) find their model's price.</li>
 * </ol>
 *
 * <p>{@link #builtIn()} knows a few well-known models at the providers' published list prices as
 * of <b>August 2025</b> (standard tier, no batch or cached-input discounts). Prices change: for
 * money that matters, give your own with {@link #with(String, String, String)}, which overrides a
 * built-in entry of the same name.
 *
 * <p>Thread-safe (immutable).
 */
public final class PriceTable {

    /**
     * The price of one model.
     *
     * @param inputPerMillion US dollars per million prompt tokens
     * @param outputPerMillion US dollars per million completion tokens
     */
    public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

        private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

        /**
         * @throws IllegalArgumentException if a price is negative
         * @throws NullPointerException if a price is {@code null}
         */
        public Price {
            Objects.requireNonNull(inputPerMillion, "inputPerMillion");
            Objects.requireNonNull(outputPerMillion, "outputPerMillion");
            if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
                throw new IllegalArgumentException("prices must be >= 0, were " + inputPerMillion + " and "
                        + outputPerMillion);
            }
        }

        /**
         * A price from decimal strings, e.g. {@code perMillion("0.15", "0.60")}.
         *
         * @throws NumberFormatException if a string is not a decimal number
         */
        public static Price perMillion(String inputPerMillion, String outputPerMillion) {
            return new Price(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
        }

        /** The exact cost of this many tokens, in US dollars. */
        public BigDecimal cost(Usage usage) {
            return inputPerMillion.multiply(BigDecimal.valueOf(usage.promptTokens()))
                    .add(outputPerMillion.multiply(BigDecimal.valueOf(usage.completionTokens())))
                    .divide(MILLION);
        }
    }

    private static final PriceTable EMPTY = new PriceTable(Map.of());
    private static final PriceTable BUILT_IN = EMPTY
            // OpenAI, https://openai.com/api/pricing (August 2025)
            .with("gpt-4o", "2.50", "10.00")
            .with("gpt-4o-mini", "0.15", "0.60")
            .with("gpt-4.1", "2.00", "8.00")
            .with("gpt-4.1-mini", "0.40", "1.60")
            .with("gpt-4.1-nano", "0.10", "0.40")
            .with("o3", "2.00", "8.00")
            .with("o3-mini", "1.10", "4.40")
            .with("o4-mini", "1.10", "4.40")
            .with("gpt-5", "1.25", "10.00")
            .with("gpt-5-mini", "0.25", "2.00")
            .with("gpt-5-nano", "0.05", "0.40")
            // Anthropic, https://www.anthropic.com/pricing (August 2025)
            .with("claude-3-5-haiku", "0.80", "4.00")
            .with("claude-3-7-sonnet", "3.00", "15.00")
            .with("claude-sonnet-4", "3.00", "15.00")
            .with("claude-opus-4", "15.00", "75.00")
            .with("claude-opus-4-1", "15.00", "75.00");

    private final Map<String, Price> prices;

    private PriceTable(Map<String, Price> prices) {
        this.prices = prices;
    }

    /** A table with no prices: every model is unpriced. */
    public static PriceTable empty() {
        return EMPTY;
    }

    /**
     * The built-in table: list prices as of August 2025 for gpt-4o, gpt-4o-mini, gpt-4.1
     * (and -mini, -nano), o3, o3-mini, o4-mini, gpt-5 (and -mini, -nano), claude-3-5-haiku,
     * claude-3-7-sonnet, claude-sonnet-4, claude-opus-4 and claude-opus-4-1.
     */
    public static PriceTable builtIn() {
        return BUILT_IN;
    }

    /**
     * A table of exactly these prices.
     *
     * @param prices model name to price
     */
    public static PriceTable of(Map<String, Price> prices) {
        PriceTable table = EMPTY;
        for (Map.Entry<String, Price> entry : prices.entrySet()) {
            table = table.with(entry.getKey(), entry.getValue());
        }
        return table;
    }

    /**
     * This table with one more price, replacing any for the same name.
     *
     * @param model a model name, with or without provider prefix
     * @param price its price
     * @throws IllegalArgumentException if the name is blank
     */
    public PriceTable with(String model, Price price) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(price, "price");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        Map<String, Price> copy = new LinkedHashMap<>(prices);
        copy.put(model, price);
        return new PriceTable(Collections.unmodifiableMap(copy));
    }

    /**
     * This table with one more price, in US dollars per million tokens as decimal strings.
     *
     * @throws NumberFormatException if a price is not a decimal number
     * @throws IllegalArgumentException if a price is negative or the name blank
     */
    public PriceTable with(String model, String inputPerMillion, String outputPerMillion) {
        return with(model, Price.perMillion(inputPerMillion, outputPerMillion));
    }

    /** The price of a model (see the class comment for how names are matched), if known. */
    public Optional<Price> priceFor(String model) {
        if (model == null || prices.isEmpty()) {
            return Optional.empty();
        }
        Price exact = prices.get(model);
        if (exact != null) {
            return Optional.of(exact);
        }
        String bare = model.substring(model.lastIndexOf('/') + 1);
        Price byBareName = prices.get(bare);
        if (byBareName != null) {
            return Optional.of(byBareName);
        }
        // a priced name with another provider prefix, or a dated snapshot of a priced name
        int bestScore = -1;
        Price best = null;
        for (Map.Entry<String, Price> entry : prices.entrySet()) {
            String name = entry.getKey();
            String candidate = name.substring(name.lastIndexOf('/') + 1);
            int score = -1;
            if (bare.equals(candidate)) {
                score = Integer.MAX_VALUE;
            } else if (bare.length() > candidate.length() && bare.startsWith(candidate)
                    && bare.charAt(candidate.length()) == '-') {
                score = candidate.length();
            }
            if (score > bestScore) {
                bestScore = score;
                best = entry.getValue();
            }
        }
        return Optional.ofNullable(best);
    }

    /** The cost of this usage of a model in US dollars, if the model is priced. */
    public Optional<BigDecimal> cost(String model, Usage usage) {
        return priceFor(model).map(price -> price.cost(usage));
    }

    /** The priced model names, in insertion order. */
    public Map<String, Price> prices() {
        return prices;
    }

    @Override
    public String toString() {
        return "PriceTable" + prices.keySet();
    }
}
