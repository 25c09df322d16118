package dev.dspy4j.optimize;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Python's {@code random.sample} and {@code shuffle} semantics on {@link java.util.Random}. The
 * numbers differ from CPython's Mersenne Twister, so the same seed picks different examples than
 * DSPy does, but always the same ones here.
 */
final class SeededSampling {

    private SeededSampling() {}

    /** {@code k} distinct elements in selection order (partial Fisher-Yates). */
    static <T> List<T> sample(List<T> population, int k, Random rng) {
        if (k < 0 || k > population.size()) {
            throw new IllegalArgumentException("Sample of " + k + " from " + population.size() + " elements.");
        }
        List<T> pool = new ArrayList<>(population);
        for (int i = 0; i < k; i++) {
            Collections.swap(pool, i, i + rng.nextInt(pool.size() - i));
        }
        return List.copyOf(pool.subList(0, k));
    }

    /** A shuffled copy. */
    static <T> List<T> shuffled(List<T> list, Random rng) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, rng);
        return copy;
    }
}
