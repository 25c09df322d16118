package dev.dspy4j.optimize;

import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.module.Module;

import java.util.Objects;

/**
 * One program a search built and scored.
 *
 * @param seed DSPy's candidate seed: −3 zero-shot, −2 labelled demos only, −1 bootstrap on the
 *     trainset in order, {@code 0…n−1} bootstrap on a shuffled trainset with a random demo count
 * @param program the candidate program
 * @param score its score on the valset, 0 to 100
 * @param evaluation the full evaluation (per-example results, usage)
 */
public record Candidate(int seed, Module program, double score, EvaluationResult evaluation) {

    /** @throws NullPointerException if {@code program} or {@code evaluation} is {@code null} */
    public Candidate {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(evaluation, "evaluation");
    }
}
