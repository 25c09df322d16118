package dev.dspy4j.spark.example;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.ExampleResult;
import dev.dspy4j.spark.CacheConfig;
import dev.dspy4j.spark.LmConfig;
import dev.dspy4j.spark.RateLimitConfig;
import dev.dspy4j.spark.SparkEvaluate;
import dev.dspy4j.spark.SparkMetric;
import dev.dspy4j.spark.SparkPredict;
import dev.dspy4j.spark.SparkProgram;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * An example Spark job: routes support tickets to a queue ({@code billing}, {@code technical},
 * {@code account}) with an optimized program saved by DSPy, on every executor, and writes each
 * ticket with its predicted queue, error, tokens and latency. With {@code --evaluate} it scores the
 * program against the tickets' labels instead (distributed Evaluate) and prints the score.
 *
 * <pre>
 * spark-submit --master ... --class dev.dspy4j.spark.example.TicketTriageJob \
 *     --conf spark.executorEnv.OPENAI_API_KEY=$OPENAI_API_KEY \
 *     dspy4j-spark-example-job.jar --lm openai/gpt-4o-mini --input tickets.jsonl --output triaged/
 * </pre>
 *
 * <p>The program is {@code Predict("ticket_text -> category")} with the state in
 * {@code ticket-triage.json} (bundled; {@code --program} gives another). Every option is in
 * {@link JobOptions#USAGE}; the LM and the shared Redis come from arguments or the usual
 * environment variables ({@code DSPY4J_MODEL}, {@code OPENAI_BASE_URL}/{@code OPENAI_API_BASE},
 * {@code OPENAI_API_KEY} read on each executor, {@code DSPY4J_REDIS_URL}). The summary goes to
 * stdout: rows, answered, failed (by error type), rows per second, rows served from the cache.
 */
public final class TicketTriageJob {

    /** The signature of the bundled program. */
    public static final String SIGNATURE = "ticket_text -> category";
    /** The output column of the predicted queue (the input may carry a {@code category} label column). */
    public static final String PREDICTION_COLUMN = "predicted_category";
    /** The bundled saved program (DSPy's JSON format), a resource next to this class. */
    public static final String BUNDLED_PROGRAM = "ticket-triage.json";

    private TicketTriageJob() {}

    /**
     * Entry point for {@code spark-submit}: the master and the rest of the Spark configuration come
     * from {@code spark-submit}'s options. Exits with 2 on a usage error and 1 when the job failed.
     */
    public static void main(String[] args) {
        JobOptions options;
        try {
            options = JobOptions.parse(Arrays.asList(args), System.getenv());
        } catch (JobOptions.UsageException e) {
            System.err.println("TicketTriageJob: " + e.getMessage());
            System.err.println();
            System.err.print(JobOptions.USAGE);
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("dspy4j ticket triage").getOrCreate();
        try {
            run(spark, options, System.out);
        } finally {
            spark.stop();
        }
    }

    /**
     * Runs the job on an existing session: the predictions (or, with {@code --evaluate}, the
     * evaluation) and the summary on {@code out}.
     *
     * @param args the job's arguments, as {@link JobOptions#USAGE}
     * @param environment where defaults come from (the driver's environment in {@link #main})
     * @return what the job did
     * @throws JobOptions.UsageException if the arguments do not parse
     * @throws IllegalArgumentException if a column is missing or the saved program does not load
     */
    public static Summary run(SparkSession spark, List<String> args, Map<String, String> environment,
                              PrintStream out) {
        return run(spark, JobOptions.parse(args, environment), out);
    }

    static Summary run(SparkSession spark, JobOptions options, PrintStream out) {
        SparkPredict predict = predict(options);
        Dataset<Row> tickets = read(spark, options);
        if (options.evaluate()) {
            return evaluate(predict, tickets, options, out);
        }
        String output = options.output().orElseThrow().toString();
        long start = System.nanoTime();
        Dataset<Row> predicted = predict.predict(tickets);
        predicted.write().mode(options.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                .format(options.outputFormat())
                .option("ignoreNullFields", "false")   // JSON: keep "error": null, so the column always exists
                .save(output);
        double seconds = (System.nanoTime() - start) / 1e9;

        // the summary from what was written: no second pass over the LM
        Dataset<Row> written = spark.read().schema(predicted.schema()).format(options.outputFormat()).load(output);
        Column failed = col("error").isNotNull();
        Column cached = col("error").isNull().and(coalesce(col("usage.total_tokens"), lit(0L)).equalTo(0L));
        Row totals = written.agg(count(lit(1)), sum(when(failed, 1).otherwise(0)),
                sum(when(cached, 1).otherwise(0)), sum(coalesce(col("usage.total_tokens"), lit(0L)))).first();
        long rows = totals.getLong(0);
        long failures = totals.isNullAt(1) ? 0 : totals.getLong(1);
        long fromCache = totals.isNullAt(2) ? 0 : totals.getLong(2);
        long tokens = totals.isNullAt(3) ? 0 : totals.getLong(3);
        Map<String, Long> byType = new TreeMap<>();
        for (Row row : written.where(failed).groupBy(substring_index(col("error"), ":", 1).as("type")).count()
                .collectAsList()) {
            byType.put(row.getString(0), row.getLong(1));
        }
        Summary summary = new Summary(rows, rows - failures, failures, byType, fromCache, tokens, seconds);
        out.println(summary.describe());
        out.println("ticket-triage: wrote " + options.outputFormat() + " to " + output);
        return summary;
    }

    /** The batch predict the job runs: the bundled (or given) program, the LM, cache and limit. */
    static SparkPredict predict(JobOptions options) {
        SparkProgram program = SparkProgram.predict(SIGNATURE);
        program = options.program().isPresent()
                ? program.withStateFile(options.program().get())
                : program.withState(bundledProgram());
        LmConfig.Builder lm = LmConfig.builder(options.model());
        options.baseUrl().ifPresent(lm::apiBase);
        options.apiKeyVariable().ifPresent(lm::apiKeyFromEnv);
        SparkPredict.Builder predict = SparkPredict.builder()
                .program(program)
                .lm(lm.build())
                .maxInFlight(options.maxInFlight())
                .input("ticket_text", options.ticketColumn())
                .output("category", PREDICTION_COLUMN);
        options.redisUrl().ifPresent(url -> predict.cache(CacheConfig.redis(url).ttl(options.cacheTtl())));
        if (options.requestsPerMinute() > 0) {
            // the bucket lives in the cache's Redis; its name defaults to the model
            predict.rateLimit(RateLimitConfig.requestsPerMinute(options.requestsPerMinute()));
        }
        return predict.build();
    }

    /** The bundled saved program's JSON text. */
    static String bundledProgram() {
        try (InputStream in = TicketTriageJob.class.getResourceAsStream(BUNDLED_PROGRAM)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED_PROGRAM + " is missing from the job jar's resources "
                        + "(dev/dspy4j/spark/example/); rebuild the jar or pass --program");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Dataset<Row> read(SparkSession spark, JobOptions options) {
        String path = options.input().toString();
        Dataset<Row> tickets = options.inputFormat().equals("parquet")
                ? spark.read().parquet(path) : spark.read().json(path);
        return options.partitions() > 0 ? tickets.repartition(options.partitions()) : tickets;
    }

    private static Summary evaluate(SparkPredict predict, Dataset<Row> tickets, JobOptions options,
                                    PrintStream out) {
        long start = System.nanoTime();
        EvaluationResult result = SparkEvaluate.builder()
                .predict(predict)
                .metric("exact_match", SparkMetric.exactMatch("category"))
                .label("category", options.labelColumn())
                .build()
                .run(tickets);
        double seconds = (System.nanoTime() - start) / 1e9;
        long rows = result.total();
        long failures = result.errors();
        Map<String, Long> byType = new TreeMap<>();
        result.results().stream().filter(ExampleResult::failed).forEach(r -> byType.merge(
                r.error() == null ? "Error" : typeName(r.error()), 1L, Long::sum));
        Summary summary = new Summary(rows, rows - failures, failures, byType, -1, -1, seconds);
        out.println(summary.describe());
        out.printf(Locale.ROOT, "ticket-triage: exact_match %.2f on %d tickets (%d failed, scored 0)%n",
                result.score(), rows, failures);
        return summary;
    }

    private static String typeName(Throwable error) {
        Class<?> type = error.getClass();
        String name = type.getSimpleName();
        for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
            name = outer.getSimpleName() + "." + name;
        }
        return name;
    }

    /**
     * What a run did.
     *
     * @param rows the rows read (and written)
     * @param answered rows with an answer
     * @param failed rows that carry an error instead
     * @param failedByType failed rows by error type (e.g. {@code LmException.BadRequest})
     * @param fromCache answered rows that cost no tokens: every call served from the cache (or a
     *     provider that reports no usage at all); -1 if unknown
     * @param tokens tokens paid for (prompt plus completion); -1 if unknown
     * @param seconds wall time of the Spark job (reading, predicting, writing)
     */
    public record Summary(long rows, long answered, long failed, Map<String, Long> failedByType, long fromCache,
                          long tokens, double seconds) {

        /** Rows per second over the whole job. */
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : 0;
        }

        /** The summary line the job prints. */
        public String describe() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "ticket-triage: %d rows in %.1f s (%.1f rows/s): %d answered, %d failed",
                    rows, seconds, rowsPerSecond(), answered, failed));
            if (!failedByType.isEmpty()) {
                text.append(' ').append(failedByType);
            }
            if (fromCache >= 0) {
                text.append(", ").append(fromCache).append(" served from the cache");
            }
            if (tokens >= 0) {
                text.append(", ").append(tokens).append(" tokens paid for");
            }
            return text.toString();
        }
    }
}
