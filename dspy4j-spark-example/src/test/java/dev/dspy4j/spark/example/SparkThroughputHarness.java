package dev.dspy4j.spark.example;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.provider.Lms;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.Runner;
import dev.dspy4j.spark.CacheConfig;
import dev.dspy4j.spark.LmConfig;
import dev.dspy4j.spark.RateLimitConfig;
import dev.dspy4j.spark.SparkPredict;
import dev.dspy4j.spark.SparkProgram;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.SimulatedTicketModel;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Throughput of the Spark batch predict against a single JVM's {@code program.batch}, run by
 * {@code bench/run-spark.sh}: the test kit's simulated ticket model behind a {@link FakeLmServer}
 * with a fixed latency, N distinct tickets, the bundled ticket-triage program.
 *
 * <pre>SparkThroughputHarness [rows=2000] [inFlight=16] [latencyMs=100] [redisUrl]</pre>
 *
 * <p>Runs, each after a warm-up of 20 % of the rows (distinct tickets): (a) {@code program.batch} in one JVM at
 * {@code inFlight} threads, no cache; (b) {@code SparkPredict} on {@code local[2]}, 2 partitions,
 * {@code maxInFlight(inFlight)} per executor (local mode has one executor, so the same total), no
 * cache; (c) the same with the Redis cache, on keys no run has written (cold), then (d) the same job
 * again (warm: every row from Redis); (e) cold again with a shared rate limit (Redis) at half the
 * ideal rate, to show the bucket setting the pace. Prints a markdown table: wall time, rows/s, the ideal
 * {@code inFlight / latency}, requests the server saw and the most it saw at once. The Spark
 * session's start-up is not in the times; the Spark job's scheduling and the output action are.
 */
public final class SparkThroughputHarness {

    private SparkThroughputHarness() {}

    private record Measured(String run, int rows, double seconds, int requests, int maxInFlight) {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int latencyMs = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        String redis = args.length > 3 ? args[3] : System.getenv("DSPY4J_REDIS_URL");

        SparkSession spark = SparkSession.builder().master("local[2]").appName("SparkThroughputHarness")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        List<Measured> table = new ArrayList<>();
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            server.respondWith(new SimulatedTicketModel()).latency(Duration.ofMillis(latencyMs));
            String base = server.baseUrl().toString();
            int warmup = Math.max(50, rows / 5);

            // (a) one JVM, program.batch
            Lm lm = Lms.builder("openai/bench").environment(Map.of("OPENAI_BASE_URL", base)).cache(false).build();
            Module program = Predict.of(TicketTriageJob.SIGNATURE);
            program = program.withState(ProgramState.fromJson(TicketTriageJob.bundledProgram(), "bundled", program,
                    settings -> lm));
            Module loaded = program;
            Runner runner = Runner.builder().concurrency(inFlight).maxErrors(Integer.MAX_VALUE)
                    .context(DspyContext.of(lm)).build();
            batch(loaded, runner, examples("warm-a", warmup));
            List<Example> examples = examples("a-" + UUID.randomUUID(), rows);
            table.add(measure(server, "single JVM, `program.batch`, " + inFlight + " threads, no cache", rows, () -> {
                RunResult<Prediction> result = batch(loaded, runner, examples);
                return result.failures().size();
            }));

            // (b) Spark, no cache
            SparkPredict.Builder predict = SparkPredict.builder()
                    .program(SparkProgram.predict(TicketTriageJob.SIGNATURE).withState(TicketTriageJob.bundledProgram()))
                    .lm(LmConfig.builder("openai/bench").apiBase(base).build())
                    .maxInFlight(inFlight);
            SparkPredict uncached = predict.build();
            sparkRun(uncached, tickets(spark, "warm-b", warmup));
            Dataset<Row> b = tickets(spark, "b-" + UUID.randomUUID(), rows);
            table.add(measure(server, "Spark `local[2]`, 2 partitions, maxInFlight " + inFlight + ", no cache", rows,
                    () -> sparkRun(uncached, b)));

