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

/**
 * Learns instructions and demos from the examples a program finds hard: DSPy's {@code SIMBA}
 * (stochastic introspective mini-batch ascent).
 *
 * <pre>{@code
 * Simba simba = Simba.builder().metric(Metrics.answerExactMatch()).bsize(32).maxSteps(8).build();
 * Module optimized = simba.compile(program, trainset, DspyContext.of(lm));
 * }</pre>
 *
 * <p>Each of {@code maxSteps} steps takes the next {@code bsize} examples of a seeded shuffle of
 * the trainset (reshuffled when it runs out) and runs every example {@code numCandidates} times,
 * each time with the LM at {@code rollout_id = i} and temperature 1.0, on a program drawn by
 * softmax (temperature {@code temperatureForSampling}) over the mean scores of the best programs so
 * far plus the original. The runs are grouped by example; groups whose scores vary most come
 * first (max − min, then max, then max − mean). For each group, in that order, a source program is
 * drawn by softmax (temperature {@code temperatureForCandidates}), loses a Poisson-drawn number of
 * demos once it holds {@code maxDemos}, and gets one of two strategies, drawn at random:
 * <ul>
 *   <li>{@code append_a_demo}: each predictor gets, as a demo, its last step of the group's best
 *       run (inputs cut to {@code demoInputFieldMaxlen} characters), unless that run scored at or
 *       below the batch's 10th percentile;</li>
 *   <li>{@code append_a_rule}: one call to the prompt model with DSPy's {@code OfferFeedback}
 *       signature, contrasting the best and the worst run (trajectories, outputs, scores, the
 *       program's code and its modules' definitions); the advice it returns for each predictor is
 *       appended to that predictor's instruction after a blank line. Skipped when the best run is
 *       at or below the 10th percentile or the worst at or above the 90th.</li>
 * </ul>
 * A skipped strategy still yields its (unchanged) candidate, as in DSPy. After
 * {@code numCandidates + 1} candidates, they are scored on the batch and the best one becomes the
 * step's winner. At the end the original and up to {@code numCandidates} evenly spaced winners are
 * scored on the whole trainset, and the best is returned.
 *
 * <p><b>Program code.</b> The feedback prompt shows the program's source, which DSPy reads with
 * {@code inspect.getsource}. Java cannot, so dspy4j shows the text given to
 * {@link Builder#programCode(String)}, by default a description: the program's class and its
 * predictors with their signatures. Pass the program's source (or DSPy's, to share a cache with a
 * Python run) to show that instead.
 *
 * <p>Cost, with {@code B = bsize}, {@code C = numCandidates}, {@code S = maxSteps} and trainset
 * size {@code T}: {@code S × (B × C + (C + 1) × B) + (min(S, C) + 1) × T} program runs and up to
 * {@code S × (C + 1)} prompt-model calls. See {@link #estimate}.
 *
 * <p>Failures, as in DSPy: a program run or metric call that throws scores 0 (counted in
 * {@link SimbaResult#failedRuns()} and logged at WARN); a strategy that throws (a failed or
 * unparsable feedback call) drops its candidate (logged at ERROR). The run goes on in both cases.
 *
 * <p>Randomness: Python's {@code random.Random(seed)} for every draw (shuffles, softmax samples,
 * strategies, which demos to drop) and NumPy's {@code default_rng(seed)} for the Poisson count, so
 * that a run with the same seed, data and LM answers makes DSPy's calls. Runs of one batch go
 * {@link Builder#numThreads(int) concurrently}; 1 gives DSPy's single-threaded call order.
 * Differences from DSPy: the program given is never changed; {@code teacher_settings} is not
 * supported; the sampling LMs are the context's LM with {@code rollout_id} and temperature set in
 * the options (a predictor's own LM keeps its own settings). Each step, feedback call and final
 * evaluation is an {@link dev.dspy4j.trace.SpanKind#OPTIMIZER_STEP} span.
 *
 * <p>A {@link Builder#budget(Budget) Budget} caps every LM call of the run, sampling, candidate
 * scoring, feedback (prompt-model) calls and the final evaluation alike. When it runs out the run
 * stops cleanly after the step it cut short (which is dropped) and returns the best candidate so
 * far, flagged {@link SimbaResult#budgetExhausted()}. {@link Builder#listener Listeners} hear of
 * each step and of the final evaluation. Immutable and thread-safe.
 *
 * <p><b>Checkpoints and resume.</b> With {@link Builder#checkpointDir(Path)}, a run writes to the
 * directory, each file atomically (temp file, fsync, atomic rename): {@code manifest.json} with a
 * fingerprint of the run at its start, and {@code step-NNNN.json} after each step: the programs
 * the step made (their state, with each demo's input keys) and their batch scores, its winner,
 * its log, and the state later steps depend on (the trainset order and position, both
 * generators, the failed-run count). Run the same optimization again with the same directory to
 * resume: the finished steps are read back without an LM call, and the run goes on with the next
 * step, then the final trainset evaluation (which is not checkpointed), ending with the result an
 * uninterrupted run with the same seed gives. The fingerprint covers the seed, every setting that
 * changes draws or scores ({@code numThreads} does not), the trainset and the program's state; a
 * checkpoint with another fingerprint is refused with a {@link CheckpointException}, as is a
 * damaged file (delete the directory to start over). The metric and the LMs cannot be
 * fingerprinted: resuming with different ones is not detected. Demo values are saved as JSON, as
 * {@link dev.dspy4j.module.ProgramState#toJson()} saves them.
 */
