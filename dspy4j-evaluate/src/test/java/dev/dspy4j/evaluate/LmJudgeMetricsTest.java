package dev.dspy4j.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Message;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LmJudgeMetricsTest {

    private static final MetricContext EVALUATION = MetricContext.evaluation();
    private static final MetricContext BOOTSTRAP = MetricContext.bootstrap(List.of());

    private static final Example EXAMPLE = Example.of("question", "Why is the sky blue?",
            "response", "Rayleigh scattering of sunlight.").withInputs("question");
    private static final Prediction PREDICTION = Prediction.of(Map.of(
            "response", "Because of scattering.", "context", List.of("Light scatters in air.")));

    private static ScriptedLm judge(double recall, double precision) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("reasoning", "Both mention scattering.");
        outputs.put("recall", recall);
        outputs.put("precision", precision);
        return ScriptedLm.withOutputs(outputs);
    }

    @Test
    void semanticF1ScoresTheF1OfTheJudgesRecallAndPrecision() {
        ScriptedLm lm = judge(0.8, 0.6);

        double score = new SemanticF1(DspyContext.of(lm)).score(EXAMPLE, PREDICTION, EVALUATION).value();

        assertThat(score).isCloseTo(2 * 0.8 * 0.6 / 1.4, within(1e-12));
        String prompt = lm.lastRequest().messages().stream().map(Message::text).reduce("", String::concat);
        assertThat(prompt)
                .contains("Compare a system's response to the ground truth to compute its recall and precision.")
                .contains("fraction (out of 1.0) of ground truth covered by the system response")
                .contains("Why is the sky blue?")
                .contains("Rayleigh scattering of sunlight.")
                .contains("Because of scattering.");
    }

    @Test
    void semanticF1JudgesStrictlyAgainstTheThresholdInBootstrapMode() {
        SemanticF1 passing = new SemanticF1(DspyContext.of(judge(0.8, 0.6)));
        SemanticF1 failing = new SemanticF1(DspyContext.of(judge(0.5, 0.6)));

        assertThat(passing.score(EXAMPLE, PREDICTION, BOOTSTRAP).value()).isEqualTo(1.0);   // 0.686 >= 0.66
        assertThat(failing.score(EXAMPLE, PREDICTION, BOOTSTRAP).value()).isZero();          // 0.545 < 0.66
    }

    @Test
    void semanticF1ClampsTheJudgesNumbers() {
        double score = new SemanticF1(DspyContext.of(judge(1.7, -0.2))).score(EXAMPLE, PREDICTION, EVALUATION).value();

        assertThat(score).isZero();
    }

    @Test
    void semanticF1UsesTheBoundContextWithoutOne() {
        ScriptedLm lm = judge(1.0, 1.0);

        double score = DspyContext.of(lm).get(() -> new SemanticF1().score(EXAMPLE, PREDICTION, EVALUATION).value());

        assertThat(score).isEqualTo(1.0);
        assertThat(lm.callCount()).isEqualTo(1);
    }

    @Test
    void judgesArePredictorsWithDspyPaths() {
        assertThat(new SemanticF1().namedPredictors()).containsOnlyKeys("module.predict");
        assertThat(new SemanticF1(null, 0.66, true).namedPredictors().get("module.predict").signature()
                .outputs()).extracting(f -> f.name()).containsExactly("reasoning", "ground_truth_key_ideas",
                "system_response_key_ideas", "discussion", "recall", "precision");
        assertThat(new CompleteAndGrounded().namedPredictors())
                .containsOnlyKeys("completeness_module.predict", "groundedness_module.predict");
    }

    @Test
    void completeAndGroundedCombinesCompletenessAndGroundedness() {
        ScriptedLm lm = ScriptedLm.answering(request -> {
            String prompt = request.messages().get(0).text();
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("reasoning", "r");
            if (prompt.contains("completeness")) {
                outputs.put("ground_truth_key_ideas", "k");
                outputs.put("system_response_key_ideas", "k");
                outputs.put("discussion", "d");
                outputs.put("completeness", 1.0);
            } else {
                outputs.put("system_response_claims", "c");
                outputs.put("discussion", "d");
                outputs.put("groundedness", 0.5);
            }
            return ScriptedLm.chatCompletion(outputs);
        });
        CompleteAndGrounded metric = new CompleteAndGrounded(DspyContext.of(lm));

        assertThat(metric.score(EXAMPLE, PREDICTION, EVALUATION).value()).isCloseTo(2 * 0.5 / 1.5, within(1e-12));
        assertThat(metric.score(EXAMPLE, PREDICTION, BOOTSTRAP).value()).isEqualTo(1.0);   // 0.667 >= 0.66
        assertThat(lm.callCount()).isEqualTo(4);
    }

    @Test
    void anLmJudgeCanScoreAnEvaluationAndItsCallsCountAsUsage() {
        ScriptedLm lm = judge(1.0, 0.5);
        var program = new EvaluateTest.FunctionProgram(in -> PREDICTION);

        EvaluationResult result = Evaluate.builder().devset(List.of(EXAMPLE, EXAMPLE))
                .metric(new SemanticF1()).build().run(program, DspyContext.of(lm));

        assertThat(result.score()).isEqualTo(66.67);
        assertThat(result.usage().total().calls()).isEqualTo(2);
    }
}
