package dev.dspy4j.bench;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.ConcurrencyLimit;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.module.Predict;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.usage.UsageTracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput of the whole call path against a local OpenAI-compatible server with a fixed
 * latency: {@code Predict("question -> answer")} through {@code OpenAiLm} behind retry, a
 * concurrency limit, a memory cache (every question is distinct, so every call misses) and a usage
 * tracker, driven by a fixed number of virtual threads.
 *
 * <p>Before measuring, 20,000 calls (system property {@code warmup}) to a second, zero-latency
 * server let the JIT compile the hot path, and one round of calls opens the connections.
 *
 * <p>Usage: {@code ThroughputHarness <latency-ms> <concurrency> [calls=2000]}. Prints one markdown
 * table row: latency, concurrency, calls, wall time, examples/s, the ratio to the ideal
 * (concurrency / latency), client CPU time per call (the whole process, then its Java threads
 * only, i.e. without the JIT compiler and GC), the server's CPU time per call, and the client's
 * peak RSS. The server runs in
 * a child JVM ({@link LatencyServer}) so that CPU and memory are the client's alone.
 */
public final class ThroughputHarness {

    private ThroughputHarness() {}

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        long latencyMillis = Long.parseLong(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;

        Process warmUpServer = startServer(0);
        Process server = startServer(latencyMillis);
        try {
            System.out.println(run(baseUrl(warmUpServer), baseUrl(server), server.toHandle(), latencyMillis,
                    concurrency, calls));
        } finally {
            for (Process p : List.of(warmUpServer, server)) {
                p.getOutputStream().close();
                p.waitFor();
            }
        }
    }

    private static URI baseUrl(Process server) throws IOException {
        return URI.create(new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                .readLine());
    }

    private static Lm chain(URI baseUrl, int concurrency) {
        Lm client = OpenAiLm.builder().model("openai/bench-model").apiKey("sk-bench").baseUrl(baseUrl)
                .timeout(Duration.ofSeconds(60)).build();
        // -Dchain=bare measures the HTTP client alone, for comparison
        return "bare".equals(System.getProperty("chain")) ? client : client.withInterceptors(Retry.defaults(),
                ConcurrencyLimit.builder().fixedLimit(concurrency).build(),
                new CacheInterceptor(new MemoryCache(100_000)));
    }

    static String run(URI warmUpUrl, URI baseUrl, ProcessHandle server, long latencyMillis, int concurrency,
                      int calls) throws Exception {
        Predict predict = Predict.of("question -> answer");
        // Steady state, as a long-running service would be: compile the hot path first with calls
        // to a server that answers at once, then open the connections to the measured server with
        // one round of calls. Neither is measured.
        drive(predict, DspyContext.of(chain(warmUpUrl, concurrency)), Math.min(concurrency, 64),
                Integer.getInteger("warmup", 20_000), "warm-up ");
        UsageTracker usage = UsageTracker.create();
        DspyContext context = DspyContext.of(chain(baseUrl, concurrency)).withInterceptors(usage);
        drive(predict, context, concurrency, concurrency, "connect ");

        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int extra = Integer.getInteger("rounds", 1); extra > 1; extra--) {
            drive(predict, context, concurrency, calls, "round" + extra + " ");
        }
        long cpuBefore = os.getProcessCpuTime();
        long appBefore = ProcessStats.javaThreadsCpuNanos();
        long serverBefore = cpuNanos(server);
        long start = System.nanoTime();
        int failures = drive(predict, context, concurrency, calls, "q");
        long wallNanos = System.nanoTime() - start;
        long cpuNanos = os.getProcessCpuTime() - cpuBefore;
        long appNanos = ProcessStats.javaThreadsCpuNanos() - appBefore;
        long serverNanos = cpuNanos(server) - serverBefore;

        double seconds = wallNanos / 1e9;
        double throughput = calls / seconds;
        double ideal = concurrency / (latencyMillis / 1000.0);
        return String.format("| %d ms | %d | %d | %.2f s | %.1f | %.3f | %.3f ms | %.3f ms | %.3f ms | %d MB | %d |",
                latencyMillis, concurrency, calls, seconds, throughput, throughput / ideal,
                cpuNanos / 1e6 / calls, appNanos / 1e6 / calls, serverNanos / 1e6 / calls,
                ProcessStats.peakRssMegabytes(), failures);
    }
    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static int drive(Predict predict, DspyContext context, int concurrency, int calls, String prefix)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>(concurrency);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
                        try {
                            String answer = predict.call(Map.of("question", prefix + i), context).getString("answer");
                            if (!answer.equals("42")) {
                                failures.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return failures.get();
    }

    private static Process startServer(long latencyMillis) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the server is test equipment: C1 only and the serial collector keep its CPU use low
        return new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LatencyServer.class.getName(), Long.toString(latencyMillis))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
