package dev.dspy4j.optimize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses which instruction and demo set each MIPROv2 trial tries: the role optuna's
 * {@code TPESampler} plays in DSPy. The search space is categorical: one parameter per predictor
 * and kind ({@code "0_predictor_instruction"}, {@code "0_predictor_demos"}, ...), each an index
 * into that predictor's candidates.
 *
 * <p>A sampler is stateful and used by one run on one thread: {@link MiproV2} makes a fresh one
 * per run from its factory. It is told the score of every evaluated configuration (the default
 * program first, then each trial, then each periodic full evaluation), and asked for the next
 * configuration before each trial.
 */
public interface TrialSampler {

    /**
     * The next configuration to try.
     *
     * @param space each parameter's name and number of choices, in DSPy's order
     * @return an index in {@code [0, choices)} for every parameter of {@code space}
     */
    Map<String, Integer> next(Map<String, Integer> space);

    /**
     * Records the score of a configuration (higher is better).
     *
     * @param params the configuration
     * @param score its score, 0 to 100
     */
    void observe(Map<String, Integer> params, double score);

    /**
     * dspy4j's seeded Tree-structured Parzen Estimator over categorical choices (see
     * {@link MiproV2} for how it works). Not optuna's: with the same seed it does not pick the
     * same indices as DSPy, but the same seed and scores always give the same picks.
     *
     * @param seed the seed
     * @return a new sampler
     */
    static TrialSampler tpe(long seed) {
        return new TpeSampler(seed);
    }

    /**
     * A sampler that returns the given configurations in order, e.g. the choices a DSPy run
     * recorded in its {@code trial_logs}, to replay that run.
     *
     * @param choices one configuration per trial
     * @return a new sampler
     * @throws IllegalStateException from {@link #next} once the list is used up, or if a
     *     configuration lacks a parameter of the space or is out of its range
     */
    static TrialSampler replaying(List<Map<String, Integer>> choices) {
        List<Map<String, Integer>> copy = new ArrayList<>();
        for (Map<String, Integer> choice : choices) {
            copy.add(Map.copyOf(Objects.requireNonNull(choice, "choice")));
        }
        return new TrialSampler() {
            private int next;

            @Override
            public Map<String, Integer> next(Map<String, Integer> space) {
                if (next >= copy.size()) {
                    throw new IllegalStateException("The replayed sampler has only " + copy.size()
                            + " configurations; the search asked for trial " + (next + 1) + ".");
                }
                Map<String, Integer> choice = copy.get(next++);
                Map<String, Integer> out = new LinkedHashMap<>();
                space.forEach((name, count) -> {
                    Integer index = choice.get(name);
                    if (index == null || index < 0 || index >= count) {
                        throw new IllegalStateException("Replayed configuration " + next + " has " + name + "="
                                + index + ", outside 0.." + (count - 1) + ".");
                    }
                    out.put(name, index);
                });
                return out;
            }

            @Override
            public void observe(Map<String, Integer> params, double score) {}
        };
    }
}
