package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.RunListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Proposes instructions grounded in the data and the program, then searches instruction (and
 * demo set) combinations with a sampler: DSPy 3.3.1's {@code MIPROv2}.
 *
 * <p>A run, in order, with one seeded Python-compatible generator ({@code random.Random(seed)},
 * a port of CPython's Mersenne Twister) for every draw, so the draws are DSPy's:
 * <ol>
 *   <li>With {@link Auto} other than {@code OFF}, the valset is resampled to at most 100/300/1000
 *       examples; minibatching is on only if more than 50 remain.
 *   <li><b>Demo sets</b> on the task LM (the context's): set 0 has no demos; then labelled demos
 *       (if {@code maxLabeledDemos > 0}), an in-order {@link BootstrapFewShot}, and bootstraps on
 *       shuffled trainsets with a random demo count, as DSPy's {@code create_n_fewshot_demo_sets}.
 *       In zero-shot mode ({@code maxBootstrappedDemos = maxLabeledDemos = 0}) 3 demos are
 *       bootstrapped per set only to show the proposer.
 *   <li><b>Proposals</b> on the prompt LM: a dataset summary (observations on batches of
 *       {@code viewDataBatchSize} trainset examples, then a summary: 2+ calls); then for each
 *       predictor and each of {@code min(numInstructionCandidates, demo sets)} proposals: a tip
 *       drawn at random, a {@code rollout_id} drawn, and three calls at
 *       {@code temperature = initTemperature}: describe the program, describe the predictor,
 *       propose an instruction. Proposal 0 is then replaced by the predictor's own instruction.
 *   <li><b>Search</b> on the task LM: the program as given is scored on the whole valset; then
 *       {@code numTrials} trials, each a configuration from the {@link TrialSampler}, scored on the
 *       whole valset, or with minibatching on {@code minibatchSize} examples drawn at random with
 *       a full evaluation of the best-mean configuration not yet fully scored every
 *       {@code minibatchFullEvalSteps} trials and after the last. The best full score wins.
 * </ol>
 *
 * <p><b>Differences from DSPy.</b> The default sampler is dspy4j's own seeded TPE
 * ({@link TrialSampler#tpe}), not optuna's, so the search picks different configurations from
 * DSPy's with the same seed; {@link TrialSampler#replaying} replays a recorded run. DSPy shows the
 * proposer the program's Python source; a Java program has none to show, so the proposer sees
 * {@link Builder#programCode(String) programCode} if set, otherwise the same text DSPy sends for a
 * lone {@code Predict} or {@code ChainOfThought} (two newlines, DSPy reads no source for those)
 * and, for other programs, each predictor's path, inputs, outputs and instruction. Proposer
 * failures are not swallowed (DSPy drops the failing grounding and carries on). When every
 * configuration has been fully evaluated, a periodic full evaluation is skipped (DSPy fails).
 *
 * <p><b>Cost.</b> Prompt LM: 2 to 11 summary calls, then 3 × predictors × instruction candidates.
 * Task LM: up to {@code |train|} runs per bootstrapped demo set, then {@code |val| × (numTrials + 1)}
 * runs, or with minibatching at most
 * {@code minibatchSize × numTrials + |val| × (numTrials / minibatchFullEvalSteps + 2)}.
 *
 * <p><b>Not built yet:</b> the teacher program and teacher settings, and switching off parts of
 * the grounding (DSPy's {@code program_aware_proposer}, {@code data_aware_proposer},
 * {@code tip_aware_proposer}, {@code fewshot_aware_proposer}; they are always on, as DSPy's defaults).
 *
 * <p><b>Budget.</b> A {@link Builder#budget(Budget) Budget} caps every LM call of the run: demo
 * bootstrapping, the prompt LM's summaries and proposals, and the trials. When it runs out the
 * search stops cleanly: the result holds the best fully evaluated configuration so far (the
 * program as given if none was scored) and {@link MiproResult#budgetExhausted()}; a trial cut short
 * is left out. Check {@link #estimate} before a run.
 *
 * <p><b>Checkpoints and resume.</b> With {@link Builder#checkpointDir(Path)}, a run writes to the
 * directory, each file atomically (temp file, fsync, atomic rename): {@code manifest.json} with a
 * fingerprint of the run at its start; {@code proposals.json} (the instruction candidates, the
 * demo sets and the generator's state) after the proposal phase; and {@code trial-NNNN.json}
 * (the configuration, score, full or minibatch, program runs) after each evaluation, the baseline
 * and periodic full evaluations included. Run the same search again with the same directory to
 * resume: the proposal phase is read back (no bootstrap or proposer LM calls), and the search
 * replays its draws from the restored generator and a fresh sampler fed the recorded scores, so
 * finished evaluations are not run again and the result equals an uninterrupted run's. The
 * fingerprint covers the seed, the settings, the trainset, the valset and the program's state;
 * a checkpoint with another fingerprint is refused with a {@link CheckpointException}, as is a
 * damaged file (delete the directory to start over). The metric, the LMs and the sampler factory
 * cannot be fingerprinted: resuming with different ones is not detected. The sampler must be
 * deterministic for its seed and the scores it is told, as both built-in samplers are.
 *
 * <p>Immutable and thread-safe; each run makes its own generator and sampler.
 */
public final class MiproV2 implements Optimizer {

    /** DSPy's {@code auto} presets. */
    public enum Auto {
        /** No preset: {@code numCandidates} and {@code numTrials} must be set. */
        OFF(0, 0),
        /** 6 candidates, valset of at most 100. */
        LIGHT(6, 100),
        /** 12 candidates, valset of at most 300. */
        MEDIUM(12, 300),
        /** 18 candidates, valset of at most 1000. */
        HEAVY(18, 1000);

        final int candidates;
        final int valsetSize;

        Auto(int candidates, int valsetSize) {
            this.candidates = candidates;
            this.valsetSize = valsetSize;
        }
    }

    /** Demos bootstrapped per set in zero-shot mode, only to ground the proposer (DSPy's constant). */
    static final int ZERO_SHOT_GROUNDING_DEMOS = 3;
    /** Minibatching is used with {@link Auto} only when the valset is larger than this. */
    static final int MIN_MINIBATCH_VALSET = 50;

    final Metric metric;
    final Lm promptLm;
    final int maxBootstrappedDemos;
    final int maxLabeledDemos;
    final Auto auto;
    final int numCandidates;
    final int numTrials;
    final long seed;
    final double initTemperature;
    final boolean minibatch;
    final int minibatchSize;
    final int minibatchFullEvalSteps;
    final int viewDataBatchSize;
    final int maxErrors;
    final Double metricThreshold;
    final int concurrency;
    final String programCode;
    final LongFunction<? extends TrialSampler> sampler;
    final Optional<Path> checkpointDir;
    final Budget budget;
    final List<RunListener> listeners;

    private MiproV2(Builder b) {
        if (b.metric == null) {
            throw new IllegalStateException("MiproV2 needs a metric; set one with metric(...).");
        }
        if (b.auto != Auto.OFF && (b.numCandidates > 0 || b.numTrials > 0)) {
            throw new IllegalStateException("auto(" + b.auto + ") sets numCandidates and numTrials; either call "
                    + "auto(Auto.OFF) or do not set numCandidates(...) and numTrials(...).");
        }
        if (b.auto == Auto.OFF && (b.numCandidates == 0 || b.numTrials == 0)) {
            throw new IllegalStateException("With auto(Auto.OFF), set both numCandidates(...) and numTrials(...)"
                    + (b.numCandidates > 0 ? "; about " + recommendedTrials(1, false, b.numCandidates)
                    + " trials per predictor-and-kind suits " + b.numCandidates + " candidates." : "."));
        }
        this.metric = b.metric;
        this.promptLm = b.promptLm;
        this.maxBootstrappedDemos = b.maxBootstrappedDemos;
        this.maxLabeledDemos = b.maxLabeledDemos;
        this.auto = b.auto;
        this.numCandidates = b.numCandidates;
        this.numTrials = b.numTrials;
        this.seed = b.seed;
        this.initTemperature = b.initTemperature;
        this.minibatch = b.minibatch;
        this.minibatchSize = b.minibatchSize;
        this.minibatchFullEvalSteps = b.minibatchFullEvalSteps;
        this.viewDataBatchSize = b.viewDataBatchSize;
        this.maxErrors = b.maxErrors;
        this.metricThreshold = b.metricThreshold;
        this.concurrency = b.concurrency;
        this.programCode = b.programCode;
        this.sampler = b.sampler;
        this.checkpointDir = b.checkpointDir;
        this.budget = b.budget;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A builder; a metric is required. Defaults as DSPy's: {@code auto = LIGHT}, seed 9, 4 + 4 demos. */
    public static Builder builder() {
        return new Builder();
    }

    boolean zeroShot() {
        return maxBootstrappedDemos == 0 && maxLabeledDemos == 0;
    }

    /** DSPy's trial count for {@code n} candidates: {@code int(max(2·V·log2 n, 1.5·n))}, V doubled with demos. */
    static int recommendedTrials(int predictors, boolean zeroShot, int n) {
        int variables = zeroShot ? predictors : predictors * 2;
        return (int) Math.max(2 * variables * (Math.log(n) / Math.log(2)), 1.5 * n);
    }

    /**
     * Runs the search and returns its best program.
     *
     * @throws IllegalArgumentException if the datasets are too small for the settings
     * @throws dev.dspy4j.DspyException if an LM call or a bootstrap fails
     */
    @Override
    public Module compile(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        return search(program, trainset, valset, context).bestProgram();
    }

    /**
     * Runs the search and returns everything it found.
     *
     * @param program the student; unchanged
     * @param trainset examples to bootstrap demos from and to summarize for the proposer
     * @param valset examples to score configurations on; empty for the last 80% of the trainset
     *     (at most 1000), the rest then being the trainset, as DSPy
     * @param context the task LM, adapter and listeners; the prompt LM is {@link Builder#promptLm}
     *     or this context's LM
     * @return the best program, its score, the candidates and every trial
     * @throws IllegalArgumentException if the trainset is empty, or has fewer than 2 examples with no
     *     valset, or the minibatch is larger than the valset
     * @throws dev.dspy4j.DspyException if an LM call or a bootstrap fails
     */
    public MiproResult search(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(trainset, "trainset");
        Objects.requireNonNull(context, "context");
        return new MiproRun(this, program, trainset, valset == null ? List.of() : valset, context).execute();
    }

    /**
     * The bootstrap runs and evaluation runs on the task LM, from the settings alone (the
     * {@code auto} valset is taken at its largest), and as prompt calls the prompt LM's most:
     * {@code 2} to {@code 11} for the dataset summary and {@code 3 × predictors × candidates} for
     * the proposals.
     */
    @Override
    public LmCallEstimate estimate(Module program, List<Example> trainset, List<Example> valset) {
        int predictors = program.namedPredictors().size();
        int train = trainset.size();
        boolean split = valset == null || valset.isEmpty();
        int val = split ? Math.min(1000, Math.max(1, (int) (train * 0.8))) : valset.size();
        if (split) {
            train -= val;
        }
        int fewShot = numCandidates;
        int trials = numTrials;
        boolean mb = minibatch;
        if (auto != Auto.OFF) {
            val = Math.min(val, auto.valsetSize);
            mb = val > MIN_MINIBATCH_VALSET;
            fewShot = auto.candidates;
            trials = recommendedTrials(predictors, zeroShot(), auto.candidates);
        }
        // of the n sets (seeds -3 .. n-4) all but -3 are bootstrapped, and -2 too unless it holds labelled demos
        int bootstraps = Math.max(0, fewShot - 1 - (!zeroShot() && maxLabeledDemos > 0 ? 1 : 0));
        long evaluation = mb ? (long) minibatchSize * trials + (long) val * (trials / minibatchFullEvalSteps + 2)
                : (long) val * (trials + 1);
        long summary = 2 + Math.min(GroundedProposer.MAX_SUMMARY_CALLS - 1,
                Math.max(0, (train - 1) / viewDataBatchSize));
        long proposals = 3L * predictors * fewShot;
        return new LmCallEstimate((long) bootstraps * train, evaluation, predictors, summary + proposals);
    }

    /** Every setting that changes a run's draws or evaluations, for the checkpoint fingerprint. */
    String settingsForFingerprint() {
        return toString() + " initTemperature=" + initTemperature + " minibatchSize=" + minibatchSize
                + " minibatchFullEvalSteps=" + minibatchFullEvalSteps + " viewDataBatchSize=" + viewDataBatchSize
                + " maxErrors=" + maxErrors + " metricThreshold=" + metricThreshold + " programCode=" + programCode;
    }

    @Override
    public String toString() {
        return "MiproV2(auto=" + auto + ", numCandidates=" + numCandidates + ", numTrials=" + numTrials
                + ", maxBootstrappedDemos=" + maxBootstrappedDemos + ", maxLabeledDemos=" + maxLabeledDemos
                + ", seed=" + seed + ", minibatch=" + minibatch + ")";
    }

    /** Settings for {@link MiproV2}; each is validated as it is set, their combination by {@link #build()}. Not thread-safe. */
    public static final class Builder {

        private Metric metric;
        private Lm promptLm;
        private int maxBootstrappedDemos = 4;
        private int maxLabeledDemos = 4;
        private Auto auto = Auto.LIGHT;
        private int numCandidates;
        private int numTrials;
        private long seed = 9;
        private double initTemperature = 1.0;
        private boolean minibatch = true;
        private int minibatchSize = 35;
        private int minibatchFullEvalSteps = 5;
        private int viewDataBatchSize = 10;
        private int maxErrors = 10;
        private Double metricThreshold;
        private int concurrency = 8;
        private String programCode;
        private LongFunction<? extends TrialSampler> sampler = TrialSampler::tpe;
        private Optional<Path> checkpointDir = Optional.empty();
        private Budget budget = Budget.unlimited();
        private final List<RunListener> listeners = new ArrayList<>();

        private Builder() {}

        /** The metric scoring bootstrapped runs and trials. Required. */
        public Builder metric(Metric m) {
            this.metric = Objects.requireNonNull(m, "metric");
            return this;
        }

        /** The LM that writes proposals; the context's LM (the task LM) by default. */
        public Builder promptLm(Lm lm) {
            this.promptLm = Objects.requireNonNull(lm, "promptLm");
            return this;
        }

        /** Bootstrapped demos per demo set, 4 by default; 0 with no labelled demos is zero-shot mode. */
        public Builder maxBootstrappedDemos(int n) {
            this.maxBootstrappedDemos = BootstrapFewShot.Builder.nonNegative("maxBootstrappedDemos", n);
            return this;
        }

        /** Labelled demos per demo set, 4 by default. */
        public Builder maxLabeledDemos(int n) {
            this.maxLabeledDemos = BootstrapFewShot.Builder.nonNegative("maxLabeledDemos", n);
            return this;
        }

        /** A preset, {@link Auto#LIGHT} by default; {@link Auto#OFF} requires numCandidates and numTrials. */
        public Builder auto(Auto preset) {
            this.auto = Objects.requireNonNull(preset, "auto");
            return this;
        }

        /** Demo sets and instruction candidates per predictor (with {@code auto(Auto.OFF)}). */
        public Builder numCandidates(int n) {
            this.numCandidates = BootstrapFewShot.Builder.positive("numCandidates", n);
            return this;
        }

        /** Trials after the baseline (with {@code auto(Auto.OFF)}). */
        public Builder numTrials(int n) {
            this.numTrials = BootstrapFewShot.Builder.positive("numTrials", n);
            return this;
        }

        /** The seed of every draw and of the default sampler; 9 by default, as DSPy. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The proposer's temperature, 1.0 by default. */
        public Builder initTemperature(double t) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("initTemperature must be a finite number at least 0, not " + t + ".");
            }
            this.initTemperature = t;
            return this;
        }

        /** Whether trials are scored on minibatches (on by default; {@link Auto} presets decide by valset size). */
        public Builder minibatch(boolean on) {
            this.minibatch = on;
            return this;
        }

        /** Examples per minibatch, 35 by default; must not exceed the valset. */
        public Builder minibatchSize(int n) {
            this.minibatchSize = BootstrapFewShot.Builder.positive("minibatchSize", n);
            return this;
        }

        /** A full evaluation every this many minibatch trials, 5 by default. */
        public Builder minibatchFullEvalSteps(int n) {
            this.minibatchFullEvalSteps = BootstrapFewShot.Builder.positive("minibatchFullEvalSteps", n);
            return this;
        }

        /** Trainset examples per dataset-summary call, 10 by default. */
        public Builder viewDataBatchSize(int n) {
            this.viewDataBatchSize = BootstrapFewShot.Builder.positive("viewDataBatchSize", n);
            return this;
        }

        /** Failed program runs tolerated per bootstrap and per evaluation, 10 by default. */
        public Builder maxErrors(int n) {
            this.maxErrors = BootstrapFewShot.Builder.positive("maxErrors", n);
            return this;
        }

        /** A bootstrapped run succeeds when the metric reaches this score (otherwise when it passes). */
        public Builder metricThreshold(double threshold) {
            this.metricThreshold = threshold;
            return this;
        }

        /**
         * Program runs at a time in bootstraps and evaluations, 8 by default. Results do not depend
         * on it; the order of LM calls does, so replaying a recorded run needs 1.
         */
        public Builder concurrency(int n) {
            this.concurrency = BootstrapFewShot.Builder.positive("concurrency", n);
            return this;
        }

        /** The text the proposer is shown as the program's code (see the class comment for the default). */
        public Builder programCode(String code) {
            this.programCode = Objects.requireNonNull(code, "programCode");
            return this;
        }

        /** Makes the sampler of each run from the seed; {@link TrialSampler#tpe} by default. */
        public Builder sampler(LongFunction<? extends TrialSampler> factory) {
            this.sampler = Objects.requireNonNull(factory, "sampler");
            return this;
        }

        /**
         * Saves the run's progress in {@code dir} as it goes, and resumes from it: see
         * <em>Checkpoints and resume</em> in the class comment. Off by default. One run at a time
         * per directory.
         */
        public Builder checkpointDir(Path dir) {
            this.checkpointDir = Optional.of(Objects.requireNonNull(dir, "checkpointDir"));
            return this;
        }

        /**
         * A hard cap on the run's LM calls, tokens or cost, counting task and prompt-LM calls;
         * unlimited by default. See <em>Budget</em> in the class comment.
         */
        public Builder budget(Budget b) {
            this.budget = Objects.requireNonNull(b, "budget");
            return this;
        }

        /**
         * Adds a listener to the search, called after those added before: one item per trial (full
         * evaluations included) of the run's total. With {@code ProgressBars.terminal()} (module
         * {@code dspy4j-evaluate}) a bar shows the trials done, the best score and the LM calls.
         */
        public Builder listener(RunListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @return the optimizer
         * @throws IllegalStateException if no metric is set, or {@code auto} conflicts with
         *     {@code numCandidates}/{@code numTrials} (set both with {@code Auto.OFF}, neither otherwise)
         */
        public MiproV2 build() {
            return new MiproV2(this);
        }
    }
}
