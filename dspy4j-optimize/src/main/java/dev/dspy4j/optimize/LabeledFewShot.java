package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.module.Module;

import java.util.List;
import java.util.Objects;

/**
 * Gives every predictor {@code min(k, |train|)} trainset examples as demos, without calling an LM:
 * DSPy's {@code LabeledFewShot}.
 *
 * <p>With sampling (the default) one Python {@code random.Random(seed)} (a port of CPython's
 * Mersenne Twister) is shared across predictors in path order and draws
 * {@code rng.sample(trainset, min(k, |train|))} for each, as DSPy's {@code Random(0).sample} does:
 * with the default seed 0 the examples picked, and their order, are DSPy's. Without sampling every
 * predictor gets the first {@code k}. Immutable and thread-safe.
 */
public final class LabeledFewShot implements Optimizer {

    private final int k;
    private final boolean sample;
    private final long seed;

    private LabeledFewShot(int k, boolean sample, long seed) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be at least 0, not " + k + ".");
        }
        this.k = k;
        this.sample = sample;
        this.seed = seed;
    }

    /** Samples {@code k} demos per predictor with seed 0. */
    public static LabeledFewShot of(int k) {
        return new LabeledFewShot(k, true, 0);
    }

    /** DSPy's default, {@code k = 16}. */
    public static LabeledFewShot ofDefaults() {
        return of(16);
    }

    /** This optimizer with another seed. */
    public LabeledFewShot withSeed(long newSeed) {
        return new LabeledFewShot(k, sample, newSeed);
    }

    /** This optimizer taking the first {@code k} examples instead of a random sample. */
    public LabeledFewShot withoutSampling() {
        return new LabeledFewShot(k, false, seed);
    }

    /** The number of demos per predictor. */
    public int k() {
        return k;
    }

    @Override
    public Module compile(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        Objects.requireNonNull(program, "program");
        List<Example> train = List.copyOf(trainset);
        int size = Math.min(k, train.size());
        PythonRandom rng = new PythonRandom(seed);
        return program.mapState((path, state) -> state.withDemos(
                sample ? SeededSampling.sample(train, size, rng) : train.subList(0, size)));
    }

    /** No LM calls. */
    @Override
    public LmCallEstimate estimate(Module program, List<Example> trainset, List<Example> valset) {
        return new LmCallEstimate(0, 0, program.namedPredictors().size());
    }

    @Override
    public String toString() {
        return "LabeledFewShot(k=" + k + (sample ? ", seed=" + seed : ", first k") + ")";
    }
}
