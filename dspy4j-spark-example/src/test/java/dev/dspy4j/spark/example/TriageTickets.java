package dev.dspy4j.spark.example;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.dspy4j.spark.CacheConfig;
import dev.dspy4j.spark.LmConfig;
import dev.dspy4j.spark.RateLimitConfig;
import dev.dspy4j.spark.SparkPredict;
import dev.dspy4j.spark.SparkProgram;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The complete job of docs/spark.md, compiled: {@link SparkDocSnippetsTest} checks that the doc's
 * block is this class's text. Not run (it needs a cluster's paths).
 */
public final class TriageTickets {

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("triage").getOrCreate();

        SparkPredict triage = SparkPredict.builder()
                .program(SparkProgram.predict("ticket_text -> category")
                        .withStateFile(Path.of("ticket-triage.json")))   // DSPy's saved JSON, read on the driver
                .lm(LmConfig.builder("openai/gpt-4o-mini")
                        .apiKeyFromEnv("OPENAI_API_KEY")                 // the name travels; executors read the value
                        .temperature(0.0)
                        .build())
                .cache(CacheConfig.redis("redis://cache.internal:6379").ttl(Duration.ofDays(7)))
                .rateLimit(RateLimitConfig.requestsPerMinute(5_000).tokensPerMinute(2_000_000))
                .maxInFlight(4)                                          // LM calls at once, per executor
                .input("ticket_text", "body")                            // the field's column
                .output("category", "predicted_category")                // the output's column
                .build();

        Dataset<Row> tickets = spark.read().json("s3a://support/tickets/2026-12-05/");
        Dataset<Row> triaged = triage.predict(tickets);   // checked now, on the driver; runs on write
        triaged.write().mode(SaveMode.Overwrite).parquet("s3a://support/triaged/2026-12-05/");

        Dataset<Row> written = spark.read().parquet("s3a://support/triaged/2026-12-05/");
        long failed = written.where(col("error").isNotNull()).count();
        long tokens = written.agg(sum(col("usage.total_tokens"))).first().getLong(0);
        System.out.println(failed + " tickets failed; " + tokens + " tokens paid for");
        spark.stop();
    }
}
