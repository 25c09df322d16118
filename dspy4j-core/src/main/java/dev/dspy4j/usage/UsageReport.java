package dev.dspy4j.usage;

import dev.dspy4j.lm.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Token usage and cost per model at one moment, from {@link UsageTracker#snapshot()}. Immutable.
 *
 * <p>Spend counts only calls the provider answered; calls served from a cache are counted in
 * {@link ModelUsage#cacheHits()} and their original usage in {@link ModelUsage#cachedUsage()},
 * priced as {@link ModelUsage#cachedCost()}: what they would have cost without the cache.
 *
 * <p>{@link #toString()} renders a table:
 *
 * <pre>
 * Model               Calls  Cache hits  Prompt tokens  Completion tokens  Cost (USD)  Saved by cache (USD)
 * openai/gpt-4o-mini      3           1          2,000                600    0.000480              0.000240
 * Total                   3           1          2,000                600    0.000480              0.000240
 * </pre>
 *
 * @param models one row per model, sorted by model name
 */
public record UsageReport(List<ModelUsage> models) {

    /**
     * Usage of one model (or the total).
     *
     * @param model the model name as recorded ({@code "Total"} for {@link #total()})
     * @param calls LM calls, cache hits included
     * @param cacheHits calls served from a cache
     * @param usage tokens of the calls the provider answered (what was paid for)
     * @param cachedUsage original tokens of the calls served from a cache (not paid for)
     * @param cost US dollars for {@code usage}, or {@code null} if the model has no price
     * @param cachedCost US dollars {@code cachedUsage} would have cost, or {@code null} if the
     *     model has no price
     */
    public record ModelUsage(String model, long calls, long cacheHits, Usage usage, Usage cachedUsage,
                             @Nullable BigDecimal cost, @Nullable BigDecimal cachedCost) {

        /**
         * @throws NullPointerException if the model or a usage is {@code null}
         */
        public ModelUsage {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(cachedUsage, "cachedUsage");
        }

        /** Prompt tokens paid for. */
        public long promptTokens() {
            return usage.promptTokens();
        }

        /** Completion tokens paid for. */
        public long completionTokens() {
            return usage.completionTokens();
        }

        /** The cost, if the model is priced. */
        public Optional<BigDecimal> costIfKnown() {
            return Optional.ofNullable(cost);
        }
    }

    /**
     * @throws NullPointerException if {@code models} or a row is {@code null}
     */
    public UsageReport {
        List<ModelUsage> sorted = new ArrayList<>(models);
        sorted.sort(Comparator.comparing(ModelUsage::model));
        models = List.copyOf(sorted);
    }

    /** The row for a model name exactly as recorded, if there is one. */
    public Optional<ModelUsage> model(String name) {
        return models.stream().filter(row -> row.model().equals(name)).findFirst();
    }

    /**
     * The sums over all models, named {@code "Total"}. Its costs are the sums over the priced
     * models ({@code 0} if none is priced); see {@link #unpricedModels()} for what they leave out.
     */
    public ModelUsage total() {
        long calls = 0;
        long hits = 0;
        Usage usage = Usage.ZERO;
        Usage cached = Usage.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal cachedCost = BigDecimal.ZERO;
        for (ModelUsage row : models) {
            calls += row.calls();
            hits += row.cacheHits();
            usage = usage.plus(row.usage());
            cached = cached.plus(row.cachedUsage());
            if (row.cost() != null) {
                cost = cost.add(row.cost());
            }
            if (row.cachedCost() != null) {
                cachedCost = cachedCost.add(row.cachedCost());
            }
        }
        return new ModelUsage("Total", calls, hits, usage, cached, cost, cachedCost);
    }

    /** The total US dollars spent on priced models. */
    public BigDecimal cost() {
        return total().costIfKnown().orElse(BigDecimal.ZERO); // the total is always priced
    }

    /** Models that were called but have no price, so the total cost leaves them out. */
    public List<String> unpricedModels() {
        return models.stream().filter(row -> row.cost() == null).map(ModelUsage::model).toList();
    }

    /** The report as a text table, one row per model and a total. */
    @Override
    public String toString() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Model", "Calls", "Cache hits", "Prompt tokens", "Completion tokens", "Cost (USD)",
                "Saved by cache (USD)"});
        for (ModelUsage row : models) {
            rows.add(cells(row, row.cost(), row.cachedCost()));
        }
        ModelUsage total = total();
        boolean partial = !unpricedModels().isEmpty();
        rows.add(cells(total, partial && models.stream().allMatch(r -> r.cost() == null) ? null : total.cost(),
                partial && models.stream().allMatch(r -> r.cachedCost() == null) ? null : total.cachedCost()));
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.append("  ");
                }
                String pad = " ".repeat(widths[i] - row[i].length());
                out.append(i == 0 ? row[i] + (i == row.length - 1 ? "" : pad) : pad + row[i]);
            }
            out.append('\n');
        }
        if (partial) {
            out.append("No price for ").append(String.join(", ", unpricedModels()))
                    .append("; the total cost leaves them out. Add prices with PriceTable.with(model, input, output).\n");
        }
        return out.toString();
    }

    private static String[] cells(ModelUsage row, @Nullable BigDecimal cost, @Nullable BigDecimal cachedCost) {
        return new String[] {row.model(), String.format(Locale.ROOT, "%,d", row.calls()), String.format(Locale.ROOT, "%,d", row.cacheHits()),
                String.format(Locale.ROOT, "%,d", row.promptTokens()), String.format(Locale.ROOT, "%,d", row.completionTokens()),
                money(cost), money(cachedCost)};
    }

    private static String money(@Nullable BigDecimal amount) {
        return amount == null ? "?" : amount.setScale(6, RoundingMode.HALF_UP).toPlainString();
    }
}
