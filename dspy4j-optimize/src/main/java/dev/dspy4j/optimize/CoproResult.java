package dev.dspy4j.optimize;

import dev.dspy4j.module.Module;
import dev.dspy4j.usage.UsageReport;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Copro} run found: the best program and every instruction it scored. Immutable.
 *
 * @param bestProgram the program of the best-scoring candidate (the first of equal scores); the
 *     program given if the budget ran out before any candidate was scored
 * @param bestScore its score on the trainset, 0 to 100, or {@code NaN} if no candidate was scored
 * @param candidates the scored candidates, best first, equal scores in the order they were first
 *     scored, repeats dropped: DSPy's {@code candidate_programs}
 * @param evaluations how many times a candidate was evaluated on the whole trainset: DSPy's
 *     {@code total_calls}
 * @param bestStatistics per predictor path, the top ten scores after each depth (empty unless
 *     {@link Copro.Builder#trackStats(boolean)}): DSPy's {@code results_best}
 * @param latestStatistics per predictor path, the scores of the newest candidates at each depth
 *     (empty unless tracked): DSPy's {@code results_latest}
 * @param budgetExhausted whether the {@link Budget} ended the run early; a candidate whose
 *     evaluation it cut short is left out
 */
public record CoproResult(Module bestProgram, double bestScore, List<Candidate> candidates, int evaluations,
                          Map<String, Statistics> bestStatistics, Map<String, Statistics> latestStatistics,
                          boolean budgetExhausted) {

    /** @throws NullPointerException if a program, list or map is {@code null} */
    public CoproResult {
        Objects.requireNonNull(bestProgram, "bestProgram");
        candidates = List.copyOf(candidates);
        bestStatistics = Map.copyOf(bestStatistics);
        latestStatistics = Map.copyOf(latestStatistics);
    }

    /** A report of this run: see {@link OptimizationReport#of(CoproResult)}. */
    public OptimizationReport report() {
        return OptimizationReport.of(this);
    }

    /**
     * One instruction and output prefix that COPRO scored for one predictor.
     *
     * @param predictor the path of the predictor whose instruction this is
     * @param depth the depth (0-based) at which it last set its score
     * @param instruction the instruction, quotes and surrounding whitespace stripped
     * @param prefix the prefix of the predictor's last output field, stripped likewise
     * @param score the program's score on the trainset with it, 0 to 100
     * @param program the program as evaluated (other predictors as they were at the time)
     * @param usage tokens and cost of the evaluation that set the score (program runs and LM-judge
     *     metrics); empty if the score was read back from a checkpoint
     */
    public record Candidate(String predictor, int depth, String instruction, String prefix, double score,
                            Module program, UsageReport usage) {

        /** @throws NullPointerException if a text, the program or the usage is {@code null} */
        public Candidate {
            Objects.requireNonNull(predictor, "predictor");
            Objects.requireNonNull(instruction, "instruction");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(program, "program");
            Objects.requireNonNull(usage, "usage");
        }

        /** A candidate whose usage was not recorded (an empty report). */
        public Candidate(String predictor, int depth, String instruction, String prefix, double score,
                         Module program) {
            this(predictor, depth, instruction, prefix, score, program, new UsageReport(List.of()));
        }
    }

    /**
     * Score statistics of one predictor, one entry per depth in each list.
     *
     * @param depths the depth of each entry
     * @param max the highest score
     * @param average the mean score
     * @param min the lowest score
     * @param std the population standard deviation (Python's {@code statistics.pstdev})
     */
    public record Statistics(List<Integer> depths, List<Double> max, List<Double> average, List<Double> min,
                             List<Double> std) {

        /** @throws NullPointerException if a list is {@code null} */
        public Statistics {
            depths = List.copyOf(depths);
            max = List.copyOf(max);
            average = List.copyOf(average);
            min = List.copyOf(min);
            std = List.copyOf(std);
        }
    }
}
