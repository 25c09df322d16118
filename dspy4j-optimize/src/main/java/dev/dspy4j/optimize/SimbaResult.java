package dev.dspy4j.optimize;

import dev.dspy4j.module.Module;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a {@link Simba} run found. Immutable.
 *
 * @param bestProgram the candidate with the highest trainset score (the first of equal scores), as
 *     a new program; the program given to the run is unchanged
 * @param bestScore its mean metric value on the trainset
 * @param candidates the programs scored on the whole trainset at the end (the baseline and winners
 *     of evenly spaced steps), best first, equal scores in scoring order: DSPy's
 *     {@code candidate_programs}
 * @param steps one entry per step, in order: DSPy's {@code trial_logs} with what DSPy only logs
 * @param failedRuns program runs or metric calls that threw; as in DSPy they score 0 and the run
 *     goes on
 * @param budgetExhausted whether the {@link Budget} ended the run early: then {@code bestProgram}
 *     is the candidate with the best mini-batch score among the finished steps (the program as
 *     given if none finished), {@code bestScore} is {@code NaN} and {@code candidates} is empty, as
 *     no final trainset evaluation was made
 */
public record SimbaResult(Module bestProgram, double bestScore, List<Candidate> candidates, List<Step> steps,
                          int failedRuns, boolean budgetExhausted) {

    /** @throws NullPointerException if the program or a list is {@code null} */
    public SimbaResult {
        Objects.requireNonNull(bestProgram, "bestProgram");
        candidates = List.copyOf(candidates);
        steps = List.copyOf(steps);
    }

    /** A result of a run that the budget did not cut short. */
    public SimbaResult(Module bestProgram, double bestScore, List<Candidate> candidates, List<Step> steps,
                       int failedRuns) {
        this(bestProgram, bestScore, candidates, steps, failedRuns, false);
    }

    /**
     * This run as a report: one trial per step (the best new candidate's mini-batch score), then the
     * final candidates on the trainset; HTML and a PNG chart (see {@link OptimizationReport}).
     */
    public OptimizationReport report() {
        return OptimizationReport.of(this);
    }

    /**
     * A program scored on the whole trainset.
     *
     * @param program the program
     * @param score its mean metric value on the trainset
     */
    public record Candidate(Module program, double score) {

        /** @throws NullPointerException if {@code program} is {@code null} */
        public Candidate {
            Objects.requireNonNull(program, "program");
        }
    }

    /**
     * One step of the search.
     *
     * @param index the step, from 0
     * @param batch the trainset indices of the step's mini-batch, in order
     * @param baselineScore the mean score of every sampled trajectory on the batch
     * @param strategies the strategy applied for each new candidate, in order:
     *     {@code append_a_demo} or {@code append_a_rule}, as DSPy names them
     * @param candidateScores the mean batch score of each new candidate, in the same order
     * @param trainScore DSPy's {@code trial_logs[i]["train_score"]}: the trainset score of the
     *     final candidate number {@code index + 1} (which is this step's winner when the step count
     *     is {@code numCandidates}, and another step's otherwise, as in DSPy); empty if there is none
     */
    public record Step(int index, List<Integer> batch, double baselineScore, List<String> strategies,
                       List<Double> candidateScores, OptionalDouble trainScore) {

        /** @throws NullPointerException if a list or {@code trainScore} is {@code null} */
        public Step {
            batch = List.copyOf(batch);
            strategies = List.copyOf(strategies);
            candidateScores = List.copyOf(candidateScores);
            Objects.requireNonNull(trainScore, "trainScore");
        }

        Step withTrainScore(double score) {
            return new Step(index, batch, baselineScore, strategies, candidateScores, OptionalDouble.of(score));
        }
    }
}
