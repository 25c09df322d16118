package dev.dspy4j.evaluate;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DSPy's {@code SemanticF1}: an LM judge ({@link ChainOfThought} over DSPy's
 * {@code SemanticRecallPrecision} signature) rates the recall and precision of
 * {@code prediction.response} against {@code example.response} for {@code example.question}; the
 * score is their F1, each clamped to [0, 1]. In bootstrap mode ({@link MetricContext.Mode#BOOTSTRAP})
 * it returns 1.0 when the F1 is at least the threshold and 0.0 otherwise.
 *
 * <p>It is a {@link Module}, so its predictor has a path ({@code module.predict}, as in DSPy) and can
 * itself be optimized: calling it with {@code question}, {@code ground_truth} and
 * {@code system_response} returns a prediction with {@code score}.
 *
 * <p>The judge runs with the context given to the constructor, or, without one, with the context
 * bound to the calling thread (during {@link Evaluate#run}, the example's context, so the judge's
 * calls count in the example's usage). Thread-safe.
 */
public final class SemanticF1 extends Module implements Metric {

    /** DSPy's default threshold. */
    public static final double DEFAULT_THRESHOLD = 0.66;

    final ChainOfThought module;
    private final transient DspyContext judge;
    private final double threshold;

    /** A judge using the bound context, threshold 0.66, the plain signature. */
    public SemanticF1() {
        this(null, DEFAULT_THRESHOLD, false);
    }

    /** A judge running with {@code judge}, threshold 0.66, the plain signature. */
    public SemanticF1(DspyContext judge) {
        this(judge, DEFAULT_THRESHOLD, false);
    }

    /**
     * @param judge the judge's context, or {@code null} for the one bound when scoring
     * @param threshold the F1 at which a run passes in bootstrap mode
     * @param decompositional whether to use DSPy's {@code DecompositionalSemanticRecallPrecision}
     *     (enumerate key ideas, discuss, then rate)
     */
    public SemanticF1(DspyContext judge, double threshold, boolean decompositional) {
        this.judge = judge;
        this.threshold = threshold;
        this.module = new ChainOfThought(decompositional
                ? JudgeSignatures.DECOMPOSITIONAL_SEMANTIC_RECALL_PRECISION
                : JudgeSignatures.SEMANTIC_RECALL_PRECISION);
    }

    @Override
    protected Prediction forward(Example inputs) {
        Prediction scores = module.call(inputs.toMap());
        double f1 = JudgeSignatures.f1(JudgeSignatures.number(scores, "precision"),
                JudgeSignatures.number(scores, "recall"));
        return Prediction.of(Map.of("score", f1));
    }

    @Override
    public Score score(Example example, Prediction prediction, MetricContext context) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("question", JudgeSignatures.text(example.get("question")));
        inputs.put("ground_truth", JudgeSignatures.text(example.get("response")));
        inputs.put("system_response", JudgeSignatures.text(prediction.get("response")));
        double f1 = ((Number) call(inputs, judge == null ? DspyContext.current() : judge).get("score")).doubleValue();
        return switch (context.mode()) {
            case EVALUATION -> Score.of(f1);
            case BOOTSTRAP, FEEDBACK -> Score.of(f1 >= threshold); // DSPy passes a trace in both
        };
    }
}
