package dev.dspy4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.ExampleResult;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SparkEvaluateTest {

    private static final int ROWS = 40;
    private static final StructType DEVSET = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("question", DataTypes.StringType, false)
            .add("gold", DataTypes.StringType, false);

    private FakeLmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLmServer.start(Dialect.OPENAI).respondWith(request -> {
            int id = SparkTests.id(request);
            return id % 8 == 3 ? Reply.text("no fields here").withUsage(10, 5)
                    : SparkTests.chat("answer", "answer-" + id);
        });
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    private static String gold(int id) {
        return id % 5 == 0 ? "something else" : "answer-" + id;
    }

    @Test
    void distributedEvaluateGivesTheSameResultAsLocalEvaluate() throws Exception {
        LmConfig lm = LmConfig.builder("openai/test-model").apiBase(server.baseUrl().toString()).apiKey("sk-test")
                .retryInitialDelay(Duration.ZERO).build();
        SparkMetric exact = SparkMetric.exactMatch("answer");
        SparkMetric length = (example, prediction, context) ->
                Score.of(prediction.getString("answer").length() / 10.0, "length " + prediction.getString("answer").length());
        List<Row> rows = new ArrayList<>();
        List<Example> devset = new ArrayList<>();
        for (int id = 0; id < ROWS; id++) {
            rows.add(RowFactory.create((long) id, "q-" + id, gold(id)));
            devset.add(Example.of("id", (long) id, "question", "q-" + id, "answer", gold(id)).withInputs("question"));
        }
        SparkPredict predict = SparkPredict.builder().program(SparkProgram.predict("question -> answer")).lm(lm).build();

        // given: the local evaluation
        EvaluationResult local;
        try (Lm client = lm.lm()) {
            local = Evaluate.builder().devset(devset).metric(exact).metric("length", length).maxErrors(ROWS)
                    .failureScore(0.25).build().run(predict.program().build(), DspyContext.of(client));
        }

        // when
        EvaluationResult distributed = SparkEvaluate.builder().predict(predict).metric(exact).metric("length", length)
                .label("answer", "gold").failureScore(0.25).build()
                .run(SparkTests.rows(rows, DEVSET, 3));

        // then
        assertThat(distributed.score()).isEqualTo(local.score());
        assertThat(distributed.scores()).isEqualTo(local.scores());
        assertThat(distributed.metricNames()).containsExactly("score", "length");
        assertThat(distributed.errors()).isEqualTo(local.errors()).isEqualTo(5);
        assertThat(distributed.total()).isEqualTo(ROWS);
        assertThat(distributed.results()).extracting(ExampleResult::index)
                .isEqualTo(local.results().stream().map(ExampleResult::index).toList());
        assertThat(distributed.results()).extracting(ExampleResult::scores)
                .isEqualTo(local.results().stream().map(ExampleResult::scores).toList());
        assertThat(distributed.results()).extracting(ExampleResult::example)
                .isEqualTo(local.results().stream().map(ExampleResult::example).toList());
        assertThat(distributed.results()).extracting(r -> r.error() == null ? null : Errors.typeName(r.error()))
                .isEqualTo(local.results().stream().map(r -> r.error() == null ? null : Errors.typeName(r.error()))
                        .toList());
        assertThat(distributed.results()).extracting(r -> r.prediction() == null ? null : r.prediction().get("answer"))
                .isEqualTo(local.results().stream()
                        .map(r -> r.prediction() == null ? null : r.prediction().get("answer")).toList());
        assertThat(distributed.usage().total().usage()).isEqualTo(local.usage().total().usage());
        assertThat(distributed.usage().total().calls()).isEqualTo(local.usage().total().calls());
    }
}
