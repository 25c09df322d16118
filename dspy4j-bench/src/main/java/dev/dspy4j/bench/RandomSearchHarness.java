package dev.dspy4j.bench;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.ConcurrencyLimit;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.module.Predict;
import dev.dspy4j.optimize.BootstrapFewShotWithRandomSearch;
import dev.dspy4j.optimize.OptimizationResult;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.usage.UsageReport;
import dev.dspy4j.usage.UsageTracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * BootstrapFewShotWithRandomSearch at the scale of the comparison with DSPy: 50 train and
 * 50 dev examples, {@code numCandidatePrograms} 8 (11 candidates with DSPy's three baseline seeds),
 * 4 bootstrapped and 4 labelled demos, against a local OpenAI-compatible server
 * ({@link LatencyServer}, its own JVM) that answers every call after 100 ms. Prints wall time, LM
 * calls (cache hits separately) and the best dev score.
 *
 * <p>The server always answers {@code 42}. By default every example is labelled {@code 42}, so
 * every teacher run bootstraps, as in the DSPy measurement this is compared with (its 573 calls
 * are 550 evaluation calls and 23 bootstrap calls); {@code -Dfailing=0.4} labels 40 % of the
 * examples otherwise, so that teacher runs fail too. The harness measures the search's
 * scheduling, not a model. All 11 candidates are built and scored at once; the second argument
 * is each candidate's evaluation concurrency; the LM's concurrency limit is fixed at 256; teacher
 * runs go up to 8 at once (system property {@code teachers}), never further ahead than the
 * demos still needed. The search runs
 * twice (a fresh cache each time): the first run includes the JIT's warm-up.
 * Usage: {@code RandomSearchHarness [latency-ms=100] [evaluation-concurrency=50]}.
 */
public final class RandomSearchHarness {

    private RandomSearchHarness() {}

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        long latencyMillis = args.length > 0 ? Long.parseLong(args[0]) : 100;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), LatencyServer.class.getName(), Long.toString(latencyMillis))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            URI baseUrl = URI.create(new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8)).readLine());
            System.out.print("| first run in a fresh JVM ");
            run(baseUrl, concurrency);
            System.out.print("| second run, new cache ");
            run(baseUrl, concurrency);
        } finally {
            server.getOutputStream().close();
            server.waitFor();
        }
    }

    private static void run(URI baseUrl, int concurrency) {
        Lm lm = OpenAiLm.builder().model("openai/bench-model").apiKey("sk-bench").baseUrl(baseUrl)
                .timeout(Duration.ofSeconds(60)).build()
                .withInterceptors(Retry.defaults(), ConcurrencyLimit.builder().fixedLimit(256).build(),
                        new CacheInterceptor(new MemoryCache(100_000)));
        List<Example> trainset = examples("train", 50);
        List<Example> devset = examples("dev", 50);
        Metric exact = Metric.of((example, prediction) -> example.get("answer").equals(prediction.get("answer")));
        BootstrapFewShotWithRandomSearch search = BootstrapFewShotWithRandomSearch.builder()
                .metric(exact).numCandidatePrograms(8).maxBootstrappedDemos(4).maxLabeledDemos(4)
                .concurrency(16).evaluationConcurrency(concurrency).teacherConcurrency(Integer.getInteger("teachers", 8)).seed(0).build();

        UsageTracker usage = UsageTracker.create();
        long start = System.nanoTime();
        OptimizationResult result = search.search(Predict.of("question -> answer"), trainset, devset,
                DspyContext.of(lm).withInterceptors(usage));
        double seconds = (System.nanoTime() - start) / 1e9;
        UsageReport report = usage.snapshot();
        System.out.printf("| %.2f s | %d | %d | %d | %.2f |%n", seconds, result.candidates().size(),
                report.total().calls() - report.total().cacheHits(), report.total().cacheHits(), result.bestScore());
    }

    private static List<Example> examples(String prefix, int count) {
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean failing = i % 5 < Math.round(5 * Double.parseDouble(System.getProperty("failing", "0")));
            out.add(Example.of("question", prefix + " question " + i, "answer", failing ? "7" : "42")
                    .withInputs("question"));
        }
        return out;
    }
}
