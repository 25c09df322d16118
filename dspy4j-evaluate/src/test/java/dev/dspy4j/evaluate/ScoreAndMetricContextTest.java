package dev.dspy4j.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreAndMetricContextTest {

    private static final Example EXAMPLE = Example.of("answer", "4");
    private static final Prediction RIGHT = Prediction.of(Map.of("answer", "4"));

    @Test
    void aScoreWithoutFeedbackHasTheEmptyStringNeverNull() {
        assertThat(Score.of(0.5)).isEqualTo(new Score(0.5, ""));
        assertThat(Score.of(0.5).hasFeedback()).isFalse();
        assertThat(Score.of(true)).isEqualTo(Score.of(1.0));
        assertThat(Score.of(false).withFeedback("wrong unit").hasFeedback()).isTrue();
        assertThatThrownBy(() -> new Score(1.0, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Score.of(value)");
    }

    @Test
    void theTraceIsOnlyAvailableInBootstrapMode() {
        List<TraceStep> trace = new ArrayList<>();
        trace.add(new TraceStep("self", Map.of("q", "x"), RIGHT));
        MetricContext bootstrap = MetricContext.bootstrap(trace);
        trace.clear();

        assertThat(MetricContext.evaluation().mode()).isEqualTo(MetricContext.Mode.EVALUATION);
        assertThat(MetricContext.evaluation()).isInstanceOf(MetricContext.Evaluation.class);
        assertThat(bootstrap.mode()).isEqualTo(MetricContext.Mode.BOOTSTRAP);
        assertThat(bootstrap).isInstanceOfSatisfying(MetricContext.Bootstrap.class,
                b -> assertThat(b.trace()).hasSize(1));
    }

    @Test
    void aMetricCanJudgeStrictlyInBootstrapModeAndGradeInEvaluation() {
        Metric graded = (example, prediction, context) -> switch (context) {
            case MetricContext.Evaluation evaluation -> Score.of(0.7, "close enough");
            case MetricContext.Bootstrap bootstrap -> Score.of(bootstrap.trace().isEmpty());
            case MetricContext.Feedback feedback -> Score.of(1.0, "for " + feedback.predictorPath());
        };

        assertThat(graded.score(EXAMPLE, RIGHT, MetricContext.evaluation())).isEqualTo(Score.of(0.7, "close enough"));
        assertThat(graded.score(EXAMPLE, RIGHT, MetricContext.bootstrap(List.of())).value()).isEqualTo(1.0);
    }

    @Test
    void theFactoriesScoreTheSameInEitherMode() {
        Metric exact = Metric.of((example, prediction) -> example.get("answer").equals(prediction.get("answer")));
        Metric half = Metric.ofScore((example, prediction) -> 0.5);

        for (MetricContext context : List.of(MetricContext.evaluation(), MetricContext.bootstrap(List.of()))) {
            assertThat(exact.score(EXAMPLE, RIGHT, context)).isEqualTo(Score.of(1.0));
            assertThat(half.score(EXAMPLE, RIGHT, context)).isEqualTo(Score.of(0.5));
        }
    }
}
