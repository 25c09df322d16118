package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.TypedModule;
import dev.dspy4j.run.RunListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds several few-shot candidates and keeps the one that scores best on the valset: DSPy's
 * {@code BootstrapFewShotWithRandomSearch}.
 *
 * <p>Candidates by seed: −3 the program without demos; −2 {@link LabeledFewShot}
 * {@code (maxLabeledDemos)}; −1 {@link BootstrapFewShot} on the trainset in order; then seeds
 * {@code s = 0…numCandidatePrograms−1} bootstrap on the trainset shuffled by Python's
 * {@code random.Random(s).shuffle}, with {@code random.Random(s).randint(1, maxBootstrappedDemos)}
 * bootstrapped demos from a fresh generator, as in DSPy. The generators are a port of CPython's
 * Mersenne Twister, so with the default seed 0 the shuffles and demo counts are DSPy's; a non-zero
 * {@code seed} makes candidate {@code s} use {@code random.Random(s + seed * 2**32)} instead (and
 * the labelled and bootstrap candidates use {@code seed} where DSPy uses 0). Each candidate is scored with a full {@link dev.dspy4j.evaluate.Evaluate}
 * on the valset (the trainset if none is given). Unlike DSPy, candidates are built and scored
 * {@code concurrency} at a time on a {@link dev.dspy4j.run.Runner}, all sharing the context's LM
 * (its rate limit and cache). {@link Builder#listener(RunListener) Listeners} hear of every
 * candidate (not of the bootstraps and evaluations inside one).
 *
 * <p>The result does not depend on the order in which candidates finish: a strictly higher score
 * wins and ties go to the earliest seed; with {@code stopAtScore}, the search ends at the first
 * candidate in seed order that reaches it (later candidates are cancelled and ignored). A
 * {@link Budget} stops the search cleanly and returns the best candidate scored so far (see
 * {@link OptimizationResult#budgetExhausted()}). Immutable and thread-safe.
 */
public final class BootstrapFewShotWithRandomSearch implements Optimizer {

    final BootstrapFewShot bootstrap;
    final Metric metric;
    final int numCandidatePrograms;
    final Double stopAtScore;
    final int concurrency;
    final int evaluationConcurrency;
    final Budget budget;
    final long seed;
    final List<RunListener> listeners;

    private BootstrapFewShotWithRandomSearch(Builder b) {
        if (b.metric == null) {
            throw new IllegalStateException("BootstrapFewShotWithRandomSearch needs a metric; set one with metric(...).");
        }
        this.bootstrap = b.bootstrap.seed(b.seed).build();
        this.metric = b.metric;
        this.numCandidatePrograms = b.numCandidatePrograms;
        this.stopAtScore = b.stopAtScore;
        this.concurrency = b.concurrency;
        this.evaluationConcurrency = b.evaluationConcurrency;
        // the search meters and draws for the whole run; the bootstrap builder only holds the settings
        this.budget = bootstrap.budget;
        this.seed = b.seed;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A builder; a metric is required. Defaults as in DSPy: 16 candidates, 4 bootstrapped, 16 labelled demos. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Searches and returns the best program (see {@link #search}).
     *
     * @throws dev.dspy4j.DspyException if a candidate fails to build or to be evaluated
     */
    @Override
    public Module compile(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        return search(program, trainset, valset, context).bestProgram();
    }

    /**
     * Builds and scores the candidates and returns all of them with the best.
     *
     * @param program the student; unchanged
     * @param trainset examples to bootstrap from
     * @param valset examples to score candidates on; empty for the trainset
     * @param context the LM, adapter and listeners
     * @return the best program, its score and the scored candidates
     * @throws dev.dspy4j.DspyException if a candidate fails to build (too many teacher errors) or its
     *     evaluation is cancelled for a reason other than the budget
     */
    public OptimizationResult search(Module program, List<Example> trainset, List<Example> valset,
                                     DspyContext context) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(context, "context");
        List<Example> train = List.copyOf(trainset);
        List<Example> val = valset == null || valset.isEmpty() ? train : List.copyOf(valset);
        return new RandomSearchRun(this, program, train, val, context).execute();
    }

    /**
     * {@code (numCandidatePrograms + 1) × |train| × maxRounds} teacher runs and
     * {@code (numCandidatePrograms + 3) × |val|} evaluation runs.
     */
    @Override
    public LmCallEstimate estimate(Module program, List<Example> trainset, List<Example> valset) {
        int val = valset == null || valset.isEmpty() ? trainset.size() : valset.size();
        long teacher = (long) (numCandidatePrograms + 1) * trainset.size() * bootstrap.maxRounds;
        return new LmCallEstimate(teacher, (long) (numCandidatePrograms + 3) * val, program.namedPredictors().size());
    }

    @Override
    public String toString() {
        return "BootstrapFewShotWithRandomSearch(numCandidatePrograms=" + numCandidatePrograms + ", stopAtScore="
                + stopAtScore + ", " + bootstrap + ")";
    }

    /** Settings for the search; each is validated as it is set. Not thread-safe. */
    public static final class Builder {

        private final BootstrapFewShot.Builder bootstrap = BootstrapFewShot.builder();
        private Metric metric;
        private int numCandidatePrograms = 16;
        private Double stopAtScore;
        private int concurrency = 16;
        private int evaluationConcurrency = 8;
        private long seed;
        private final List<RunListener> listeners = new ArrayList<>();

        private Builder() {}

        /** The metric for bootstrapping (in bootstrap mode, with the trace) and for scoring candidates (in evaluation mode). */
        public Builder metric(Metric m) {
            this.metric = Objects.requireNonNull(m, "metric");
            bootstrap.metric(m);
            return this;
        }

        /** Teacher runs succeed when the metric is at least this (default: above 0). */
        public Builder metricThreshold(double threshold) {
            bootstrap.metricThreshold(threshold);
            return this;
        }

        /** The teacher program for bootstrapping (default: the student). */
        public Builder teacher(Module program) {
            bootstrap.teacher(program);
            return this;
        }

        /** A typed teacher program (see {@link #teacher(Module)}). */
        public Builder teacher(TypedModule<?, ?> program) {
            return teacher(Objects.requireNonNull(program, "teacher").module());
        }

        /** The context for teacher runs (default: the one given to the search). */
        public Builder teacherContext(DspyContext context) {
            bootstrap.teacherContext(context);
            return this;
        }

        /** The most bootstrapped demos per candidate (default 4). @throws IllegalArgumentException if negative */
        public Builder maxBootstrappedDemos(int n) {
            bootstrap.maxBootstrappedDemos(n);
            return this;
        }

        /** The most demos per predictor (default 16). @throws IllegalArgumentException if negative */
        public Builder maxLabeledDemos(int n) {
            bootstrap.maxLabeledDemos(n);
            return this;
        }

        /** Attempts per trainset example (default 1). @throws IllegalArgumentException if less than 1 */
        public Builder maxRounds(int n) {
            bootstrap.maxRounds(n);
            return this;
        }

        /** The failing run (teacher or evaluation) that ends the search (default the 10th). @throws IllegalArgumentException if less than 1 */
        public Builder maxErrors(int n) {
            bootstrap.maxErrors(n);
            return this;
        }

        /** Teacher runs in flight per candidate (default 8). @throws IllegalArgumentException if less than 1 */
        public Builder teacherConcurrency(int n) {
            bootstrap.concurrency(n);
            return this;
        }

        /** Random candidates after the three baselines (default 16). @throws IllegalArgumentException if negative */
        public Builder numCandidatePrograms(int n) {
            this.numCandidatePrograms = BootstrapFewShot.Builder.nonNegative("numCandidatePrograms", n);
            return this;
        }

        /** End the search at the first candidate (in seed order) scoring at least this, 0 to 100. */
        public Builder stopAtScore(double score) {
            this.stopAtScore = score;
            return this;
        }

        /** Candidates built and scored at once (default 16). @throws IllegalArgumentException if less than 1 */
        public Builder concurrency(int n) {
            this.concurrency = BootstrapFewShot.Builder.positive("concurrency", n);
            return this;
        }

        /** Examples evaluated at once per candidate (default 8). @throws IllegalArgumentException if less than 1 */
        public Builder evaluationConcurrency(int n) {
            this.evaluationConcurrency = BootstrapFewShot.Builder.positive("evaluationConcurrency", n);
            return this;
        }

        /** A hard limit on the whole search's spend, teacher and evaluation runs (default none). */
        public Builder budget(Budget b) {
            bootstrap.budget(b);
            return this;
        }

        /**
         * Adds a listener to the search's candidates, called after those added before. With
         * {@code ProgressBars.terminal()} (module {@code dspy4j-evaluate}) a bar shows the
         * candidates scored, the ETA, the best score so far and the LM calls. Default: none.
         */
        public Builder listener(RunListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The base seed (default 0, DSPy's draws): candidate {@code s} uses Python's
         * {@code random.Random(s + seed * 2**32)}; labelled sampling and bootstrapping use {@code seed}.
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * The optimizer.
         *
         * @throws IllegalStateException if no metric is set
         */
        public BootstrapFewShotWithRandomSearch build() {
            return new BootstrapFewShotWithRandomSearch(this);
        }
    }
}
