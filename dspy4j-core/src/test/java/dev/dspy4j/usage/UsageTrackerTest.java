package dev.dspy4j.usage;

import static dev.dspy4j.lm.FakeLms.named;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Predict;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class UsageTrackerTest {

    private static final LmRequest REQUEST = LmRequest.of(List.of(Message.user("q")));

    private static LmResponse response(String model, long prompt, long completion, boolean cacheHit) {
        return new LmResponse(List.of(Choice.of("[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]")),
                new Usage(prompt, completion), model, cacheHit);
    }

    @Test
    void sumsConcurrentCallsExactlyPerModel() throws Exception {
        UsageTracker tracker = UsageTracker.create();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 200; t++) {
                int thread = t;
                threads.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        String model = (thread + i) % 2 == 0 ? "openai/gpt-4o-mini" : "anthropic/claude-sonnet-4";
                        record(tracker, model, response(model, 3, 2, i % 10 == 0));
                    }
                });
            }
        }

        UsageReport report = tracker.snapshot();
        UsageReport.ModelUsage mini = report.model("openai/gpt-4o-mini").orElseThrow();
        assertThat(mini.calls()).isEqualTo(50_000);
        assertThat(mini.cacheHits()).isEqualTo(5_000);
        assertThat(mini.usage()).isEqualTo(new Usage(45_000 * 3, 45_000 * 2));
        assertThat(mini.cachedUsage()).isEqualTo(new Usage(5_000 * 3, 5_000 * 2));
        assertThat(report.total().calls()).isEqualTo(100_000);
        assertThat(report.total().usage()).isEqualTo(new Usage(90_000 * 3, 90_000 * 2));
    }

    @Test
    void cacheHitsCountAsCallsButNotAsSpend() {
        UsageTracker tracker = UsageTracker.create();

        record(tracker, "gpt-4o-mini", response("gpt-4o-mini", 1_000, 100, false));
        record(tracker, "gpt-4o-mini", response("gpt-4o-mini", 1_000, 100, true));
        record(tracker, "gpt-4o-mini", response("gpt-4o-mini", 1_000, 100, true));

        UsageReport.ModelUsage row = tracker.snapshot().model("gpt-4o-mini").orElseThrow();
        assertThat(row.calls()).isEqualTo(3);
        assertThat(row.cacheHits()).isEqualTo(2);
        assertThat(row.promptTokens()).isEqualTo(1_000);
        assertThat(row.completionTokens()).isEqualTo(100);
        assertThat(row.cost()).isEqualByComparingTo("0.00021");
        assertThat(row.cachedCost()).isEqualByComparingTo("0.00042");
    }

    @Test
    void pricesTokensExactlyPerMillion() {
        UsageTracker tracker = UsageTracker.withPrices(PriceTable.empty().with("m", "0.15", "0.60"));

        tracker.record("m", new Usage(1_234, 567), false);
        tracker.record("m", new Usage(1_000_000, 500_000), false);

        // 1,001,234 * 0.15 / 1e6 + 500,567 * 0.60 / 1e6
        assertThat(tracker.snapshot().cost()).isEqualTo(new BigDecimal("0.4505253"));
    }

    @Test
    void modelsWithoutAPriceAreCountedAndNamedButLeftOutOfTheCost() {
        UsageTracker tracker = UsageTracker.create();

        tracker.record("ollama_chat/llama3.2", new Usage(500, 50), false);
        tracker.record("openai/gpt-4o", new Usage(1_000, 100), false);

        UsageReport report = tracker.snapshot();
        assertThat(report.model("ollama_chat/llama3.2").orElseThrow().cost()).isNull();
        assertThat(report.unpricedModels()).containsExactly("ollama_chat/llama3.2");
        assertThat(report.cost()).isEqualByComparingTo("0.0035");
        assertThat(report.total().usage()).isEqualTo(new Usage(1_500, 150));
    }

    @Test
    void aFreshTrackerInAProgramRunsContextCountsThatRunOnly() {
        Lm lm = named("openai/gpt-4o-mini", response("gpt-4o-mini-2024-07-18", 120, 30, false));
        Predict predict = Predict.of("question -> answer");
        UsageTracker firstRun = UsageTracker.create();
        UsageTracker secondRun = UsageTracker.create();

        predict.call(Map.of("question", "Capital of France?"), DspyContext.of(lm).withInterceptors(firstRun));
        predict.call(Map.of("question", "Capital of Italy?"), DspyContext.of(lm).withInterceptors(secondRun));
        predict.call(Map.of("question", "Capital of Spain?"), DspyContext.of(lm).withInterceptors(secondRun));

        assertThat(firstRun.snapshot().total().calls()).isEqualTo(1);
        // counted under the LM's own name, which the price table knows
        UsageReport.ModelUsage row = secondRun.snapshot().model("openai/gpt-4o-mini").orElseThrow();
        assertThat(row.calls()).isEqualTo(2);
        assertThat(row.usage()).isEqualTo(new Usage(240, 60));
        assertThat(row.cost()).isEqualByComparingTo("0.000072");
    }

    @Test
    void inAnLmsChainItCountsUnderTheLmsOwnModelName() {
        UsageTracker tracker = UsageTracker.create();
        Lm lm = named("openai/gpt-4o-mini", response(null, 10, 5, false)).withInterceptors(tracker);

        lm.call(REQUEST);
        lm.call(REQUEST);

        assertThat(tracker.snapshot().model("openai/gpt-4o-mini").orElseThrow().calls()).isEqualTo(2);
    }


    @Test
    void rendersAReadableTable() {
        UsageTracker tracker = UsageTracker.create();
        tracker.record("openai/gpt-4o-mini", new Usage(2_000, 600), false);
        tracker.record("openai/gpt-4o-mini", new Usage(1_000, 300), true);
        tracker.record("local/llama", new Usage(50, 5), false);

        assertThat(tracker.snapshot()).hasToString("""
                Model               Calls  Cache hits  Prompt tokens  Completion tokens  Cost (USD)  Saved by cache (USD)
                local/llama             1           0             50                  5           ?                     ?
                openai/gpt-4o-mini      2           1          2,000                600    0.000660              0.000330
                Total                   3           1          2,050                605    0.000660              0.000330
                No price for local/llama; the total cost leaves them out. Add prices with PriceTable.with(model, \
                input, output).
                """);
    }

    /** An LM that only has a name (null stands for a scripted LM that reports "unknown"). */
    private static Lm lmNamed(String model) {
        return new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                throw new UnsupportedOperationException("not called");
            }

            @Override
            public String model() {
                return model == null ? "unknown" : model;
            }
        };
    }

    private static void record(UsageTracker tracker, String model, LmResponse response) {
        tracker.record(model, response.usage(), response.cacheHit());
    }
}
