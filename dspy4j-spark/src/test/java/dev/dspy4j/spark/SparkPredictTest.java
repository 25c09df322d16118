package dev.dspy4j.spark;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SparkPredictTest {

    private FakeLmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLmServer.start(Dialect.OPENAI);
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    private LmConfig.Builder lm() {
        return LmConfig.builder("openai/test-model").apiBase(server.baseUrl().toString()).apiKey("sk-test")
                .retryInitialDelay(Duration.ZERO);
    }

    private SparkPredict.Builder qa() {
        return SparkPredict.builder().program(SparkProgram.predict("question -> answer")).lm(lm().build());
    }

    @Test
    void typedOutputsBecomeTypedColumnsWithRecordsAsStructs() {
        server.respondWith(request -> SparkTests.chat("answer", "yes", "score", "0.5", "count", "3",
                "tags", "[\"a\", \"b\"]", "ok", "True", "address", "{\"city\": \"Oslo\", \"zip\": 150}",
                "stock", "{\"apples\": 2}"));
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.of(TypedProgram.class)).lm(lm().build())
                .build();

        Dataset<Row> out = predict.predict(SparkTests.questions(3, 2));
        List<Row> rows = out.collectAsList();

        StructType address = new StructType().add("city", DataTypes.StringType).add("zip", DataTypes.LongType);
        assertThat(out.schema().fieldNames()).containsExactly("id", "question", "answer", "score", "count", "tags",
                "ok", "address", "stock", "error", "usage", "latency_ms");
        assertThat(out.schema().apply("score").dataType()).isEqualTo(DataTypes.DoubleType);
        assertThat(out.schema().apply("count").dataType()).isEqualTo(DataTypes.LongType);
        assertThat(out.schema().apply("tags").dataType()).isEqualTo(DataTypes.createArrayType(DataTypes.StringType));
        assertThat(out.schema().apply("ok").dataType()).isEqualTo(DataTypes.BooleanType);
        assertThat(out.schema().apply("address").dataType()).isEqualTo(address);
        assertThat(out.schema().apply("stock").dataType())
                .isEqualTo(DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));
        assertThat(rows).hasSize(3);
        Row first = rows.getFirst();
        assertThat(first.<String>getAs("error")).isNull();
        assertThat(first.<String>getAs("answer")).isEqualTo("yes");
        assertThat(first.<Double>getAs("score")).isEqualTo(0.5);
        assertThat(first.<Long>getAs("count")).isEqualTo(3L);
        assertThat(first.getList(first.fieldIndex("tags"))).containsExactly("a", "b");
        assertThat(first.<Boolean>getAs("ok")).isTrue();
        Row city = first.getAs("address");
        assertThat(city.getString(0)).isEqualTo("Oslo");
        assertThat(city.getLong(1)).isEqualTo(150L);
        assertThat(first.getJavaMap(first.fieldIndex("stock"))).containsEntry("apples", 2L);
        Row usage = first.getAs("usage");
        assertThat(usage.getLong(2)).isEqualTo(15L);
    }

    @Test
    void theNamedAdapterFormatsThePromptsOnTheExecutors() {
        // XML prompts get an XML answer; any other format gets one no adapter can parse
        server.respondWith(request -> request.bodyText().contains("<answer>")
                ? Reply.text("<answer>from xml</answer>").withUsage(10, 5)
                : Reply.text("no format I know").withUsage(10, 5));

        List<Row> xml = qa().adapter(SparkAdapter.XML).build().predict(SparkTests.questions(4, 2)).collectAsList();
        List<Row> chat = qa().build().predict(SparkTests.questions(2, 1)).collectAsList();

        assertThat(xml).allSatisfy(row -> {
            assertThat(row.<String>getAs("error")).isNull();
            assertThat(row.<String>getAs("answer")).isEqualTo("from xml");
        });
        assertThat(chat).allSatisfy(row -> assertThat(row.<String>getAs("error")).startsWith("AdapterParseException"));
    }

    @Test
    void recordsCanBeFlattenedIntoOneColumnPerComponent() {
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.of(TypedProgram.class)).lm(lm().build())
                .recordLayout(RecordLayout.FLATTENED).build();

        StructType schema = predict.outputSchema(SparkTests.QUESTIONS);

        assertThat(schema.fieldNames()).containsExactly("id", "question", "answer", "score", "count", "tags", "ok",
                "address_city", "address_zip", "stock", "error", "usage", "latency_ms");
        assertThat(schema.apply("address_zip").dataType()).isEqualTo(DataTypes.LongType);
    }

    @Test
    void flattenedRecordsCarryTheirComponents() {
        server.respondWith(request -> SparkTests.chat("answer", "yes", "score", "1", "count", "1", "tags", "[]",
                "ok", "False", "address", "{\"city\": \"Rome\", \"zip\": 7}", "stock", "{}"));
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.of(TypedProgram.class)).lm(lm().build())
                .recordLayout(RecordLayout.FLATTENED).build();

        Row row = predict.predict(SparkTests.questions(1, 1)).collectAsList().getFirst();

        assertThat(row.<String>getAs("address_city")).isEqualTo("Rome");
        assertThat(row.<Long>getAs("address_zip")).isEqualTo(7L);
        assertThat(row.getList(row.fieldIndex("tags"))).isEmpty();
    }

    @Test
    void anInputFieldCanBeReadFromAnotherColumn() {
        server.respondWith(request -> SparkTests.chat("answer", "for " + request.lastUserText().contains("q-1")));
        Dataset<Row> input = SparkTests.questions(2, 1).withColumnRenamed("question", "q");

        List<Row> rows = qa().input("question", "q").build().predict(input).collectAsList();

        assertThat(rows).extracting(r -> r.<String>getAs("answer")).containsExactly("for false", "for true");
        assertThat(rows.getFirst().<String>getAs("q")).isEqualTo("q-0");
    }

    @Test
    void aMissingInputColumnFailsOnTheDriverNamingTheColumns() {
        Dataset<Row> input = SparkTests.questions(2, 1).withColumnRenamed("question", "text");

        assertThatThrownBy(() -> qa().build().predict(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'question'")
                .hasMessageContaining("[id, text]")
                .hasMessageContaining("input(\"question\"");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void anOutputColumnThatClashesWithAnInputColumnFailsOnTheDriver() {
        Dataset<Row> input = SparkTests.questions(1, 1).withColumnRenamed("id", "answer");

        assertThatThrownBy(() -> qa().build().predict(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'answer'");
        assertThat(qa().output("answer", "predicted").build().outputSchema(input.schema()).fieldNames())
                .contains("answer", "predicted");
    }

    @Test
    void aBrokenSavedStateFailsOnTheDriverWithTheLoadersMessage() {
        SparkPredict predict = SparkPredict.builder()
                .program(SparkProgram.predict("question -> answer").withState("{\"other\": {}}"))
                .lm(lm().build()).build();

        assertThatThrownBy(() -> predict.predict(SparkTests.questions(1, 1)))
                .isInstanceOf(dev.dspy4j.module.StateLoadException.class)
                .hasMessageContaining("other");
    }

    @Test
    void theSavedStateTravelsToTheExecutors() {
        server.respondWith(request -> SparkTests.chat("answer", "ok"));
        String saved = dev.dspy4j.module.Predict.of("question -> answer")
                .mapState((path, state) -> state
                        .withSignature(state.signature().withInstructions("Answer like a pirate."))
                        .withDemos(List.of(dev.dspy4j.data.Example.of("question", "demo-q", "answer", "demo-a"))))
                .state().toJson();
        SparkPredict predict = qa().program(SparkProgram.predict("question -> answer").withState(saved)).build();

        List<Row> rows = predict.predict(SparkTests.questions(2, 2)).collectAsList();

        assertThat(rows).allSatisfy(r -> assertThat(r.<String>getAs("error")).isNull());
        assertThat(server.requests()).hasSize(2).allSatisfy(request -> assertThat(request.bodyText())
                .contains("Answer like a pirate.").contains("demo-q").contains("demo-a"));
    }

    @Test
    void theApiKeyNeverShowsInToStringPlansOrErrors() {
        String secret = "sk-live-TOPSECRET-4242";
        server.requireApiKey("another-key");
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.predict("question -> answer"))
                .lm(LmConfig.builder("openai/test-model").apiBase(server.baseUrl().toString()).apiKey(secret)
                        .maxRetries(0).build())
                .build();

        Dataset<Row> out = predict.predict(SparkTests.questions(2, 1));
        List<Row> rows = out.collectAsList();

        assertThat(rows).extracting(r -> r.<String>getAs("error")).allSatisfy(error ->
                assertThat(error).startsWith("LmException.Authentication").doesNotContain(secret));
        assertThat(out.queryExecution().toString()).doesNotContain(secret);
        assertThat(out.queryExecution().explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$))
                .doesNotContain(secret);
        assertThat(predict.toString()).doesNotContain(secret).contains("<secret>");
        assertThat(predict.lm().toString()).doesNotContain(secret);
    }

    @Test
    void aKeyFromAnUnsetVariableFailsOnTheDriverNamingTheVariable() {
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.predict("question -> answer"))
                .lm(LmConfig.builder("openai/test-model").apiBase(server.baseUrl().toString())
                        .apiKeyFromEnv("DSPY4J_SPARK_TEST_UNSET_KEY").build())
                .build();

        assertThatThrownBy(() -> predict.predict(SparkTests.questions(1, 1)))
                .isInstanceOf(dev.dspy4j.lm.LmException.Configuration.class)
                .hasMessageContaining("DSPY4J_SPARK_TEST_UNSET_KEY")
                .hasMessageContaining("spark.executorEnv.DSPY4J_SPARK_TEST_UNSET_KEY");
    }

    @Test
    void aKeySetForExecutorsOnlyIsNotRequiredOnTheDriver() {
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.predict("question -> answer"))
                .lm(LmConfig.builder("openai/test-model").apiBase(server.baseUrl().toString())
                        .apiKeyFromEnv(SparkTests.EXECUTOR_ONLY_KEY).build())
                .build();

        Dataset<Row> out = predict.predict(SparkTests.questions(1, 1));

        // local[2]'s executor is this JVM, where the variable is unset: the task says so
        assertThatThrownBy(out::collectAsList).hasMessageContaining(SparkTests.EXECUTOR_ONLY_KEY);
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void aRowPastItsDeadlineIsInterruptedAndCarriesATimeout() {
        server.latency(Duration.ofSeconds(2)).respondWith(request -> SparkTests.chat("answer", "late"));
        SparkPredict predict = qa().lm(lm().maxRetries(0).build()).rowTimeout(Duration.ofMillis(200)).build();

        List<Row> rows = predict.predict(SparkTests.questions(2, 1)).collectAsList();

        assertThat(rows).hasSize(2).allSatisfy(r -> {
            assertThat(r.<String>getAs("error")).startsWith("TimeoutException: The row ran longer than rowTimeout");
            assertThat(r.<String>getAs("question")).startsWith("q-");
            assertThat(r.<String>getAs("answer")).isNull();
        });
    }

    @Test
    void callsInFlightStayWithinTheLimitAndBothTasksShareOneRuntime() {
        server.latency(Duration.ofMillis(25)).respondWith(request -> SparkTests.chat("answer", "ok"));
        int builtBefore = ExecutorRuntimes.built();
        SparkPredict predict = qa().maxInFlight(3).rowsInFlight(10).build();

        List<Row> rows = predict.predict(SparkTests.questions(120, 2)).collectAsList();

        assertThat(rows).hasSize(120).allSatisfy(r -> assertThat(r.<String>getAs("error")).isNull());
        assertThat(server.maxConcurrentRequests()).isBetween(2, 3);
        assertThat(ExecutorRuntimes.built() - builtBefore).isEqualTo(1);
    }

    @Test
    void theSharedRateLimiterIsInTheChain() {
        server.respondWith(request -> SparkTests.chat("answer", "ok"));
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.predict("question -> answer"))
                .lm(lm().maxRetries(0).build())
                .cache(CacheConfig.redis(LocalRedis.url("the Spark tests")).keyPrefix(SparkTests.freshPrefix()))
                .rateLimit(RateLimitConfig.requestsPerMinute(1).burst(3).maxWait(Duration.ofMillis(300))
                        .bucket("spark-test-" + java.util.UUID.randomUUID()))
                .build();

        List<Row> rows = predict.predict(SparkTests.questions(8, 1)).collectAsList();

        assertThat(rows).filteredOn(r -> r.getAs("error") == null).hasSize(3);
        assertThat(rows).filteredOn(r -> r.getAs("error") != null).hasSize(5)
                .allSatisfy(r -> assertThat(r.<String>getAs("error")).startsWith("LmException.RateLimited"));
        assertThat(server.requestCount()).isEqualTo(3);
    }
}
