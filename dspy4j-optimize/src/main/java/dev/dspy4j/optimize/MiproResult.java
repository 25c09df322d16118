package dev.dspy4j.optimize;

import dev.dspy4j.data.Example;
import dev.dspy4j.module.Module;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link MiproV2} search found. Immutable.
 *
 * @param bestProgram the configuration with the highest full-valset score (the program as given if
 *     no trial beat it; the first to reach a score wins ties)
 * @param bestScore its score, 0 to 100
 * @param instructionCandidates per predictor path, the instructions the search chose from; index 0
 *     is the predictor's own instruction
 * @param demoCandidates per predictor path, the demo sets built: in zero-shot mode they only
 *     grounded the proposer, and the search did not choose among them
 * @param trials every evaluation, in order (see {@link MiproTrial})
 * @param budgetExhausted whether the {@link Budget} ended the run early; a trial it cut short is
 *     left out, and the score is {@code NaN} if it ran out before the program as given was scored
 */
public record MiproResult(Module bestProgram, double bestScore, Map<String, List<String>> instructionCandidates,
                          Map<String, List<List<Example>>> demoCandidates, List<MiproTrial> trials,
                          boolean budgetExhausted) {

    /** @throws NullPointerException if any argument is {@code null} */
    public MiproResult {
        Objects.requireNonNull(bestProgram, "bestProgram");
        instructionCandidates = Map.copyOf(instructionCandidates);
        demoCandidates = Map.copyOf(demoCandidates);
        trials = List.copyOf(trials);
    }

    /** A result of a run that the budget did not cut short. */
    public MiproResult(Module bestProgram, double bestScore, Map<String, List<String>> instructionCandidates,
                       Map<String, List<List<Example>>> demoCandidates, List<MiproTrial> trials) {
        this(bestProgram, bestScore, instructionCandidates, demoCandidates, trials, false);
    }

    /** A report of this run: see {@link OptimizationReport#of(MiproResult)}. */
    public OptimizationReport report() {
        return OptimizationReport.of(this);
    }

    /** The trials scored on the whole valset, best first (ties in trial order): DSPy's {@code candidate_programs}. */
    public List<MiproTrial> fullEvaluations() {
        return trials.stream().filter(MiproTrial::fullEvaluation)
                .sorted(Comparator.comparingDouble(MiproTrial::score).reversed()).toList();
    }
}
