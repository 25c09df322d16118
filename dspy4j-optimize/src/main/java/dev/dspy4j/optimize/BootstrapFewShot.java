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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bootstraps few-shot demos from a teacher's successful runs: DSPy's {@code BootstrapFewShot}.
 *
 * <p>Walks the trainset in order until {@code maxBootstrappedDemos} examples succeed. Each example
 * is run through the teacher (the student itself unless one is set; a teacher without demos first
 * gets {@link LabeledFewShot}{@code (maxLabeledDemos)}), with that example removed from the
 * teacher's demos, in its own context whose listener records the run's trace. The run succeeds
 * when the metric, called with that trace, scores above 0 (or at least {@code metricThreshold}
 * if one is set); then every trace step becomes a demo {@code Example(augmented=true, inputs...,
 * outputs...)} for its predictor (if a predictor ran several times, one step is kept: the last
 * with probability ½, otherwise a random earlier one). An example that fails is retried for up to
 * {@code maxRounds} rounds; round {@code r > 0} runs with {@code rollout_id = r} and temperature
 * 1.0, which bypasses the cache. Each predictor's demos are then its bootstrapped demos followed
 * by labelled examples sampled from the examples that did not bootstrap (shuffled with the seed),
 * up to {@code maxLabeledDemos} in all. The shuffle and the samples come from Python's
 * {@code random.Random(seed)} (a port of CPython's Mersenne Twister), so with the default seed 0
 * they are DSPy's; only the choice among repeated steps of one predictor, which DSPy seeds with a
 * hash of the pickled demos, draws differently. An exception in a run counts as an error; the
 * {@code maxErrors}-th is rethrown.
 *
 * <p>Teacher runs go on a {@link dev.dspy4j.run.Runner}, up to {@code concurrency} at a time on
 * virtual threads, never more than the demos still needed, and their outcomes are applied in
 * trainset order, so the same seed, data and LM responses always give the same demos. A run started
 * ahead is discarded (its LM calls spent) only when enough earlier runs succeeded.
 *
 * <p>A {@link Budget} stops the walk cleanly at the first teacher run whose LM call it refuses:
 * the program is compiled from the demos bootstrapped before that run (in trainset order), then
 * labelled demos as usual, and {@link #bootstrap} reports {@link BootstrapResult#budgetExhausted()}.
 * Where a budget cuts is deterministic with {@code concurrency(1)}; with more runs in flight it
 * depends on which calls got in first. {@link Builder#listener(RunListener) Listeners} hear of
 * every teacher run; with {@code ProgressBars.terminal()} a bar shows the trainset examples tried
 * out of the trainset, the demos bootstrapped and the LM calls. Immutable and thread-safe.
 */
public final class BootstrapFewShot implements Optimizer {

    final Metric metric;
    final Double metricThreshold;
    final Module teacher;
    final DspyContext teacherContext;
    final int maxBootstrappedDemos;
    final int maxLabeledDemos;
    final int maxRounds;
    final int maxErrors;
    final int concurrency;
    final long seed;
    final Budget budget;
    final List<RunListener> listeners;

    private BootstrapFewShot(Builder b) {
        this.metric = b.metric;
        this.metricThreshold = b.metricThreshold;
        this.teacher = b.teacher;
        this.teacherContext = b.teacherContext;
        this.maxBootstrappedDemos = b.maxBootstrappedDemos;
        this.maxLabeledDemos = b.maxLabeledDemos;
        this.maxRounds = b.maxRounds;
        this.maxErrors = b.maxErrors;
        this.concurrency = b.concurrency;
        this.seed = b.seed;
        this.budget = b.budget;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A builder with DSPy's defaults: 4 bootstrapped, 16 labelled, 1 round, 10 errors, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this optimizer's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.metric = metric;
        b.metricThreshold = metricThreshold;
        b.teacher = teacher;
        b.teacherContext = teacherContext;
        b.maxBootstrappedDemos = maxBootstrappedDemos;
        b.maxLabeledDemos = maxLabeledDemos;
        b.maxRounds = maxRounds;
        b.maxErrors = maxErrors;
        b.concurrency = concurrency;
        b.seed = seed;
        b.budget = budget;
        b.listeners.addAll(listeners);
        return b;
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.dspy4j.DspyException if the teacher's predictor paths differ from the
     *     program's, or the {@code maxErrors}-th teacher run fails (that failure is rethrown)
     */
    @Override
    public Module compile(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        return bootstrap(program, trainset, context).program();
    }

    /**
     * Bootstraps demos like {@link #compile} and also says how the walk ended: use it with a
     * {@link Budget} to tell a complete bootstrap from one the budget cut short.
     *
     * @param program the student; unchanged
     * @param trainset examples to bootstrap from, in order
     * @param context the LM, adapter and listeners (teacher runs use {@code teacherContext} if set)
     * @return the compiled program, whether the budget ran out, and the counts of bootstrapped
     *     examples and skipped errors
     * @throws dev.dspy4j.DspyException if the teacher's predictor paths differ from the
     *     program's, or the {@code maxErrors}-th teacher run fails (that failure is rethrown)
     */
    public BootstrapResult bootstrap(Module program, List<Example> trainset, DspyContext context) {
        BudgetMeter meter = budget.isLimited() ? new BudgetMeter(budget) : null;
        Objects.requireNonNull(trainset, "trainset");
        return new BootstrapRun(this, program, trainset, context, meter, new AtomicBoolean(), listeners).execute();
    }

    /** At most {@code |train| × maxRounds} teacher runs. */
    @Override
    public LmCallEstimate estimate(Module program, List<Example> trainset, List<Example> valset) {
        return new LmCallEstimate((long) trainset.size() * maxRounds, 0, program.namedPredictors().size());
    }

    @Override
    public String toString() {
        return "BootstrapFewShot(maxBootstrappedDemos=" + maxBootstrappedDemos + ", maxLabeledDemos="
                + maxLabeledDemos + ", maxRounds=" + maxRounds + ", metricThreshold=" + metricThreshold
                + ", seed=" + seed + (budget.isLimited() ? ", budget=" + budget : "") + ")";
    }

    /** Settings for {@link BootstrapFewShot}; each is validated as it is set. Not thread-safe. */
    public static final class Builder {

        private Metric metric;
        private Double metricThreshold;
        private Module teacher;
        private DspyContext teacherContext;
        private int maxBootstrappedDemos = 4;
        private int maxLabeledDemos = 16;
        private int maxRounds = 1;
        private int maxErrors = 10;
        private int concurrency = 8;
        private long seed;
        private Budget budget = Budget.unlimited();
        private final List<RunListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * The metric judging teacher runs; without one every run that does not throw succeeds. It is
         * called with the teacher's context bound, so an LM judge using {@code DspyContext.current()}
         * runs on the teacher's LM and its calls count in the {@link #budget(Budget) budget}.
         */
        public Builder metric(Metric m) {
            this.metric = Objects.requireNonNull(m, "metric");
            return this;
        }

        /** Runs succeed when the metric is at least this (default: above 0). */
        public Builder metricThreshold(double threshold) {
            this.metricThreshold = threshold;
            return this;
        }

        /** The program whose runs become demos (default: the student); it must have the same predictor paths. */
        public Builder teacher(Module program) {
            this.teacher = Objects.requireNonNull(program, "teacher");
            return this;
        }

        /** A typed teacher program (see {@link #teacher(Module)}). */
        public Builder teacher(TypedModule<?, ?> program) {
            return teacher(Objects.requireNonNull(program, "teacher").module());
        }

        /** The context teacher runs use instead of the one given to {@code compile} (DSPy's teacher_settings). */
        public Builder teacherContext(DspyContext context) {
            this.teacherContext = Objects.requireNonNull(context, "teacherContext");
            return this;
        }

        /** Examples to bootstrap (default 4). @throws IllegalArgumentException if negative */
        public Builder maxBootstrappedDemos(int n) {
            this.maxBootstrappedDemos = nonNegative("maxBootstrappedDemos", n);
            return this;
        }

        /** Demos per predictor in all, bootstrapped plus labelled (default 16). @throws IllegalArgumentException if negative */
        public Builder maxLabeledDemos(int n) {
            this.maxLabeledDemos = nonNegative("maxLabeledDemos", n);
            return this;
        }

        /** Attempts per example (default 1). @throws IllegalArgumentException if less than 1 */
        public Builder maxRounds(int n) {
            this.maxRounds = positive("maxRounds", n);
            return this;
        }

        /** The failing run that is rethrown: the {@code n}-th (default 10). @throws IllegalArgumentException if less than 1 */
        public Builder maxErrors(int n) {
            this.maxErrors = positive("maxErrors", n);
            return this;
        }

        /** Teacher runs in flight at once (default 8). @throws IllegalArgumentException if less than 1 */
        public Builder concurrency(int n) {
            this.concurrency = positive("concurrency", n);
            return this;
        }

        /** The seed for shuffling, sampling labelled demos and choosing among repeated steps (default 0). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * A hard limit on the teacher runs' spend (default none). Once spent, the bootstrap stops
         * and compiles the demos found so far; see {@link BootstrapFewShot#bootstrap}.
         */
        public Builder budget(Budget b) {
            this.budget = Objects.requireNonNull(b, "budget");
            return this;
        }

        /**
         * Adds a listener to the teacher runs, called after those added before. With
         * {@code ProgressBars.terminal()} (module {@code dspy4j-evaluate}) a bar shows the trainset
         * examples tried, the demos bootstrapped and the LM calls. Default: none.
         */
        public Builder listener(RunListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The optimizer. */
        public BootstrapFewShot build() {
            return new BootstrapFewShot(this);
        }

        static int nonNegative(String name, int n) {
            if (n < 0) {
                throw new IllegalArgumentException(name + " must be at least 0, not " + n + ".");
            }
            return n;
        }

        static int positive(String name, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, not " + n + ".");
            }
            return n;
        }
    }
}
