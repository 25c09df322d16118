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
 * Learns each predictor's instruction, and the prefix of its last output field, by asking an LM
 * for better ones: DSPy's {@code COPRO} (coordinate prompt optimization).
 *
 * <pre>{@code
 * Copro copro = Copro.builder().metric(Metrics.answerExactMatch()).breadth(10).depth(3).build();
 * Module optimized = copro.compile(program, trainset, DspyContext.of(lm));
 * }</pre>
 *
 * <p>For each predictor, one call to the prompt model (DSPy's {@code BasicGenerateInstruction}
 * signature, {@code n = breadth − 1}, temperature {@code initTemperature}) proposes instructions
 * and prefixes; the predictor's own instruction and prefix are added as the last candidate. Then,
 * at each of {@code depth} levels, every new candidate is scored with {@link dev.dspy4j.evaluate.Evaluate}
 * on the whole trainset (with several predictors, every candidate so far is scored again, with the
 * other predictors at their best), and the predictor is set to its best. Between levels, one call
 * per predictor ({@code GenerateInstructionGivenAttempts}, {@code n = breadth}) shows the prompt
 * model the {@code breadth} best attempts so far, lowest score first, and asks for better ones. The
 * best candidate of all wins; of equal scores, the first scored. There is no randomness.
 *
 * <p>Cost, with {@code P} predictors and {@code T} trainset examples: {@code P × depth} prompt-model
 * calls and, for one predictor, {@code breadth × depth × T} program runs;
 * {@code P × breadth × depth(depth+1)/2 × T} runs for {@code P > 1}. See {@link #estimate}.
 *
 * <p>As in DSPy, candidates are scored on the trainset; a valset given to {@code compile} is
 * ignored. Unlike DSPy, the program given is never changed. Candidates are scored one after the
 * other (the calls to the prompt model depend on their scores); the examples of one evaluation run
 * {@link Builder#evaluationConcurrency(int) concurrently}. A {@link Budget} ends the run early with
 * the best candidate scored so far. Each proposal call and each candidate evaluation is an
 * {@link dev.dspy4j.trace.SpanKind#OPTIMIZER_STEP} span. Immutable and thread-safe.
 *
 * <p><b>Checkpoints and resume.</b> With {@link Builder#checkpointDir(Path)}, a run writes to the
 * directory, each file atomically (temp file, fsync, atomic rename): {@code manifest.json} with a
 * fingerprint of the settings that change proposals or scores, the trainset and the program's
 * state; then, as each finishes, one file per proposal call (the candidates as the prompt model
 * wrote them) and one per candidate evaluation (its instruction, prefix and score). Run the same
 * optimization again with the same directory to resume: recorded proposals and scores are read
 * back instead of calling an LM (and make no span), the run continues with the first unfinished
 * step, and, there being no randomness, ends with the result of an uninterrupted run. A checkpoint
 * with another fingerprint is refused with a {@link CheckpointException} naming what differs, as
 * is a damaged file; the directory is left as it was. The metric, the task LM and the prompt model
 * cannot be fingerprinted: resuming with different ones is not detected. The budget is not part of
 * the fingerprint (a run the budget stopped can be resumed with a larger one); replayed steps do
 * not spend it.
 */
public final class Copro implements Optimizer {

    final Lm promptModel;
    final Metric metric;
    final int breadth;
    final int depth;
    final double initTemperature;
    final boolean trackStats;
    final int evaluationConcurrency;
    final int maxErrors;
    final Budget budget;
    final Optional<Path> checkpointDir;
    final List<RunListener> listeners;

    private Copro(Builder b) {
        if (b.metric == null) {
            throw new IllegalStateException("Copro needs a metric; set one with metric(...).");
        }
        this.promptModel = b.promptModel;
        this.metric = b.metric;
        this.breadth = b.breadth;
        this.depth = b.depth;
        this.initTemperature = b.initTemperature;
        this.trackStats = b.trackStats;
        this.evaluationConcurrency = b.evaluationConcurrency;
        this.maxErrors = b.maxErrors;
        this.budget = b.budget;
        this.checkpointDir = b.checkpointDir;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A builder; a metric is required. Defaults as in DSPy: breadth 10, depth 3, temperature 1.4. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Optimizes and returns the best program (see {@link #optimize}).
     *
     * @throws dev.dspy4j.DspyException if a prompt-model call fails or an evaluation stops on errors
     */
    @Override
    public Module compile(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        return optimize(program, trainset, context).bestProgram();
    }

    /**
     * Proposes and scores instructions and returns every scored candidate with the best.
     *
     * @param program the student; unchanged
     * @param trainset labelled examples with declared inputs, to score candidates on
     * @param context the LM (also the prompt model unless one is set), adapter and listeners
     * @return the best program, its score and the scored candidates
     * @throws IllegalArgumentException if the trainset is empty or the program has no predictor
     * @throws dev.dspy4j.evaluate.EvaluationCancelledException if an evaluation reaches
     *     {@code maxErrors} failed examples (a program or metric that throws)
     * @throws dev.dspy4j.DspyException if a prompt-model call fails or cannot be parsed
     * @throws CheckpointException if the {@link Builder#checkpointDir(Path) checkpoint directory}
     *     holds another run's checkpoint or a damaged file, or cannot be written
     */
    public CoproResult optimize(Module program, List<Example> trainset, DspyContext context) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(context, "context");
        List<Example> train = List.copyOf(trainset);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("Copro needs a non-empty trainset to score candidates on.");
        }
        if (program.namedPredictors().isEmpty()) {
            throw new IllegalArgumentException("Copro needs a program with at least one predictor; " + program
                    + " has none.");
        }
        return new CoproRun(this, program, train, context).execute();
    }

    /**
     * The program runs of every evaluation, and {@code P × depth} prompt-model calls; assumes the
     * prompt model returns all {@code n} completions asked for. The valset is not used.
     */
    @Override
    public LmCallEstimate estimate(Module program, List<Example> trainset, List<Example> valset) {
        long predictors = program.namedPredictors().size();
        long evaluations = predictors <= 1 ? (long) breadth * depth
                : predictors * breadth * ((long) depth * (depth + 1) / 2);
        return new LmCallEstimate(0, evaluations * trainset.size(), (int) predictors, predictors * depth);
    }

    /** Every setting that changes proposals or scores, readable, for the checkpoint fingerprint. */
    String settingsForFingerprint() {
        return "breadth=" + breadth + ", depth=" + depth + ", initTemperature=" + initTemperature
                + ", maxErrors=" + maxErrors;
    }

    @Override
    public String toString() {
        return "Copro(breadth=" + breadth + ", depth=" + depth + ", initTemperature=" + initTemperature
                + ", promptModel=" + (promptModel == null ? "the context's LM" : promptModel) + ")";
    }

    /** Settings for COPRO; each is validated as it is set. Not thread-safe. */
    public static final class Builder {

        private Lm promptModel;
        private Metric metric;
        private int breadth = 10;
        private int depth = 3;
        private double initTemperature = 1.4;
        private boolean trackStats;
        private int evaluationConcurrency = 8;
        private int maxErrors = 10;
        private Budget budget = Budget.unlimited();
        private Optional<Path> checkpointDir = Optional.empty();
        private final List<RunListener> listeners = new ArrayList<>();

        private Builder() {}

        /** The LM that proposes instructions (default: the context's LM). */
        public Builder promptModel(Lm lm) {
            this.promptModel = Objects.requireNonNull(lm, "promptModel");
            return this;
        }

        /** The metric that scores candidates (in evaluation mode). Required. */
        public Builder metric(Metric m) {
            this.metric = Objects.requireNonNull(m, "metric");
            return this;
        }

        /**
         * Candidates proposed per predictor and level (default 10): {@code breadth − 1} new ones
         * plus the original at the first level, {@code breadth} new ones at the others.
         *
         * @throws IllegalArgumentException if not greater than 1, as DSPy requires
         */
        public Builder breadth(int n) {
            if (n <= 1) {
                throw new IllegalArgumentException("breadth must be greater than 1 (DSPy's rule: the first level "
                        + "asks for breadth - 1 proposals besides the original), was " + n + ".");
            }
            this.breadth = n;
            return this;
        }

        /**
         * Levels of scoring (default 3); each after the first starts with a call that shows the
         * prompt model the scored history.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder depth(int n) {
            this.depth = BootstrapFewShot.Builder.positive("depth", n);
            return this;
        }

        /**
         * The temperature of the prompt-model calls (default 1.4).
         *
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder initTemperature(double t) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("initTemperature must be a finite number >= 0, was " + t + ".");
            }
            this.initTemperature = t;
            return this;
        }

        /** Whether to compute the per-depth score statistics of {@link CoproResult} (default false). */
        public Builder trackStats(boolean track) {
            this.trackStats = track;
            return this;
        }

        /**
         * Examples evaluated at once per candidate (default 8); 1 makes the order of LM calls DSPy's
         * single-threaded order.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder evaluationConcurrency(int n) {
            this.evaluationConcurrency = BootstrapFewShot.Builder.positive("evaluationConcurrency", n);
            return this;
        }

        /**
         * The failed example (program or metric threw) that stops an evaluation, and so the run
         * (default the 10th, as DSPy's {@code Evaluate}).
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxErrors(int n) {
            this.maxErrors = BootstrapFewShot.Builder.positive("maxErrors", n);
            return this;
        }

        /**
         * A hard limit on the run's spend, proposals and evaluations (default none). When it is
         * reached the run stops and returns the best candidate scored so far; a candidate whose
         * evaluation it cut short is left out (see {@link CoproResult#budgetExhausted()}).
         */
        public Builder budget(Budget b) {
            this.budget = Objects.requireNonNull(b, "budget");
            return this;
        }

        /**
         * Saves the run's proposals and scores in {@code dir} as they finish, and resumes from it:
         * see <em>Checkpoints and resume</em> in the class comment. Off by default. One run at a
         * time per directory.
         */
        public Builder checkpointDir(Path dir) {
            this.checkpointDir = Optional.of(Objects.requireNonNull(dir, "checkpointDir"));
            return this;
        }

        /**
         * Adds a listener to the run, called after those added before: one item per candidate
         * evaluation, of the total {@link #estimate} assumes. With {@code ProgressBars.terminal()}
         * (module {@code dspy4j-evaluate}) a bar shows the candidates scored and the best score.
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
        public Copro build() {
            return new Copro(this);
        }
    }
}
