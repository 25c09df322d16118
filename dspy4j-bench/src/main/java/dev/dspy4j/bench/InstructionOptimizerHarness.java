package dev.dspy4j.bench;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.lm.ConcurrencyLimit;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.optimize.Gepa;
import dev.dspy4j.optimize.MiproV2;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.testkit.server.SimulatedTicketModel;
import dev.dspy4j.usage.UsageReport;
import dev.dspy4j.usage.UsageTracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * MIPROv2 light and GEPA light on the support-ticket task (a zero-shot {@code ticket_text ->
 * category} predictor; 50 train, 50 validation and 50 held-out tickets of the examples' shape)
 * against a local OpenAI-compatible server ({@link SimulatedTicketServer}, its own JVM) that answers
 * every call after a fixed latency, 100 ms by default. The simulated model classifies better when
 * the instruction names the label set, and its proposer and reflection replies sometimes do, so the
 * optimizers have a real instruction to find.
 *
 * <p>Prints, per optimizer, wall time, the LM calls that reached the server (task model and
 * prompt/reflection model apart; cache hits apart), the best validation score the optimizer reports
 * and the held-out score of the original and the optimized program. Settings are DSPy's defaults for
 * {@code auto="light"} (MIPROv2 with 4 bootstrapped and 4 labelled demos); MIPROv2 evaluates
 * 16 examples at once (DSPy's {@code num_threads=16}); GEPA runs twice, evaluating one example
 * at a time (its default, DSPy's call order) and then 16 at once.
 * Usage: {@code InstructionOptimizerHarness [latency-ms=100]}.
 */
public final class InstructionOptimizerHarness {

    private static final Metric CATEGORY = (example, prediction, context) -> {
        String expected = example.getString("category");
        boolean right = expected.equals(prediction.getString("category").strip());
        if (context instanceof MetricContext.Feedback) {
            return Score.of(right ? 1.0 : 0.0, right ? "Correct."
                    : "Wrong: this ticket belongs in " + expected + ". The valid categories are "
                            + SimulatedTicketModel.LABEL_SET + ".");
        }
        return Score.of(right);
    };

    private InstructionOptimizerHarness() {}

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        long latencyMillis = args.length > 0 ? Long.parseLong(args[0]) : 100;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), SimulatedTicketServer.class.getName(), Long.toString(latencyMillis))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            URI baseUrl = URI.create(new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8)).readLine());
            System.out.println("| optimizer | wall | task-model calls | prompt/reflection calls | cache hits "
                    + "| best val score | held-out: original → optimized |");
            System.out.println("|---|---|---|---|---|---|---|");
            run("MIPROv2 light", baseUrl, (promptLm, task) -> {
                var result = MiproV2.builder().metric(CATEGORY).auto(MiproV2.Auto.LIGHT).promptLm(promptLm)
                        .concurrency(16).seed(0).build().search(program(), tickets("train"), tickets("val"), task);
                return new Outcome(result.bestProgram(), result.bestScore());
            });
            for (int concurrency : new int[] {1, 16}) {
                run("GEPA light, " + (concurrency == 1 ? "one example at a time" : concurrency + " at once"), baseUrl,
                        (reflectionLm, task) -> {
                            var result = Gepa.builder().metric(CATEGORY).auto(Gepa.Auto.LIGHT)
                                    .reflectionLm(reflectionLm).evaluationConcurrency(concurrency).seed(0).build()
                                    .optimize(program(), tickets("train"), tickets("val"), task);
                            return new Outcome(result.bestProgram(),
                                    100 * result.valAggregateScores().get(result.bestIdx()));
                        });
            }
        } finally {
            server.getOutputStream().close();
            server.waitFor();
        }
    }

    private static Module program() {
        return Predict.of("ticket_text -> category");
    }

    private static List<Example> tickets(String split) {
        return SimulatedTicketModel.tickets(split, 50);
    }

    /** What an optimizer run returns: its program and the best validation score it saw. */
    private record Outcome(Module program, double bestValScore) {}

    /** One optimizer run with fresh LMs and caches, timed, then the held-out scores, untimed. */
    private static void run(String name, URI baseUrl, BiFunction<Lm, DspyContext, Outcome> optimizer) {
        UsageTracker usage = UsageTracker.create();
        DspyContext task = DspyContext.of(lm("openai/task-model", baseUrl, usage));
        Lm promptLm = lm("openai/prompt-model", baseUrl, usage);
        Evaluate heldOut = Evaluate.builder().devset(tickets("test")).metric(CATEGORY).concurrency(16).build();

        long start = System.nanoTime();
        Outcome outcome = optimizer.apply(promptLm, task);
        double seconds = (System.nanoTime() - start) / 1e9;
        UsageReport report = usage.snapshot();

        DspyContext scoring = DspyContext.of(lm("openai/task-model", baseUrl, UsageTracker.create()));
        double original = heldOut.run(program(), scoring).score();
        double optimized = heldOut.run(outcome.program(), scoring).score();
        System.out.printf("| %s | %.2f s | %d | %d | %d | %.1f | %.1f → %.1f |%n", name, seconds,
                served(report, "task-model"), served(report, "prompt-model"), report.total().cacheHits(),
                outcome.bestValScore(), original, optimized);
    }

    private static long served(UsageReport report, String model) {
        return report.models().stream().filter(m -> m.model().endsWith(model))
                .mapToLong(m -> m.calls() - m.cacheHits()).sum();
    }

    private static Lm lm(String model, URI baseUrl, UsageTracker usage) {
        return OpenAiLm.builder().model(model).apiKey("sk-bench").baseUrl(baseUrl).timeout(Duration.ofSeconds(60))
                .build().withInterceptors(usage, Retry.defaults(), ConcurrencyLimit.builder().fixedLimit(256).build(),
                        new CacheInterceptor(new MemoryCache(100_000)));
    }
}
