package dev.dspy4j.optimize;

import dev.dspy4j.usage.UsageReport;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One evaluation in a {@link MiproV2} search, numbered as DSPy's {@code trial_logs}: 1 is the
 * program as given, evaluated on the whole valset; later numbers are sampled trials (on a
 * minibatch when minibatching) and, when minibatching, periodic full evaluations of the
 * configuration with the best mean minibatch score, each numbered one after the trial that
 * triggered it.
 *
 * @param number the trial number, from 1
 * @param params the configuration: an index per parameter ({@code "0_predictor_instruction"},
 *     {@code "0_predictor_demos"}, ...); all zeros for trial 1
 * @param instructions the instruction of each predictor in this configuration, by path
 * @param score the score, 0 to 100
 * @param fullEvaluation whether the score is on the whole valset (otherwise on a minibatch)
 * @param evaluationCallsSoFar program runs for evaluations so far, this one included (DSPy's
 *     {@code total_eval_calls_so_far})
 * @param usage tokens and cost of this evaluation's LM calls (program runs and LM-judge metrics);
 *     empty if the trial was read back from a checkpoint, which keeps no usage
 */
public record MiproTrial(int number, Map<String, Integer> params, Map<String, String> instructions, double score,
                         boolean fullEvaluation, int evaluationCallsSoFar, UsageReport usage) {

    /** @throws NullPointerException if {@code params}, {@code instructions} or {@code usage} is {@code null} */
    public MiproTrial {
        params = Map.copyOf(Objects.requireNonNull(params, "params"));
        instructions = Map.copyOf(Objects.requireNonNull(instructions, "instructions"));
        Objects.requireNonNull(usage, "usage");
    }

    /** A trial whose usage was not recorded (an empty report). */
    public MiproTrial(int number, Map<String, Integer> params, Map<String, String> instructions, double score,
                      boolean fullEvaluation, int evaluationCallsSoFar) {
        this(number, params, instructions, score, fullEvaluation, evaluationCallsSoFar, new UsageReport(List.of()));
    }
}
