package dev.dspy4j.spark;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.Runner;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.Fault;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of issue 15: 10,000 rows with 10 % injected faults on local[2], against the
 * loopback LM server and the real Redis.
 */
class SparkPredictAtScaleTest {

    private static final int ROWS = 10_000;

    private FakeLmServer server;
    private final Set<Integer> unavailableOnce = ConcurrentHashMap.newKeySet();

    /** 5 %: HTTP 400, on every attempt. */
    static boolean badRequest(int id) {
        return id % 20 == 3;
    }

    /** 5 %: a reply without the output fields, which no adapter can parse. */
    static boolean malformed(int id) {
        return id % 20 == 7;
    }

    /** 2 %: HTTP 503 on the first attempt only; the retry fixes it. */
    static boolean transientFault(int id) {
        return id % 50 == 11;
    }

    @BeforeEach
    void startServer() {
        server = FakeLmServer.start(Dialect.OPENAI).latency(Duration.ofMillis(2)); // so calls overlap
        server.respondWith(request -> {
            int id = SparkTests.id(request);
            return malformed(id) ? Reply.text("I would rather not say.").withUsage(10, 5)
                    : SparkTests.chat("answer", "answer-" + id);
        });
        armFaults();
    }

    /** The faults, by row id (reset() clears them). */
    private void armFaults() {
        unavailableOnce.clear();
        server.faults()
                .when(request -> badRequest(SparkTests.id(request)), new Fault.HttpError(400, "invalid_request_error"))
                .when(request -> transientFault(SparkTests.id(request)) && unavailableOnce.add(SparkTests.id(request)),
                        Fault.serviceUnavailable());
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void everyRowIsAnsweredOrCarriesItsErrorAsALocalBatchAndASecondRunIsServedFromRedis() {
        LmConfig lm = LmConfig.builder("openai/test-model").apiBase(server.baseUrl().toString()).apiKey("sk-test")
                .retryInitialDelay(Duration.ZERO).build();
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.predict("question -> answer")).lm(lm)
                .cache(CacheConfig.redis(LocalRedis.url("the Spark tests")).keyPrefix(SparkTests.freshPrefix()))
                .maxInFlight(16).rowsInFlight(32).build();

        // given: the same rows run locally with the same LM configuration
        List<String> local = localBatch(predict.program().build(), lm);
        server.reset();
        armFaults();

        // when
        List<Row> first = predict.predict(SparkTests.questions(ROWS, 4)).collectAsList();

        // then: every row once, in order, answered or carrying its error, as locally
        assertThat(first).hasSize(ROWS);
        assertThat(first).extracting(r -> r.<Long>getAs("id")).isSorted().doesNotHaveDuplicates();
        assertThat(outcomes(first)).isEqualTo(local);
        assertThat(first).filteredOn(r -> r.getAs("error") != null).hasSize(ROWS / 10);
        assertThat(first).filteredOn(r -> transientFault(r.<Long>getAs("id").intValue()))
                .allSatisfy(r -> assertThat(r.<String>getAs("error")).isNull());
        assertThat(first).allSatisfy(r -> assertThat(r.<String>getAs("question")).isEqualTo("q-" + r.getAs("id")));
        assertThat(server.maxConcurrentRequests()).as("calls in flight at the server").isBetween(2, 16);
        long paidFirst = first.stream().mapToLong(r -> r.<Row>getAs("usage").getLong(2)).sum();
        assertThat(paidFirst).isPositive();

        // when: the same job again
        server.reset();
        armFaults();
        List<Row> second = predict.predict(SparkTests.questions(ROWS, 4)).collectAsList();

        // then: the same results; only rows without a stored answer (the 400s) reach the server again
        assertThat(outcomes(second)).isEqualTo(local);
        Set<Integer> requested = new TreeSet<>();
        server.requests().forEach(r -> requested.add(SparkTests.id(r)));
        assertThat(requested).allSatisfy(id -> assertThat(badRequest(id)).as("row %d requested again", id).isTrue());
        assertThat(second).filteredOn(r -> r.getAs("error") == null)
                .allSatisfy(r -> assertThat(r.<Row>getAs("usage").getLong(2)).isZero());
    }

    /** Per row: "answer: <answer>" or "error: <type>". */
    private static List<String> outcomes(List<Row> rows) {
        List<String> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            String error = row.getAs("error");
            out.add(error == null ? "answer: " + row.getAs("answer") : "error: " + error.split(":", 2)[0]);
        }
        return out;
    }

    private List<String> localBatch(Module program, LmConfig config) {
        List<Example> examples = new ArrayList<>(ROWS);
        for (int id = 0; id < ROWS; id++) {
            examples.add(Example.of("question", "q-" + id).withInputs("question"));
        }
        try (Lm lm = config.lm()) {
            RunResult<Prediction> result = program.batch(examples, Runner.builder().concurrency(16)
                    .maxErrors(Integer.MAX_VALUE).context(DspyContext.of(lm)).build());
            List<String> out = new ArrayList<>(ROWS);
            for (ItemResult<Prediction> item : result.items()) {
                out.add(switch (item) {
                    case ItemResult.Succeeded<Prediction> ok -> "answer: " + ok.value().get("answer");
                    case ItemResult.Failed<Prediction> failed -> "error: " + Errors.typeName(failed.error());
                    case ItemResult.Cancelled<Prediction> cancelled -> "cancelled";
                });
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
