package dev.dspy4j.spark;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** A job killed mid-way and run again completes from the shared cache without paying twice. */
class ResumableJobTest {

    private static final int ROWS = 600;

    private FakeLmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLmServer.start(Dialect.OPENAI).latency(Duration.ofMillis(10))
                .respondWith(request -> SparkTests.chat("answer", "answer-" + SparkTests.id(request)));
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void aCancelledJobRunAgainPaysOnlyForTheRowsItHadNotAnswered() throws Exception {
        String prefix = SparkTests.freshPrefix();
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.predict("question -> answer"))
                .lm(LmConfig.builder("openai/test-model").apiBase(server.baseUrl().toString()).apiKey("sk-test").build())
                .cache(CacheConfig.redis(LocalRedis.url("the Spark tests")).keyPrefix(prefix))
                .maxInFlight(4).rowsInFlight(8).build();
        Thread watcher = Thread.ofVirtual().start(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.requestCount() < 100 && System.nanoTime() < deadline) {
                sleep(5);
            }
            SparkTests.spark().sparkContext().cancelAllJobs();
        });

        // when: the first run is cancelled after about 100 calls
        assertThatThrownBy(() -> predict.predict(SparkTests.questions(ROWS, 2)).collectAsList())
                .hasMessageContaining("cancel");
        watcher.join(TimeUnit.SECONDS.toMillis(60));
        sleep(300);   // let the killed tasks' last calls end
        int paidFirst = server.requestCount();
        long stored = storedAnswers(prefix);
        assertThat(stored).isPositive().isLessThan(ROWS);
        assertThat(paidFirst).isLessThan(ROWS);

        // when: run again
        server.reset();
        List<Row> rows = predict.predict(SparkTests.questions(ROWS, 2)).collectAsList();

        // then: complete, and only the rows without a stored answer were requested, once each
        assertThat(rows).hasSize(ROWS).allSatisfy(r -> {
            assertThat(r.<String>getAs("error")).isNull();
            assertThat(r.<String>getAs("answer")).isEqualTo("answer-" + r.getAs("id"));
        });
        Set<Integer> requested = new TreeSet<>();
        server.requests().forEach(r -> requested.add(SparkTests.id(r)));
        assertThat(server.requestCount()).isEqualTo(ROWS - stored).isEqualTo(requested.size());
        assertThat(rows).filteredOn(r -> r.<Row>getAs("usage").getLong(2) == 0).hasSize((int) stored)
                .allSatisfy(r -> assertThat(requested).doesNotContain(r.<Long>getAs("id").intValue()));
    }

    private static long storedAnswers(String prefix) {
        try (Jedis jedis = new Jedis(URI.create(LocalRedis.url("the Spark tests")))) {
            return jedis.keys(prefix + "*").size();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
