package dev.dspy4j.spark.example;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.provider.Lms;
import dev.dspy4j.testkit.server.FakeLmServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The job's entry point in process, on {@code local[2]}, against the simulated ticket model on loopback. */
class TicketTriageJobTest {

    private static final Set<String> QUEUES = Set.of("billing", "technical", "account");
    private static final String MODEL = "openai/gpt-4o-mini";

    private static SparkSession spark;
    private static FakeLmServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSparkAndTheModel() {
        spark = SparkSession.builder().master("local[2]").appName("TicketTriageJobTest")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        server = TicketLm.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (spark != null) {
            spark.stop();
        }
    }

    private record Run(TicketTriageJob.Summary summary, String out) {}

    private Run run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TicketTriageJob.Summary summary = TicketTriageJob.run(spark, List.of(args), environment, out);
        return new Run(summary, bytes.toString(StandardCharsets.UTF_8));
    }

    private Path tickets(String prefix, int rows) {
        Path file = dir.resolve(prefix + ".jsonl");
        GenerateTickets.write(file, prefix, rows);
        return file;
    }

    @Test
    void writesEveryTicketWithItsQueueOrItsErrorAndPrintsTheSummary() {
        // given 40 tickets, of which ids 9, 19, 29, 39 get an unparseable reply
        Path input = tickets("write", 40);
        Path output = dir.resolve("triaged");

        // when
        Run run = run(Map.of("DSPY4J_MODEL", MODEL, "OPENAI_BASE_URL", server.baseUrl().toString()),
                "--input", input.toString(), "--output", output.toString(), "--max-in-flight", "4",
                "--partitions", "2");

        // then every row is there once, answered or carrying its error
        List<Row> rows = spark.read().json(output.toString()).orderBy("id").collectAsList();
        assertThat(rows).extracting(row -> row.getLong(row.fieldIndex("id")))
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 40).boxed().toList());
        for (Row row : rows) {
            long id = row.getLong(row.fieldIndex("id"));
            String error = row.getString(row.fieldIndex("error"));
            String predicted = row.getString(row.fieldIndex(TicketTriageJob.PREDICTION_COLUMN));
            if (TicketLm.failing(id)) {
                assertThat(error).as("row %d", id).startsWith("AdapterParseException").contains(TicketLm.UNPARSEABLE);
                assertThat(predicted).isNull();
            } else {
                assertThat(error).as("row %d", id).isNull();
                assertThat(predicted).isIn(QUEUES);
            }
            assertThat(row.getString(row.fieldIndex("ticket_text"))).contains("item " + id);
        }
        assertThat(run.summary().rows()).isEqualTo(40);
        assertThat(run.summary().answered()).isEqualTo(36);
        assertThat(run.summary().failed()).isEqualTo(4);
        assertThat(run.summary().failedByType()).isEqualTo(Map.of("AdapterParseException", 4L));
        assertThat(run.summary().fromCache()).isZero();
        assertThat(run.out()).contains("ticket-triage: 40 rows in ", "36 answered, 4 failed {AdapterParseException=4}",
                "0 served from the cache", "wrote json to " + output);
    }

    @Test
    void distributedEvaluateScoresAsLocalEvaluateOfTheSameProgramAndTickets() {
        // given
        Path input = tickets("evaluate", 30);
        Lm lm = Lms.builder(MODEL).environment(Map.of("OPENAI_BASE_URL", server.baseUrl().toString()))
                .cache(false).build();
        Module program = Predict.of(TicketTriageJob.SIGNATURE);
        program = program.withState(ProgramState.fromJson(TicketTriageJob.bundledProgram(), "bundled", program,
                settings -> lm));
        List<Example> devset = new ArrayList<>();
        for (Map<String, Object> row : GenerateTickets.tickets("evaluate", 30)) {
            devset.add(Example.of(row).withInputs("ticket_text"));
        }
        EvaluationResult local = Evaluate.builder().devset(devset)
                .metric(Metric.of((example, prediction) -> example.get("category").equals(prediction.get("category"))))
                .build().run(program, DspyContext.of(lm));

        // when
        Run run = run(Map.of("DSPY4J_MODEL", MODEL),
                "--input", input.toString(), "--evaluate", "--base-url", server.baseUrl().toString());

        // then
        assertThat(local.errors()).isEqualTo(3);
        assertThat(run.summary().failed()).isEqualTo(3);
        assertThat(run.out()).contains(String.format(java.util.Locale.ROOT,
                "exact_match %.2f on 30 tickets (3 failed, scored 0)", local.score()));
    }

    @Test
    void aSecondRunIsServedFromTheSharedRedisCache() {
        // given a first run that answered every ticket into Redis, under a prefix of this run
        String redis = LocalRedis.url("the Spark example job tests");
        Path input = tickets("cached-" + UUID.randomUUID(), 20);
        Map<String, String> environment = Map.of("DSPY4J_MODEL", MODEL, "DSPY4J_REDIS_URL", redis);
        Run first = run(environment, "--input", input.toString(), "--output", dir.resolve("first").toString(),
                "--base-url", server.baseUrl().toString());
        int requestsAfterFirst = server.requestCount();

        // when
        Run second = run(environment, "--input", input.toString(), "--output", dir.resolve("second").toString(),
                "--base-url", server.baseUrl().toString());

        // then no request at all: the answers are in Redis, and so are the unparseable replies of
        // the two failing rows (the LM did answer; the adapter could not read it), which fail again
        assertThat(first.summary().fromCache()).isZero();
        assertThat(first.summary().tokens()).isPositive();
        assertThat(server.requestCount()).as("requests of the second run").isEqualTo(requestsAfterFirst);
        assertThat(second.summary().answered()).isEqualTo(18);
        assertThat(second.summary().failed()).isEqualTo(2);
        assertThat(second.summary().fromCache()).isEqualTo(18);
        assertThat(second.summary().tokens()).isZero();
        assertThat(second.out()).contains("18 served from the cache, 0 tokens paid for");
    }

    @Test
    void readsAndWritesParquetUnderTheRateLimitSharedInRedis() {
        // given tickets as parquet, and a model name of this test's own (the bucket is named after it)
        String redis = LocalRedis.url("the Spark example job tests");
        String model = "openai/triage-" + UUID.randomUUID();
        Path parquet = dir.resolve("tickets.parquet");
        spark.read().json(tickets("parquet", 12).toString()).write().parquet(parquet.toString());
        Path output = dir.resolve("triaged.parquet");

        // when
        Run run = run(Map.of("DSPY4J_MODEL", model, "DSPY4J_REDIS_URL", redis,
                        "OPENAI_BASE_URL", server.baseUrl().toString()),
                "--input", parquet.toString(), "--output", output.toString(), "--output-format", "parquet",
                "--rpm", "6000");

        // then the columns keep their types, and the calls took their permits from the shared bucket
        var written = spark.read().parquet(output.toString());
        assertThat(written.schema().apply(TicketTriageJob.PREDICTION_COLUMN).dataType().simpleString())
                .isEqualTo("string");
        assertThat(written.schema().apply("usage").dataType().simpleString())
                .isEqualTo("struct<prompt_tokens:bigint,completion_tokens:bigint,total_tokens:bigint>");
        assertThat(written.schema().apply("latency_ms").dataType().simpleString()).isEqualTo("bigint");
        assertThat(written.count()).isEqualTo(12);
        assertThat(run.summary().answered()).isEqualTo(11);
        assertThat(run.summary().failed()).isEqualTo(1);
        try (Jedis jedis = new Jedis(URI.create(redis))) {
            assertThat(jedis.exists("dspy4j:ratelimit:" + model)).as("the rate-limit bucket in Redis").isTrue();
        }
    }

    @Test
    void aMissingTicketColumnFailsBeforeAnyCallNamingTheColumnsThatExist() {
        Path input = tickets("columns", 3);
        int before = server.requestCount();

        assertThatThrownBy(() -> run(Map.of("DSPY4J_MODEL", MODEL), "--input", input.toString(),
                "--output", dir.resolve("out").toString(), "--base-url", server.baseUrl().toString(),
                "--ticket-column", "body"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'body'").hasMessageContaining("ticket_text").hasMessageContaining("id");
        assertThat(server.requestCount()).isEqualTo(before);
    }

    @Test
    void usageErrorsNameTheOptionAndWhatToDo() {
        assertThatThrownBy(() -> JobOptions.parse(List.of("--output", "x"), Map.of("DSPY4J_MODEL", MODEL)))
                .hasMessageContaining("--input is required");
        assertThatThrownBy(() -> JobOptions.parse(List.of("--input", "x", "--output", "y"), Map.of()))
                .hasMessageContaining("--lm").hasMessageContaining("DSPY4J_MODEL");
        assertThatThrownBy(() -> JobOptions.parse(List.of("--input", "x", "--evaluate", "--rpm", "600"),
                Map.of("DSPY4J_MODEL", MODEL)))
                .hasMessageContaining("--rpm needs a Redis");
        assertThatThrownBy(() -> JobOptions.parse(List.of("--input", "x", "--evaluate", "--max-in-flight", "0"),
                Map.of("DSPY4J_MODEL", MODEL)))
                .hasMessageContaining("--max-in-flight must be a whole number of at least 1, got 0");
        assertThat(JobOptions.parse(List.of("--input", "t.parquet", "--evaluate", "--cache-ttl", "12h"),
                Map.of("DSPY4J_MODEL", MODEL, "OPENAI_API_BASE", "http://127.0.0.1:9/v1")))
                .satisfies(options -> {
                    assertThat(options.inputFormat()).isEqualTo("parquet");
                    assertThat(options.baseUrl()).contains("http://127.0.0.1:9/v1");
                    assertThat(options.cacheTtl()).hasHours(12);
                });
    }
}
