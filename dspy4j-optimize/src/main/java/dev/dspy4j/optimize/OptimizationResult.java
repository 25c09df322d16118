package dev.dspy4j.optimize;

import dev.dspy4j.module.Module;

import java.util.List;
import java.util.Objects;

/**
 * What a search found: the best program, its score, and every scored candidate. Immutable.
 *
 * @param bestProgram the program with the highest valset score (ties go to the earliest seed); if
 *     no candidate could be scored before the budget ran out, the program without demos
 * @param bestScore its score, 0 to 100, or {@code NaN} if no candidate was scored
 * @param candidates the scored candidates, best first (ties in seed order), as DSPy's
 *     {@code candidate_programs}
 * @param budgetExhausted whether the {@link Budget} ended the search before every candidate was
 *     scored
 * @param stoppedAtScore whether a candidate reached {@code stopAtScore} and ended the search
 */
public record OptimizationResult(Module bestProgram, double bestScore, List<Candidate> candidates,
                                 boolean budgetExhausted, boolean stoppedAtScore) {

    /** @throws NullPointerException if {@code bestProgram} or {@code candidates} is {@code null} */
    public OptimizationResult {
        Objects.requireNonNull(bestProgram, "bestProgram");
        candidates = List.copyOf(candidates);
    }

    /** A report of this run: see {@link OptimizationReport#of(OptimizationResult)}. */
    public OptimizationReport report() {
        return OptimizationReport.of(this);
    }
}