public final class Simba implements Optimizer {

    final Metric metric;
    final Lm promptModel;
    final int bsize;
    final int numCandidates;
    final int maxSteps;
    final int maxDemos;
    final int demoInputFieldMaxlen;
    final int numThreads;
    final double temperatureForSampling;
    final double temperatureForCandidates;
    final long seed;
    final String programCode;
    final Optional<Path> checkpointDir;
    final Budget budget;
    final List<RunListener> listeners;

    private Simba(Builder b) {
        if (b.metric == null) {
            throw new IllegalStateException("Simba needs a metric; set one with metric(...).");
        }
        this.metric = b.metric;
        this.promptModel = b.promptModel;
        this.bsize = b.bsize;
        this.numCandidates = b.numCandidates;
        this.maxSteps = b.maxSteps;
        this.maxDemos = b.maxDemos;
        this.demoInputFieldMaxlen = b.demoInputFieldMaxlen;
        this.numThreads = b.numThreads;
        this.temperatureForSampling = b.temperatureForSampling;
        this.temperatureForCandidates = b.temperatureForCandidates;
        this.seed = b.seed;
        this.programCode = b.programCode;
        this.budget = b.budget;
        this.listeners = List.copyOf(b.listeners);
        this.checkpointDir = b.checkpointDir;
    }

    /** Every setting that changes a run's draws or scores, for the checkpoint fingerprint. */
    String settingsForFingerprint() {
        return "Simba bsize=" + bsize + " numCandidates=" + numCandidates + " maxSteps=" + maxSteps + " maxDemos="
                + maxDemos + " demoInputFieldMaxlen=" + demoInputFieldMaxlen + " temperatureForSampling="
                + temperatureForSampling + " temperatureForCandidates=" + temperatureForCandidates + " seed=" + seed
                + " programCode=" + programCode;
    }

    /** A builder; a metric is required. Defaults as in DSPy: bsize 32, 6 candidates, 8 steps, 4 demos. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Optimizes and returns the best program (see {@link #optimize}); the valset is not used, as in
     * DSPy.
     *
     * @throws IllegalArgumentException if the trainset is smaller than {@code bsize}
     */
    @Override
    public Module compile(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        return optimize(program, trainset, context).bestProgram();
    }

