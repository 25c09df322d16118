package dev.dspy4j.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.usage.UsageReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationResultFactoryTest {

    @Test
    void assemblesTheSameResultAsEvaluateFromItsPerExampleResults() {
        List<Example> devset = List.of(
                Example.of("question", "a", "answer", "A").withInputs("question"),
                Example.of("question", "b", "answer", "x").withInputs("question"),
                Example.of("question", "c", "answer", "C").withInputs("question"));
        var program = new EvaluateTest.FunctionProgram(in ->
                Prediction.of(Map.of("answer", in.getString("question").toUpperCase(java.util.Locale.ROOT))));
        EvaluationResult local = Evaluate.builder().devset(devset)
                .metric(Metric.of((ex, pred) -> ex.get("answer").equals(pred.get("answer"))))
                .metric("half", Metric.ofScore((ex, pred) -> 0.5))
                .build().run(program, DspyContext.empty());

        EvaluationResult assembled = EvaluationResult.of(local.metricNames(), local.results(), local.usage());

        assertThat(assembled.score()).isEqualTo(local.score()).isEqualTo(66.67);
        assertThat(assembled.scores()).isEqualTo(local.scores());
        assertThat(assembled.results()).isEqualTo(local.results());
        assertThat(assembled.errors()).isZero();
    }

    @Test
    void rejectsResultsWithoutAScoreForEveryMetric() {
        ExampleResult result = new ExampleResult(0, Example.of("q", "a"), null, Map.of("score", Score.of(1.0)), null,
                Usage.ZERO);

        assertThatThrownBy(() -> EvaluationResult.of(List.of("score", "f1"), List.of(result), new UsageReport(List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("example 0").hasMessageContaining("'f1'");
        assertThatThrownBy(() -> EvaluationResult.of(List.of(), List.of(), new UsageReport(List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
