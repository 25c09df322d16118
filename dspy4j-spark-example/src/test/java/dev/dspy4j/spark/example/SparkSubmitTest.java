package dev.dspy4j.spark.example;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.SimulatedTicketModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shaded job jar as a cluster runs it: Spark's own {@code SparkSubmit} in a separate JVM whose
 * class path is Spark's jars only, {@code --master local[2]}, against the simulated ticket model on
 * loopback. Runs in the {@code package} phase, after the shade plugin made the jar.
 */
class SparkSubmitTest {

    private static final String API_KEY = "sk-spark-submit-canary-7f3a";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("dspy4j.spark.job.jar", "target/dspy4j-spark-example-job.jar"));
        assumeThat(jar).as("the shaded job jar (built by mvn package)").exists();
        // -Dtest=... also runs this class in the test phase, before the shade: skip a jar older
        // than the classes it should contain; the package phase runs it on the fresh jar
        Path classes = jar.resolveSibling("classes").resolve("dev/dspy4j/spark/example/TicketTriageJob.class");
        try {
            assumeThat(Files.getLastModifiedTime(jar)).as("the job jar is newer than the compiled job (else stale)")
                    .isGreaterThanOrEqualTo(Files.getLastModifiedTime(classes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    private SparkSubmitProcess.Outcome submit(FakeLmServer server, String... jobArgs)
            throws IOException, InterruptedException {
        return SparkSubmitProcess.run(dir, environment(server), 240, submitArgs(jobArgs));
    }

    private static Map<String, String> environment(FakeLmServer server) {
        return Map.of("OPENAI_API_KEY", API_KEY, "DSPY4J_MODEL", "openai/gpt-4o-mini",
                "OPENAI_BASE_URL", server.baseUrl().toString());
    }

    private static List<String> submitArgs(String... jobArgs) {
        List<String> args = new ArrayList<>(List.of("--master", "local[2]",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.log.level=WARN",
                "--class", "dev.dspy4j.spark.example.TicketTriageJob",
                jar().toAbsolutePath().toString()));
        args.addAll(List.of(jobArgs));
        return args;
    }

    @Test
    void theJobJarCarriesDspy4jJacksonAndJedisButNotSpark() throws IOException {
        try (ZipFile zip = new ZipFile(jar().toFile())) {
            Set<String> names = new java.util.HashSet<>();
            zip.stream().forEach(entry -> names.add(entry.getName()));
            assertThat(names).contains("dev/dspy4j/spark/example/TicketTriageJob.class",
                    "dev/dspy4j/spark/example/ticket-triage.json", "dev/dspy4j/spark/SparkPredict.class",
                    "dev/dspy4j/cache/redis/RedisCache.class", "tools/jackson/databind/ObjectMapper.class",
                    "redis/clients/jedis/JedisPool.class");
            assertThat(names).noneMatch(name -> name.startsWith("org/apache/spark/") || name.startsWith("scala/")
                    || name.startsWith("org/slf4j/") || name.startsWith("com/fasterxml/jackson/databind/"));
        }
    }

    @Test
    void sparkSubmitRunsTheJobJarAndWritesEveryTicket() throws Exception {
        Path input = dir.resolve("tickets.jsonl");
        GenerateTickets.write(input, "submit", 30);
        Path output = dir.resolve("triaged");
        try (FakeLmServer server = TicketLm.start()) {
            server.requireApiKey(API_KEY);   // the key reached the executor from its environment

            // when
            SparkSubmitProcess.Outcome outcome = submit(server, "--input", input.toString(),
                    "--output", output.toString(), "--max-in-flight", "4", "--partitions", "2");

            // then
            assertThat(outcome.exitCode()).as(SparkSubmitProcess.tail(outcome.err())).isZero();
            assertThat(outcome.out()).contains("ticket-triage: 30 rows in ", "27 answered, 3 failed");
            assertThat(outcome.out() + outcome.err()).doesNotContain(API_KEY);
            List<JsonNode> rows = new ArrayList<>();
            try (Stream<Path> files = Files.list(output)) {
                for (Path part : files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                    for (String line : Files.readAllLines(part)) {
                        rows.add(JSON.readTree(line));
                    }
                }
            }
            assertThat(rows).hasSize(30);
            assertThat(rows).extracting(row -> row.path("id").asLong()).doesNotHaveDuplicates();
            for (JsonNode row : rows) {
                if (TicketLm.failing(row.path("id").asLong())) {
                    assertThat(row.path("error").asString()).startsWith("AdapterParseException");
                } else {
                    assertThat(row.path("error").isNull()).as(row.toString()).isTrue();
                    assertThat(row.path(TicketTriageJob.PREDICTION_COLUMN).asString())
                            .isIn("billing", "technical", "account");
                    assertThat(row.path("usage").path("total_tokens").asLong()).as(row.toString()).isPositive();
                }
            }
        }
    }

    @Test
    void sparkSubmitRunsTheDistributedEvaluate() throws Exception {
        Path input = dir.resolve("tickets.jsonl");
        GenerateTickets.write(input, "submit-eval", 20);
        try (FakeLmServer server = TicketLm.start()) {
            SparkSubmitProcess.Outcome outcome = submit(server, "--input", input.toString(), "--evaluate");

            assertThat(outcome.exitCode()).as(SparkSubmitProcess.tail(outcome.err())).isZero();
            assertThat(outcome.out()).containsPattern("exact_match \\d+\\.\\d\\d on 20 tickets \\(2 failed, scored 0\\)");
        }
    }

    @Test
    void aKilledJobRunAgainAsksOnlyForTheTicketsItHadNotAnswered() throws Exception {
        // given 200 distinct tickets, a model that answers every one after 50 ms, the shared cache
        String redis = LocalRedis.url("the Spark example job tests");
        String prefix = "resume-" + UUID.randomUUID();
        Path input = dir.resolve("tickets.jsonl");
        GenerateTickets.write(input, prefix, 200);
        Path output = dir.resolve("triaged");
        String[] job = {"--input", input.toString(), "--output", output.toString(), "--overwrite", "--redis", redis,
            "--max-in-flight", "4", "--partitions", "2"};
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            server.respondWith(new SimulatedTicketModel()).latency(Duration.ofMillis(50));

            // when the first run's JVM is killed (SIGKILL) once the model has seen 60 requests
            Path first = Files.createDirectories(dir.resolve("first"));
            Process process = SparkSubmitProcess.start(first, environment(server), submitArgs(job));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (server.requestCount() < 60 && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Set<String> askedFirst = tickets(server.requests());
            assertThat(askedFirst).as("the first run was killed part-way").hasSizeBetween(60, 199);
            server.reset();

            // and the job is run again
            Path second = Files.createDirectories(dir.resolve("second"));
            SparkSubmitProcess.Outcome outcome = SparkSubmitProcess.waitFor(
                    SparkSubmitProcess.start(second, environment(server), submitArgs(job)), second, 240);

            // then it completes, and asks only for tickets it had not answered: at most the rows that
            // were in flight when it was killed (2 partitions x 8 rows) are asked twice
            assertThat(outcome.exitCode()).as(SparkSubmitProcess.tail(outcome.err())).isZero();
            Set<String> askedSecond = tickets(server.requests());
            Set<String> askedTwice = new HashSet<>(askedSecond);
            askedTwice.retainAll(askedFirst);
            assertThat(askedTwice).hasSizeLessThanOrEqualTo(16);
            assertThat(askedSecond.size()).isEqualTo(server.requestCount());
            assertThat(askedFirst.size() + askedSecond.size() - askedTwice.size()).isEqualTo(200);
            int fromCache = 200 - askedSecond.size();
            assertThat(outcome.out()).contains("ticket-triage: 200 rows in ", "200 answered, 0 failed, "
                    + fromCache + " served from the cache");
        }
    }

    /** The ticket texts of the requests (the last user message's ticket_text field). */
    private static Set<String> tickets(List<RecordedRequest> requests) {
        Set<String> tickets = new HashSet<>();
        for (RecordedRequest request : requests) {
            String user = request.lastUserText();
            int start = user.indexOf("[[ ## ticket_text ## ]]\n") + "[[ ## ticket_text ## ]]\n".length();
            int end = user.indexOf("\n", start);
            tickets.add(user.substring(start, end < 0 ? user.length() : end).strip());
        }
        return tickets;
    }
}
