package dev.dspy4j.evaluate;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DSPy's {@code CompleteAndGrounded}: two LM judges ({@link ChainOfThought} over DSPy's
 * {@code AnswerCompleteness} and {@code AnswerGroundedness} signatures) rate how completely
 * {@code prediction.response} covers {@code example.response} and how well
 * {@code prediction.context} supports it; the score is the F1 of groundedness and completeness, each
 * clamped to [0, 1]. In bootstrap mode it returns 1.0 when that is at least the threshold, else 0.0.
 *
 * <p>A {@link Module}: its predictors are {@code completeness_module.predict} and
 * {@code groundedness_module.predict}, as in DSPy. Calling it with {@code question},
 * {@code ground_truth}, {@code retrieved_context} and {@code system_response} returns a prediction
 * with {@code score}. The judges run with the constructor's context, or the bound one. Thread-safe.
 */
public final class CompleteAndGrounded extends Module implements Metric {

    final ChainOfThought completenessModule;
    final ChainOfThought groundednessModule;
    private final transient DspyContext judge;
    private final double threshold;

    /** Judges using the bound context, threshold 0.66. */
    public CompleteAndGrounded() {
        this(null, SemanticF1.DEFAULT_THRESHOLD);
    }

    /** Judges running with {@code judge}, threshold 0.66. */
    public CompleteAndGrounded(DspyContext judge) {
        this(judge, SemanticF1.DEFAULT_THRESHOLD);
    }

    /**
     * @param judge the judges' context, or {@code null} for the one bound when scoring
     * @param threshold the score at which a run passes in bootstrap mode
     */
    public CompleteAndGrounded(DspyContext judge, double threshold) {
        this.judge = judge;
        this.threshold = threshold;
        this.completenessModule = new ChainOfThought(JudgeSignatures.ANSWER_COMPLETENESS);
        this.groundednessModule = new ChainOfThought(JudgeSignatures.ANSWER_GROUNDEDNESS);
    }

    @Override
    protected Prediction forward(Example inputs) {
        Prediction completeness = completenessModule.call(Map.of(
                "question", inputs.get("question"),
                "ground_truth", inputs.get("ground_truth"),
                "system_response", inputs.get("system_response")));
        Prediction groundedness = groundednessModule.call(Map.of(
                "question", inputs.get("question"),
                "retrieved_context", inputs.get("retrieved_context"),
                "system_response", inputs.get("system_response")));
        double score = JudgeSignatures.f1(JudgeSignatures.number(groundedness, "groundedness"),
                JudgeSignatures.number(completeness, "completeness"));
        return Prediction.of(Map.of("score", score));
    }

    @Override
    public Score score(Example example, Prediction prediction, MetricContext context) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("question", JudgeSignatures.text(example.get("question")));
        inputs.put("ground_truth", JudgeSignatures.text(example.get("response")));
        inputs.put("retrieved_context", JudgeSignatures.text(prediction.get("context")));
        inputs.put("system_response", JudgeSignatures.text(prediction.get("response")));
        double score = ((Number) call(inputs, judge == null ? DspyContext.current() : judge).get("score"))
                .doubleValue();
        return switch (context.mode()) {
            case EVALUATION -> Score.of(score);
            case BOOTSTRAP, FEEDBACK -> Score.of(score >= threshold); // DSPy passes a trace in both
        };
    }
}
