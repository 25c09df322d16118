package dev.dspy4j.evaluate;

import java.util.List;

/**
 * Why a {@link Metric} is being called: to {@link Evaluation evaluate} a program, or to decide
 * whether a run {@link Bootstrap bootstraps} into demos, in which case the run's trace comes with
 * it. Replaces DSPy's convention that {@code trace=None} means evaluation.
 *
 * <pre>{@code
 * Metric metric = (example, prediction, context) -> switch (context) {
 *     case MetricContext.Evaluation e -> Score.of(f1(example, prediction));          // graded
 *     case MetricContext.Bootstrap b -> Score.of(f1(example, prediction) >= 0.8);    // strict
 * };
 * }</pre>
 *
 * <p>Immutable. A closed set: match on it with {@code switch}, or test {@link #mode()}.
 */
public sealed interface MetricContext
        permits MetricContext.Evaluation, MetricContext.Bootstrap, MetricContext.Feedback {

    /** The two reasons a metric is called. */
    enum Mode {
        /** Scoring a program ({@link Evaluate}, and optimizers scoring candidates): grade as usual. */
        EVALUATION,
        /** Judging a teacher run while bootstrapping demos: judge strictly; the trace is available. */
        BOOTSTRAP,
        /**
         * Asking for feedback on one predictor's step of a run (GEPA's reflection): the feedback
         * text matters most; the run's trace and the predictor's step are available.
         */
        FEEDBACK
    }

    /** Why the metric is called. */
    Mode mode();

    /** The context of an evaluation. */
    static MetricContext evaluation() {
        return Evaluation.INSTANCE;
    }

    /**
     * The context of a bootstrapping run.
     *
     * @param trace the run's predictor calls, in order
     * @throws NullPointerException if {@code trace} or a step is {@code null}
     */
    static MetricContext bootstrap(List<TraceStep> trace) {
        return new Bootstrap(trace);
    }

    /**
     * The context of a feedback request for one predictor (DSPy's {@code pred_name} and
     * {@code pred_trace}).
     *
     * @param trace the run's predictor calls, in order
     * @param predictorPath the predictor the feedback is for
     * @param predictorStep that predictor's call the feedback is about
     * @throws NullPointerException if an argument or a step is {@code null}
     */
    static MetricContext feedback(List<TraceStep> trace, String predictorPath, TraceStep predictorStep) {
        return new Feedback(trace, predictorPath, predictorStep);
    }

    /** Scoring a program: no trace. */
    record Evaluation() implements MetricContext {

        private static final Evaluation INSTANCE = new Evaluation();

        @Override
        public Mode mode() {
            return Mode.EVALUATION;
        }
    }

    /**
     * Judging a run while bootstrapping: the score decides whether the run's trace becomes demos
     * (optimizers keep it when the score is above 0, or at least their threshold).
     *
     * @param trace the run's predictor calls, in order
     */
    record Bootstrap(List<TraceStep> trace) implements MetricContext {

        /** @throws NullPointerException if {@code trace} or a step is {@code null} */
        public Bootstrap {
            trace = List.copyOf(trace);
        }

        @Override
        public Mode mode() {
            return Mode.BOOTSTRAP;
        }
    }

    /**
     * Asking for textual feedback on one predictor's call in a run, as GEPA does when it reflects
     * on that predictor (DSPy's metric called with {@code pred_name} and {@code pred_trace}). The
     * score is read too, but the {@link Score#feedback() feedback} is what the optimizer shows its
     * reflection LM; a metric that has feedback specific to the predictor returns it here.
     *
     * @param trace the run's predictor calls, in order
     * @param predictorPath the path of the predictor the feedback is for
     * @param predictorStep that predictor's call (DSPy's one-element {@code pred_trace})
     */
    record Feedback(List<TraceStep> trace, String predictorPath, TraceStep predictorStep) implements MetricContext {

        /** @throws NullPointerException if a component or a step is {@code null} */
        public Feedback {
            trace = List.copyOf(trace);
            java.util.Objects.requireNonNull(predictorPath, "predictorPath");
            java.util.Objects.requireNonNull(predictorStep, "predictorStep");
        }

        @Override
        public Mode mode() {
            return Mode.FEEDBACK;
        }
    }
}
