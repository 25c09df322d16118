package dev.dspy4j.optimize;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code random.sample} and {@code shuffle} on {@link PythonRandom}, CPython's Mersenne
 * Twister: the same seed picks the same examples, in the same order, as DSPy does.
 */
final class SeededSampling {

    private SeededSampling() {}

    /** {@code rng.sample(population, k)}: {@code k} distinct elements in selection order. */
    static <T> List<T> sample(List<T> population, int k, PythonRandom rng) {
        return List.copyOf(rng.sample(population, k));
    }

    /** A copy shuffled as {@code rng.shuffle(copy)} would. */
    static <T> List<T> shuffled(List<T> list, PythonRandom rng) {
        List<T> copy = new ArrayList<>(list);
        rng.shuffle(copy);
        return copy;
    }
}
