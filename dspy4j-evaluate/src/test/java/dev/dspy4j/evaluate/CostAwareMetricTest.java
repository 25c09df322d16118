package dev.dspy4j.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostAwareMetricTest {

    private static final Metric EXACT = Metric.of((example, prediction) ->
            example.get("answer").equals(prediction.get("answer")));

    @Test
    void breaksTheScoreDownIntoAccuracyAndACostWeightedScore() {
        // every call uses 1M prompt tokens: $0.15 at gpt-4o-mini's built-in price
        ScriptedLm lm = ScriptedLm.responding(request -> new LmResponse(
                List.of(Choice.of("[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]")),
                new Usage(1_000_000, 0), "gpt-4o-mini", false)).withModel("openai/gpt-4o-mini");
        List<Example> devset = List.of(
                Example.of("question", "2+2?", "answer", "4").withInputs("question"),
                Example.of("question", "3+3?", "answer", "6").withInputs("question"));

        EvaluationResult result = Evaluate.builder().devset(devset)
                .metric("accuracy", EXACT)
                .costAwareMetric("cost_weighted", CostAwareMetric.costWeighted(EXACT, 2.0))
                .build().run(Predict.of("question -> answer"), DspyContext.of(lm));

        assertThat(result.scores()).containsEntry("accuracy", 50.0);
        // the right answer loses 2 x $0.15 = 0.3 points; the wrong one stays at 0
        assertThat(result.results().get(0).score("cost_weighted")).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.results().get(1).score("cost_weighted")).isZero();
        assertThat(result.scores().get("cost_weighted")).isEqualTo(35.0);
        assertThat(result.score()).as("the first metric stays primary").isEqualTo(50.0);
    }

    @Test
    void rejectsANegativePenalty() {
        assertThatThrownBy(() -> CostAwareMetric.costWeighted(EXACT, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("penaltyPerDollar");
    }
}
