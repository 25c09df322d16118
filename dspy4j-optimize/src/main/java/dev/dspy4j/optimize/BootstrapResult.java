package dev.dspy4j.optimize;

import dev.dspy4j.module.Module;

import java.util.Objects;

/**
 * What one {@link BootstrapFewShot#bootstrap bootstrap} produced: the compiled program and
 * whether a {@link Budget} cut the walk over the trainset short. Immutable.
 *
 * @param program the compiled program: the demos bootstrapped (before the budget ran out, if it
 *     did), then labelled demos as usual
 * @param budgetExhausted whether the budget refused a teacher run's LM call before enough
 *     examples had bootstrapped and the trainset was not yet walked to its end
 * @param bootstrapped the trainset examples whose teacher run succeeded and became demos
 * @param errors the teacher runs that failed with an exception and were skipped
 */
public record BootstrapResult(Module program, boolean budgetExhausted, int bootstrapped, int errors) {

    /** @throws NullPointerException if {@code program} is {@code null} */
    public BootstrapResult {
        Objects.requireNonNull(program, "program");
    }
}
