package dev.dspy4j.usage;

import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sums the tokens of LM calls per model and prices them: DSPy's {@code track_usage}, without a
 * global setting. It is an interceptor. Put a fresh tracker on the context of one program run to
 * get that run's usage, whichever LMs its predictors use:
 *
 * <pre>{@code
 * UsageTracker usage = UsageTracker.create();
 * program.call(inputs, DspyContext.of(lm).withInterceptors(usage));
 * System.out.print(usage.snapshot());   // a table per model, with cost
 * }</pre>
 *
 * or in an LM's own chain ({@code lm.withInterceptors(usage, ...)}) to count every call made
 * through that LM, by any program. Calls are recorded under the called LM's model name
 * ({@code openai/gpt-4o-mini}). Streamed calls count when the stream has been read to its end.
 *
 * <p>A response served from a cache ({@link LmResponse#cacheHit()}) counts as a call and a cache
 * hit; its usage (the original call's, which caches keep) is reported separately as what it would
 * have cost, never as spend. Failed calls are not counted.
 *
 * <p>Thread-safe: any number of threads may report calls while others take snapshots; after the
 * calls have finished the sums are exact. A snapshot taken while calls are being reported shows
 * each model's row as of some moment (a row is never half-updated).
 */
public final class UsageTracker implements LmInterceptor {

    private final PriceTable prices;
    private final ConcurrentHashMap<String, Counters> byModel = new ConcurrentHashMap<>();

    private UsageTracker(PriceTable prices) {
        this.prices = prices;
    }

    /** A tracker pricing with {@link PriceTable#builtIn()}. */
    public static UsageTracker create() {
        return new UsageTracker(PriceTable.builtIn());
    }

    /**
     * A tracker pricing with this table, e.g. {@code PriceTable.builtIn().with("openai/my-model",
     * "0.30", "1.20")}, or {@link PriceTable#empty()} to count tokens only.
     */
    public static UsageTracker withPrices(PriceTable prices) {
        return new UsageTracker(Objects.requireNonNull(prices, "prices"));
    }

    /** The price table this tracker uses. */
    public PriceTable prices() {
        return prices;
    }

    /** Passes the call on and counts it under the LM's model name. */
    @Override
    public LmResponse intercept(LmRequest request, Chain chain) {
        LmResponse response = chain.proceed(request);
        record(chain.lm().model(), response.usage(), response.cacheHit());
        return response;
    }

    /** Passes the stream on and counts it, with the final usage, once it has been read to its end. */
    @Override
    public LmStream interceptStream(LmRequest request, Chain chain) {
        String model = chain.lm().model();
        return LmStream.observed(chain.proceedStream(request),
                response -> record(model, response.usage(), response.cacheHit()), failure -> { });
    }

    /**
     * Counts one call directly, for LM calls made outside dspy4j's call path.
     *
     * @param model the model name
     * @param usage its tokens
     * @param cacheHit whether it was served from a cache
     */
    public void record(String model, Usage usage, boolean cacheHit) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(usage, "usage");
        byModel.computeIfAbsent(model, name -> new Counters()).add(usage, cacheHit);
    }

    /** The usage so far, per model, priced with this tracker's table. */
    public UsageReport snapshot() {
        List<UsageReport.ModelUsage> rows = new ArrayList<>(byModel.size());
        byModel.forEach((model, counters) -> rows.add(counters.row(model, prices)));
        return new UsageReport(rows);
    }

    @Override
    public String toString() {
        return "UsageTracker" + byModel.keySet();
    }

    /** One model's sums; a small lock keeps each row consistent. */
    private static final class Counters {
        private long calls;
        private long cacheHits;
        private long prompt;
        private long completion;
        private long cachedPrompt;
        private long cachedCompletion;

        synchronized void add(Usage usage, boolean cacheHit) {
            calls++;
            if (cacheHit) {
                cacheHits++;
                cachedPrompt += usage.promptTokens();
                cachedCompletion += usage.completionTokens();
            } else {
                prompt += usage.promptTokens();
                completion += usage.completionTokens();
            }
        }

        UsageReport.ModelUsage row(String model, PriceTable prices) {
            Usage spent;
            Usage cached;
            long callCount;
            long hitCount;
            synchronized (this) {
                callCount = calls;
                hitCount = cacheHits;
                spent = new Usage(prompt, completion);
                cached = new Usage(cachedPrompt, cachedCompletion);
            }
            return prices.priceFor(model)
                    .map(price -> new UsageReport.ModelUsage(model, callCount, hitCount, spent, cached,
                            price.cost(spent), price.cost(cached)))
                    .orElseGet(() -> new UsageReport.ModelUsage(model, callCount, hitCount, spent, cached, null, null));
        }
    }
}