            // (c, d) Spark with the Redis cache: cold, then warm
            if (redis != null && !redis.isBlank()) {
                SparkPredict cached = predict.cache(CacheConfig.redis(redis)
                        .keyPrefix("dspy4j:bench:" + UUID.randomUUID() + ":").ttl(Duration.ofHours(1))).build();
                sparkRun(cached, tickets(spark, "warm-c", warmup));
                Dataset<Row> c = tickets(spark, "c-" + UUID.randomUUID(), rows);
                table.add(measure(server, "Spark, Redis cache, first run (cold)", rows, () -> sparkRun(cached, c)));
                table.add(measure(server, "Spark, Redis cache, second run (warm)", rows, () -> sparkRun(cached, c)));

                // (e) a shared rate limit at half the ideal rate: the bucket, not the slots, sets the pace
                int perMinute = (int) Math.round(30.0 * inFlight * 1000 / latencyMs);
                SparkPredict limited = predict.cache(CacheConfig.redis(redis)
                                .keyPrefix("dspy4j:bench:" + UUID.randomUUID() + ":").ttl(Duration.ofHours(1)))
                        .rateLimit(RateLimitConfig.requestsPerMinute(perMinute).bucket("bench-" + UUID.randomUUID()))
                        .build();
                Dataset<Row> e = tickets(spark, "e-" + UUID.randomUUID(), rows);
                table.add(measure(server, String.format(Locale.ROOT,
                        "Spark, Redis cache (cold) and a shared rate limit of %,d requests/min (%.0f/s)", perMinute,
                        perMinute / 60.0), rows, () -> sparkRun(limited, e)));
            } else {
                System.err.println("no Redis (DSPY4J_REDIS_URL or a 4th argument): the cached runs are left out");
            }
        } finally {
            spark.stop();
        }

        double ideal = inFlight * 1000.0 / latencyMs;
        System.out.printf(Locale.ROOT, "%n%d rows, %d in flight, %d ms server latency: ideal %.0f rows/s "
                + "(in flight / latency)%n%n", rows, inFlight, latencyMs, ideal);
        System.out.println("| run | wall | rows/s | of ideal | LM requests | most in flight at the server |");
        System.out.println("|---|---|---|---|---|---|");
        for (Measured m : table) {
            double perSecond = m.rows() / m.seconds();
            String ofIdeal = m.requests() == 0 ? "no LM calls"
                    : String.format(Locale.ROOT, "%.0f %%", 100 * perSecond / ideal);
            System.out.printf(Locale.ROOT, "| %s | %.2f s | %.0f | %s | %d | %d |%n", m.run(), m.seconds(),
                    perSecond, ofIdeal, m.requests(), m.maxInFlight());
        }
    }

    private static RunResult<Prediction> batch(Module program, Runner runner, List<Example> examples) {
        return program.batch(examples, runner);
    }

    private static Measured measure(FakeLmServer server, String run, int rows, LongSupplier job) {
        server.reset();
        System.err.printf(Locale.ROOT, "%s: load average %.2f%n", run,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        long start = System.nanoTime();
        long failures = job.getAsLong();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failures > 0) {
            System.err.println(run + ": " + failures + " rows failed");
        }
        return new Measured(run, rows, seconds, server.requestCount(), server.maxConcurrentRequests());
    }

    /** Runs the job to the end (Spark's no-op sink) and counts the rows that carry an error. */
    private static long sparkRun(SparkPredict predict, Dataset<Row> tickets) {
        // the filter needs every row's error column, so every row runs (nothing below it is pruned)
        return predict.predict(tickets).where(functions.col("error").isNotNull()).count();
    }

    private static List<Example> examples(String prefix, int rows) {
        List<Example> examples = new ArrayList<>(rows);
        for (Map<String, Object> row : GenerateTickets.tickets(prefix, rows)) {
            examples.add(Example.of(row).withInputs("ticket_text"));
        }
        return examples;
    }

    private static Dataset<Row> tickets(SparkSession spark, String prefix, int rows) {
        List<String> texts = GenerateTickets.tickets(prefix, rows).stream()
                .map(row -> (String) row.get("ticket_text")).toList();
        StructType schema = new StructType().add("ticket_text", DataTypes.StringType);
        return spark.createDataset(texts, Encoders.STRING()).toDF("ticket_text").to(schema).coalesce(2);
    }
}