    /**
     * Runs the search and returns the best program with every scored candidate and the steps.
     *
     * @param program the student; unchanged
     * @param trainset labelled examples with declared inputs; at least {@code bsize}
     * @param context the LM (also the prompt model unless one is set), adapter, options and listeners
     * @return the best program, its trainset score, the final candidates and the steps
     * @throws IllegalArgumentException if the trainset is smaller than {@code bsize} or the program
     *     has no predictor
     */
    public SimbaResult optimize(Module program, List<Example> trainset, DspyContext context) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(context, "context");
        List<Example> train = List.copyOf(trainset);
        if (train.size() < bsize) {
            throw new IllegalArgumentException("Simba's trainset is too small: " + train.size()
                    + " examples for mini-batches of bsize=" + bsize + "; lower bsize or add examples.");
        }
        if (program.namedPredictors().isEmpty()) {
            throw new IllegalArgumentException("Simba needs a program with at least one predictor; " + program
                    + " has none.");
        }
        return new SimbaRun(this, program, train, context).execute();
    }

    /**
     * Every program run (sampling, candidate scoring, final scoring) and the most prompt-model
     * calls (one per candidate); the valset is not used.
     */
    @Override
    public LmCallEstimate estimate(Module program, List<Example> trainset, List<Example> valset) {
        long perStep = (long) bsize * numCandidates + (long) (numCandidates + 1) * bsize;
        long finals = (Math.min(maxSteps, numCandidates) + 1L) * trainset.size();
        return new LmCallEstimate(0, maxSteps * perStep + finals, program.namedPredictors().size(),
                (long) maxSteps * (numCandidates + 1));
    }

    @Override
    public String toString() {
        return "Simba(bsize=" + bsize + ", numCandidates=" + numCandidates + ", maxSteps=" + maxSteps
                + ", maxDemos=" + maxDemos + ", seed=" + seed + ", promptModel="
                + (promptModel == null ? "the context's LM" : promptModel) + ")";
    }

    /** Settings for SIMBA; each is validated as it is set. Not thread-safe. */
    public static final class Builder {

        private Metric metric;
        private Lm promptModel;
        private int bsize = 32;
        private int numCandidates = 6;
        private int maxSteps = 8;
        private int maxDemos = 4;
        private int demoInputFieldMaxlen = 100_000;
        private int numThreads = 8;
        private double temperatureForSampling = 0.2;
        private double temperatureForCandidates = 0.2;
        private long seed;
        private String programCode;
        private Optional<Path> checkpointDir = Optional.empty();
        private Budget budget = Budget.unlimited();
        private final List<RunListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * The metric, called in evaluation mode. Required. A {@link dev.dspy4j.evaluate.Score}'s
         * feedback is shown to the prompt model as the run's {@code reward_info}.
         */
        public Builder metric(Metric m) {
            this.metric = Objects.requireNonNull(m, "metric");
            return this;
        }

        /** The LM that offers feedback (default: the context's LM). */
        public Builder promptModel(Lm lm) {
            this.promptModel = Objects.requireNonNull(lm, "promptModel");
            return this;
        }

        /**
         * Examples per mini-batch (default 32); the trainset must hold at least this many.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder bsize(int n) {
            this.bsize = BootstrapFewShot.Builder.positive("bsize", n);
            return this;
        }

        /**
         * Sampled runs per example, and new candidates per step minus one (default 6).
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder numCandidates(int n) {
            this.numCandidates = BootstrapFewShot.Builder.positive("numCandidates", n);
            return this;
        }

        /**
         * Steps, one mini-batch each (default 8).
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxSteps(int n) {
            this.maxSteps = BootstrapFewShot.Builder.positive("maxSteps", n);
            return this;
        }

        /**
         * Demos a predictor holds before some are dropped (default 4); 0 turns {@code append_a_demo}
         * off, leaving only feedback.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxDemos(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxDemos must be >= 0 (0 turns demos off), was " + n + ".");
            }
            this.maxDemos = n;
            return this;
        }

        /**
         * Characters of an input value kept in a new demo (default 100,000); longer values are cut
         * and marked {@code ... <TRUNCATED FOR BREVITY>}, as in DSPy.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder demoInputFieldMaxlen(int n) {
            this.demoInputFieldMaxlen = BootstrapFewShot.Builder.positive("demoInputFieldMaxlen", n);
            return this;
        }

        /**
         * Program runs at once (default 8); 1 makes the order of LM calls DSPy's single-threaded order.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder numThreads(int n) {
            this.numThreads = BootstrapFewShot.Builder.positive("numThreads", n);
            return this;
        }

        /**
         * The softmax temperature that picks the program for each sampled run (default 0.2).
         *
         * @throws IllegalArgumentException if not a finite number greater than 0
         */
        public Builder temperatureForSampling(double t) {
            this.temperatureForSampling = temperature("temperatureForSampling", t);
            return this;
        }

        /**
         * The softmax temperature that picks the source of each new candidate (default 0.2).
         *
         * @throws IllegalArgumentException if not a finite number greater than 0
         */
        public Builder temperatureForCandidates(double t) {
            this.temperatureForCandidates = temperature("temperatureForCandidates", t);
            return this;
        }

        /**
         * The seed of every random draw (default 0, DSPy's {@code compile(seed=0)}).
         *
         * @throws IllegalArgumentException if negative (NumPy refuses negative seeds)
         */
        public Builder seed(long s) {
            if (s < 0) {
                throw new IllegalArgumentException("seed must be >= 0, as NumPy requires, was " + s + ".");
            }
            this.seed = s;
            return this;
        }

        /**
         * The program text shown to the prompt model as {@code program_code} (default: a
         * description of the program's class and predictors). DSPy shows the class's Python
         * source; pass your program's source, or DSPy's text to make DSPy's exact prompts.
         */
        public Builder programCode(String code) {
            this.programCode = Objects.requireNonNull(code, "programCode");
            return this;
        }

        private static double temperature(String name, double t) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException(name + " must be a finite number > 0 (it divides the scores "
                        + "of a softmax), was " + t + ".");
            }
            return t;
        }

        /**
         * A directory where the run saves each finished step, and from which a later run with the
         * same seed, settings, trainset and program resumes: see <em>Checkpoints and resume</em> in
         * the class comment. Off by default. One run at a time per directory.
         */
        public Builder checkpointDir(Path dir) {
            this.checkpointDir = Optional.of(Objects.requireNonNull(dir, "checkpointDir"));
            return this;
        }

        /**
         * A hard cap on the run's LM calls, tokens or cost, counting program runs and prompt-model
         * calls; unlimited by default. See the class comment for how a run ends when it is spent.
         */
        public Builder budget(Budget b) {
            this.budget = Objects.requireNonNull(b, "budget");
            return this;
        }

        /**
         * Adds a listener to the run, called after those added before: one item per step, then one
         * for the final evaluation. With {@code ProgressBars.terminal()} (module
         * {@code dspy4j-evaluate}) a bar shows the steps done.
         */
        public Builder listener(RunListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The optimizer.
         *
         * @throws IllegalStateException if no metric is set
         */
        public Simba build() {
            return new Simba(this);
        }
    }
}
