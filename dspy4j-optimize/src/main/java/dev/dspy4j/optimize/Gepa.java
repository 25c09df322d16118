package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.RunListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reflective prompt evolution: DSPy's {@code GEPA}, as DSPy 3.3.1 runs it through the
 * {@code gepa} package. It evolves each predictor's instruction (never demos) from textual
 * feedback.
 *
 * <p>The loop, until the budget of metric calls is spent: pick a parent candidate from the Pareto
 * frontier over the valset (seeded draw weighted by how many valset examples a candidate is best
 * on); run it on a minibatch of {@code reflectionMinibatchSize} trainset examples (epoch-shuffled);
 * skip the iteration if every score is perfect; otherwise pick the next predictor round-robin, show
 * the reflection LM its instruction with the inputs, outputs and metric feedback of its calls, and
 * take the new instruction from the {@code ```} block of the reply; keep the child only if its
 * minibatch score sum is strictly higher, and then score it on the whole valset. The result is the
 * candidate with the highest mean valset score.
 *
 * <p>The metric is called in three ways: on valset examples in
 * {@link dev.dspy4j.evaluate.MetricContext.Evaluation evaluation} mode; on minibatch runs in
 * {@link dev.dspy4j.evaluate.MetricContext.Bootstrap bootstrap} mode with the run's trace (DSPy's
 * {@code trace}); and, while reflecting on one predictor, in
 * {@link dev.dspy4j.evaluate.MetricContext.Feedback feedback} mode with that predictor's call (DSPy's
 * {@code pred_name} and {@code pred_trace}). Each call has the run's context bound, so an LM
 * judge using {@code DspyContext.current()} runs on the task LM and its calls count in the
 * {@link Builder#budget(Budget) budget}. A score without feedback is shown as
 * {@code "This trajectory got a score of <score>."}, as in DSPy. The budget counts metric calls as
 * {@code gepa} does: one per example of each valset and minibatch evaluation (feedback calls are
 * free).
 *
 * <p>With merging on (the default, as in DSPy), an iteration after an accepted child may instead
 * combine two non-dominated candidates that share an ancestor (see {@link Builder#useMerge}).
 *
 * <p>With seed 0 the draws (Python's {@code random.Random}, ported) are DSPy's. By default examples
 * run one at a time, in order, making DSPy's LM calls in DSPy's order; with
 * {@link Builder#evaluationConcurrency} several run at once and their results are kept in order.
 *
 * <p>A {@link Builder#budget(Budget) Budget} caps the LM calls, tokens or cost of the run (program
 * runs and reflection calls) on top of the metric-call budget; see {@link Builder#budget}.
 * Immutable and thread-safe; each compilation has its own state.
 *
 * <p><b>Checkpoints and resume.</b> With {@link Builder#checkpointDir(Path)}, a run writes to the
 * directory, each file atomically (temp file, fsync, atomic rename): {@code manifest.json} with a
 * fingerprint of the run at its start; {@code iteration-0000.json} after the seed program's valset
 * evaluation; and {@code iteration-NNNN.json} after each iteration, recording how it ended (child
 * or merge accepted, with its instructions, parents and valset scores; or rejected or skipped),
 * the metric calls it spent, and the state later iterations depend on: the running total, each
 * candidate's next predictor, both generators, the minibatch epoch and the merge schedule. Run the
 * same optimization again with the same directory to resume: the candidates are re-added in order
 * (rebuilding the Pareto frontier), the rest is restored from the last file, and the run continues
 * with the next iteration without an LM call for the finished ones, ending with the result an
 * uninterrupted run with the same seed gives. The fingerprint covers the seed, every setting that
 * changes draws or scores ({@code evaluationConcurrency} does not), the budget, the trainset, the
 * valset and the program's state; a checkpoint with another fingerprint is refused with a
 * {@link CheckpointException}, as is a damaged file (delete the directory to start over). The
 * metric and the LMs cannot be fingerprinted: resuming with different ones is not detected.
 */
public final class Gepa implements Optimizer {

    /** The presets of {@link Builder#auto(Auto)}: the number of candidates DSPy's budget formula assumes. */
    public enum Auto {
        /** {@code n = 6}. */
        LIGHT(6),
        /** {@code n = 12}. */
        MEDIUM(12),
        /** {@code n = 18}. */
        HEAVY(18);

        final int candidates;

        Auto(int candidates) {
            this.candidates = candidates;
        }
    }

    /** How the parent of each iteration is chosen. */
    public enum CandidateSelection {
        /** Sampled from the valset Pareto frontier, weighted by the examples each candidate leads (default). */
        PARETO,
        /** Always the candidate with the best mean valset score. */
        CURRENT_BEST
    }

    /** Which predictors are rewritten per iteration. */
    public enum ComponentSelection {
        /** One, each candidate cycling through the predictors in order (default). */
        ROUND_ROBIN,
        /** All of them. */
        ALL
    }

    final Metric metric;
    final Lm reflectionLm;
    final LmOptions reflectionOptions;
    final Auto auto;
    final Integer maxMetricCalls;
    final Integer maxFullEvals;
    final int reflectionMinibatchSize;
    final CandidateSelection candidateSelection;
    final ComponentSelection componentSelection;
    final boolean skipPerfectScore;
    final double perfectScore;
    final double failureScore;
    final long seed;
    final boolean useMerge;
    final int maxMergeInvocations;
    final int evaluationConcurrency;
    final Optional<Path> checkpointDir;
    final Budget budget;
    final List<RunListener> listeners;

    private Gepa(Builder b) {
        if (b.metric == null) {
            throw new IllegalStateException("Gepa needs a metric; set one with metric(...).");
        }
        if (b.reflectionLm == null) {
            throw new IllegalStateException("Gepa needs a reflection LM to propose instructions; set one with "
                    + "reflectionLm(...) (a strong model, e.g. with temperature 1.0 and a large max_tokens).");
        }
        int budgets = (b.auto != null ? 1 : 0) + (b.maxMetricCalls != null ? 1 : 0) + (b.maxFullEvals != null ? 1 : 0);
        if (budgets != 1) {
            throw new IllegalStateException("Gepa needs exactly one budget: auto(...), maxMetricCalls(...) or "
                    + "maxFullEvals(...); " + (budgets == 0 ? "none is set." : budgets + " are set (auto="
                    + b.auto + ", maxMetricCalls=" + b.maxMetricCalls + ", maxFullEvals=" + b.maxFullEvals + ")."));
        }
        this.metric = b.metric;
        this.reflectionLm = b.reflectionLm;
        this.reflectionOptions = b.reflectionOptions;
        this.auto = b.auto;
        this.maxMetricCalls = b.maxMetricCalls;
        this.maxFullEvals = b.maxFullEvals;
        this.reflectionMinibatchSize = b.reflectionMinibatchSize;
        this.candidateSelection = b.candidateSelection;
        this.componentSelection = b.componentSelection;
        this.skipPerfectScore = b.skipPerfectScore;
        this.perfectScore = b.perfectScore;
        this.failureScore = b.failureScore;
        this.seed = b.seed;
        this.useMerge = b.useMerge;
        this.maxMergeInvocations = b.maxMergeInvocations;
        this.evaluationConcurrency = b.evaluationConcurrency;
        this.budget = b.budget;
        this.listeners = List.copyOf(b.listeners);
        this.checkpointDir = b.checkpointDir;
    }

    /** Every setting that changes a run's draws or scores, for the checkpoint fingerprint. */
    String settingsForFingerprint() {
        return "Gepa auto=" + auto + " maxMetricCalls=" + maxMetricCalls + " maxFullEvals=" + maxFullEvals
                + " reflectionMinibatchSize=" + reflectionMinibatchSize + " candidateSelection=" + candidateSelection
                + " componentSelection=" + componentSelection + " skipPerfectScore=" + skipPerfectScore
                + " perfectScore=" + perfectScore + " failureScore=" + failureScore + " seed=" + seed
                + " useMerge=" + useMerge + " maxMergeInvocations=" + maxMergeInvocations
                + " reflectionOptions=" + reflectionOptions;
    }

    /** A builder; a metric, a reflection LM and one budget are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the search and returns the best program (see {@link #optimize}).
     *
     * @throws IllegalArgumentException if the trainset is empty or the budget cannot pay for one iteration
     * @throws dev.dspy4j.DspyException if an LM call fails
     */
    @Override
    public Module compile(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        return optimize(program, trainset, valset, context).bestProgram();
    }

    /**
     * Runs the search and returns the best program with the detailed results.
     *
     * @param program the student; unchanged
     * @param trainset examples for the reflection minibatches; not empty
     * @param valset examples that score candidates and form the Pareto frontier; empty for the trainset
     * @param context the task LM, adapter and listeners
     * @return the detailed results, with the best program
     * @throws IllegalArgumentException if the trainset is empty, or the budget is spent by the seed's
     *     valset evaluation
     * @throws dev.dspy4j.DspyException if an LM call fails
     */
    public GepaResult optimize(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(context, "context");
        if (trainset == null || trainset.isEmpty()) {
            throw new IllegalArgumentException("Gepa needs a non-empty trainset for its reflection minibatches.");
        }
        if (program.namedPredictors().isEmpty()) {
            throw new IllegalArgumentException("The program has no predictors whose instructions Gepa could evolve.");
        }
        List<Example> train = List.copyOf(trainset);
        boolean ownValset = valset != null && !valset.isEmpty();
        List<Example> val = ownValset ? List.copyOf(valset) : train;
        int budget = metricCallBudget(program.namedPredictors().size(), train.size(), ownValset ? val.size() : 0,
                val.size());
        if (budget <= val.size()) {
            throw new IllegalArgumentException("A budget of " + budget + " metric calls is spent by scoring the "
                    + "seed program on the " + val.size() + " valset examples; raise it above " + val.size()
                    + " (each iteration costs " + reflectionMinibatchSize + " to " + (2 * reflectionMinibatchSize
                    + val.size()) + " more).");
        }
        return new GepaRun(this, program, train, val, context, budget).execute();
    }

    /**
     * The budget in metric calls, as DSPy computes it: {@code maxMetricCalls}; or
     * {@code maxFullEvals × (|train| + |val|)} ({@code |val| = 0} when no valset is given); or for
     * {@code auto}, with {@code T = int(max(4·P·log2 n, 1.5·n))}:
     * {@code V + 5n + 35T + ((T+1)/5 + 1 + [T<5])·V}.
     */
    int metricCallBudget(int predictors, int trainSize, int givenValSize, int valSize) {
        if (maxMetricCalls != null) {
            return maxMetricCalls;
        }
        if (maxFullEvals != null) {
            return maxFullEvals * (trainSize + givenValSize);
        }
        return autoBudget(predictors, auto.candidates, valSize);
    }

    static int autoBudget(int predictors, int candidates, int valSize) {
        double log2 = Math.log(candidates) / Math.log(2);
        int trials = (int) Math.max(2 * (predictors * 2) * log2, 1.5 * candidates);
        int total = valSize + candidates * 5 + trials * 35;
        if (trials == 0) {
            return total;
        }
        int periodic = (trials + 1) / 5 + 1;
        int extraFinal = trials < 5 ? 1 : 0;
        return total + (periodic + extraFinal) * valSize;
    }

    /**
     * Every metric call is one program run: {@code budget} evaluation runs (the last iteration may
     * pass the budget by up to {@code 2 × minibatch + |val|} metric calls, as in gepa); plus, as
     * prompt calls, one reflection call per predictor rewritten in an iteration, for at most
     * {@code budget / (2 × minibatch) + 1} iterations.
     */
    @Override
    public LmCallEstimate estimate(Module program, List<Example> trainset, List<Example> valset) {
        boolean ownValset = valset != null && !valset.isEmpty();
        int valSize = ownValset ? valset.size() : trainset.size();
        int predictors = program.namedPredictors().size();
        int budget = metricCallBudget(predictors, trainset.size(), ownValset ? valSize : 0, valSize);
        // a reflecting iteration spends at least two minibatches of metric calls
        long reflections = (long) (budget / (2 * reflectionMinibatchSize) + 1)
                * (componentSelection == ComponentSelection.ALL ? predictors : 1);
        return new LmCallEstimate(0, budget, predictors, reflections);
    }

    @Override
    public String toString() {
        String budget = auto != null ? "auto=" + auto : maxMetricCalls != null ? "maxMetricCalls=" + maxMetricCalls
                : "maxFullEvals=" + maxFullEvals;
        return "Gepa(" + budget + ", reflectionMinibatchSize=" + reflectionMinibatchSize + ", candidateSelection="
                + candidateSelection + ", componentSelection=" + componentSelection + ", skipPerfectScore="
                + skipPerfectScore + ", perfectScore=" + perfectScore + ", useMerge=" + useMerge
                + ", maxMergeInvocations=" + maxMergeInvocations + ", evaluationConcurrency=" + evaluationConcurrency
                + ", seed=" + seed + ")";
    }

    /** Settings for {@link Gepa}; each is validated as it is set. Defaults as in DSPy. Not thread-safe. */
    public static final class Builder {

        private Metric metric;
        private Lm reflectionLm;
        private LmOptions reflectionOptions = LmOptions.NONE;
        private Auto auto;
        private Integer maxMetricCalls;
        private Integer maxFullEvals;
        private int reflectionMinibatchSize = 3;
        private CandidateSelection candidateSelection = CandidateSelection.PARETO;
        private ComponentSelection componentSelection = ComponentSelection.ROUND_ROBIN;
        private boolean skipPerfectScore = true;
        private double perfectScore = 1.0;
        private double failureScore = 0.0;
        private long seed;
        private boolean useMerge = true;
        private int maxMergeInvocations = 5;
        private int evaluationConcurrency = 1;
        private Optional<Path> checkpointDir = Optional.empty();
        private Budget budget = Budget.unlimited();
        private final List<RunListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * The metric; its {@link dev.dspy4j.evaluate.Score#feedback() feedback} guides the
         * reflection (see {@link dev.dspy4j.evaluate.MetricContext.Feedback}). Without feedback,
         * the reflection LM sees {@code "This trajectory got a score of <score>."}.
         */
        public Builder metric(Metric m) {
            this.metric = Objects.requireNonNull(m, "metric");
            return this;
        }

        /**
         * The LM that proposes instructions, called with one user message, routed through the
         * compile context's interceptors and listeners.
         */
        public Builder reflectionLm(Lm lm) {
            this.reflectionLm = Objects.requireNonNull(lm, "reflectionLm");
            return this;
        }

        /** Options for the reflection calls, e.g. temperature 1.0 and 32000 max tokens (default: none). */
        public Builder reflectionOptions(LmOptions options) {
            this.reflectionOptions = Objects.requireNonNull(options, "reflectionOptions");
            return this;
        }

        /** A budget preset, sized by DSPy's formula from the predictors and the valset. */
        public Builder auto(Auto preset) {
            this.auto = Objects.requireNonNull(preset, "auto");
            return this;
        }

        /** A budget in metric calls (one per example evaluated). @throws IllegalArgumentException if less than 1 */
        public Builder maxMetricCalls(int n) {
            this.maxMetricCalls = positive("maxMetricCalls", n);
            return this;
        }

        /** A budget in full passes over trainset plus valset. @throws IllegalArgumentException if less than 1 */
        public Builder maxFullEvals(int n) {
            this.maxFullEvals = positive("maxFullEvals", n);
            return this;
        }

        /** Trainset examples per reflection (default 3). @throws IllegalArgumentException if less than 1 */
        public Builder reflectionMinibatchSize(int n) {
            this.reflectionMinibatchSize = positive("reflectionMinibatchSize", n);
            return this;
        }

        /** How parents are chosen (default {@link CandidateSelection#PARETO}). */
        public Builder candidateSelection(CandidateSelection selection) {
            this.candidateSelection = Objects.requireNonNull(selection, "candidateSelection");
            return this;
        }

        /** Which predictors each iteration rewrites (default {@link ComponentSelection#ROUND_ROBIN}). */
        public Builder componentSelection(ComponentSelection selection) {
            this.componentSelection = Objects.requireNonNull(selection, "componentSelection");
            return this;
        }

        /** Whether a minibatch where every score reaches {@code perfectScore} is skipped (default true). */
        public Builder skipPerfectScore(boolean skip) {
            this.skipPerfectScore = skip;
            return this;
        }

        /** The score that counts as perfect (default 1.0). @throws IllegalArgumentException if not finite */
        public Builder perfectScore(double score) {
            this.perfectScore = finite("perfectScore", score);
            return this;
        }

        /** The score of a run that fails (default 0.0). @throws IllegalArgumentException if not finite */
        public Builder failureScore(double score) {
            this.failureScore = finite("failureScore", score);
            return this;
        }

        /** The seed of the parent and minibatch draws (default 0, DSPy's). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * Whether to merge candidates (default true, as in DSPy): after each accepted child, the
         * next iteration may combine two non-dominated candidates with a common ancestor, taking
         * from each the instructions it changed; the merge is scored on 5 valset examples and kept
         * (and scored on the whole valset) if it does at least as well as both parents there.
         */
        public Builder useMerge(boolean merge) {
            this.useMerge = merge;
            return this;
        }

        /** The most merges kept (default 5). @throws IllegalArgumentException if negative */
        public Builder maxMergeInvocations(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxMergeInvocations must not be negative, not " + n + ".");
            }
            this.maxMergeInvocations = n;
            return this;
        }

        /**
         * How many examples of one minibatch or valset evaluation run at once (default 1: one
         * after another, so that a run makes its LM calls in the same order as DSPy's and replays
         * a captured run). Scores, candidates and budget are the same at any setting when the LMs
         * answer each request the same way; only the order of the calls changes. Against a remote
         * LM, a higher value divides the evaluations' wall time by up to this factor.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder evaluationConcurrency(int n) {
            this.evaluationConcurrency = positive("evaluationConcurrency", n);
            return this;
        }

        /**
         * A directory where the run saves its progress as it goes, and from which a later run with
         * the same seed, settings, data and program resumes: see <em>Checkpoints and resume</em> in
         * the class comment. Off by default. One run at a time per directory.
         */
        public Builder checkpointDir(Path dir) {
            this.checkpointDir = Optional.of(Objects.requireNonNull(dir, "checkpointDir"));
            return this;
        }

        /**
         * A hard cap on the run's LM calls, tokens or cost, counting program runs and reflection
         * calls; unlimited by default. It adds to the budget in metric calls ({@link #auto},
         * {@link #maxMetricCalls}, {@link #maxFullEvals}), which still sizes the run: whichever is
         * spent first ends it. When this one runs out the run stops cleanly: the iteration it cut
         * short is dropped and the best candidate so far is returned, flagged
         * {@link GepaResult#budgetExhausted()}.
         */
        public Builder budget(Budget b) {
            this.budget = Objects.requireNonNull(b, "budget");
            return this;
        }

        /**
         * Adds a listener to the search, called after those added before: one item per metric call
         * of the metric-call budget, as gepa's progress bar. With {@code ProgressBars.terminal()}
         * (module {@code dspy4j-evaluate}) a bar shows the metric calls spent and the best score.
         */
        public Builder listener(RunListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The optimizer.
         *
         * @throws IllegalStateException if the metric, the reflection LM or the budget is missing,
         *     or more than one budget is set
         */
        public Gepa build() {
            return new Gepa(this);
        }

        private static int positive(String name, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, not " + n + ".");
            }
            return n;
        }

        private static double finite(String name, double value) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be a finite number, not " + value + ".");
            }
            return value;
        }
    }
}
