package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.Metrics;
import dev.dspy4j.module.Module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Combines programs into one that calls several of them and reduces their predictions: DSPy's
 * {@code Ensemble}.
 *
 * <p>Each call runs a sample of {@code size} programs (all of them by default), one after
 * another, in the sampled order, and passes their predictions to the reduce function (by default
 * {@link #majority(List)}). The sample is Python's {@code random.sample} from one
 * {@code random.Random(seed)} per compiled program (DSPy uses the unseeded global generator), so
 * sequential calls are reproducible; concurrent calls draw in arrival order. Immutable and
 * thread-safe; so is the compiled program.
 */
public final class Ensemble {

    private final Function<List<Prediction>, Prediction> reduce;
    private final Integer size;
    private final long seed;

    private Ensemble(Function<List<Prediction>, Prediction> reduce, Integer size, long seed) {
        this.reduce = Objects.requireNonNull(reduce, "reduce");
        if (size != null && size < 1) {
            throw new IllegalArgumentException("size must be at least 1, not " + size + ".");
        }
        this.size = size;
        this.seed = seed;
    }

    /** Calls every program and takes a majority vote, seed 0. */
    public static Ensemble ofDefaults() {
        return new Ensemble(Ensemble::majority, null, 0);
    }

    /** This ensemble reducing predictions with {@code fn}. */
    public Ensemble withReduce(Function<List<Prediction>, Prediction> fn) {
        return new Ensemble(fn, size, seed);
    }

    /** This ensemble calling a random sample of {@code n} programs per call. @throws IllegalArgumentException if {@code n < 1} */
    public Ensemble withSize(int n) {
        return new Ensemble(reduce, n, seed);
    }

    /** This ensemble sampling with another seed. */
    public Ensemble withSeed(long s) {
        return new Ensemble(reduce, size, s);
    }

    /**
     * The ensembled program. Its predictors are the programs', under {@code programs[i]}.
     *
     * @param programs at least one program
     * @return the combined program
     * @throws IllegalArgumentException if {@code programs} is empty or smaller than {@code size}
     */
    public Module compile(List<? extends Module> programs) {
        List<Module> all = List.copyOf(programs);
        if (all.isEmpty() || (size != null && size > all.size())) {
            throw new IllegalArgumentException("Ensemble needs at least " + (size == null ? 1 : size)
                    + " programs; got " + all.size() + ".");
        }
        return new EnsembledProgram(all, new PythonRandom(seed));
    }

    /**
     * DSPy's {@code majority}: the first prediction whose value of the last output field, after
     * {@link Metrics#normalizeText(String) normalization}, is the most common; ties go to the value
     * seen first. Predictions without a value for the field do not vote (unless none has one).
     *
     * @param predictions at least one prediction
     * @return the winning prediction
     * @throws IllegalArgumentException if {@code predictions} is empty
     */
    public static Prediction majority(List<Prediction> predictions) {
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("No predictions to vote on.");
        }
        List<String> fields = new ArrayList<>(predictions.get(0).toMap().keySet());
        if (fields.isEmpty()) {
            return predictions.get(0);
        }
        String field = fields.get(fields.size() - 1);
        Map<String, Integer> votes = new LinkedHashMap<>();
        Map<String, Prediction> first = new LinkedHashMap<>();
        for (Prediction p : predictions) {
            Object value = p.get(field);
            if (value == null) {
                continue;
            }
            String key = Metrics.normalizeText(String.valueOf(value));
            votes.merge(key, 1, Integer::sum);
            first.putIfAbsent(key, p);
        }
        String winner = null;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (winner == null || e.getValue() > votes.get(winner)) {
                winner = e.getKey();
            }
        }
        return winner == null ? predictions.get(0) : first.get(winner);
    }

    @Override
    public String toString() {
        return "Ensemble(size=" + (size == null ? "all" : size) + ", seed=" + seed + ")";
    }

    private final class EnsembledProgram extends Module {

        private final List<Module> programs;
        private final PythonRandom rng;

        EnsembledProgram(List<Module> programs, PythonRandom rng) {
            this.programs = programs;
            this.rng = rng;
        }

        @Override
        protected Prediction forward(Example inputs) {
            List<Module> chosen;
            if (size == null) {
                chosen = programs;
            } else {
                synchronized (rng) {
                    chosen = SeededSampling.sample(programs, size, rng);
                }
            }
            DspyContext context = DspyContext.current();
            List<Prediction> outputs = new ArrayList<>(chosen.size());
            for (Module program : chosen) {
                outputs.add(program.call(inputs.toMap(), context));
            }
            return reduce.apply(outputs);
        }

        @Override
        protected Map<String, ?> children() {
            return Map.of("programs", programs);
        }
    }
}
