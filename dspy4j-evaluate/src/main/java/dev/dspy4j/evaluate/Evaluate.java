package dev.dspy4j.evaluate;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.CancellationToken;
import dev.dspy4j.run.RunListener;
import dev.dspy4j.run.Runner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a program on every example of a dev set and scores it with one or more metrics: DSPy's
 * {@code Evaluate}.
 *
 * <pre>{@code
 * Evaluate evaluate = Evaluate.builder()
 *         .devset(devset)
 *         .metric(Metrics.answerExactMatch())
 *         .concurrency(16)
 *         .build();
 * EvaluationResult result = evaluate.run(program, DspyContext.of(lm));
 * System.out.println(result.score());          // e.g. 73.33
 * }</pre>
 *
 * <p>For each example it computes {@code metric(example, program(example.inputs()))} in
 * {@link MetricContext#evaluation() evaluation} mode, keeping the score and its feedback. Examples
 * run on a {@link Runner}: in parallel on virtual threads, at most {@link Builder#concurrency(int)} at
 * a time (an LM's own concurrency limit still applies underneath). An example whose program or
 * metric throws, or that runs past {@link Builder#perExampleTimeout(Duration)}, scores the failure
 * score and records the error; at the {@link Builder#maxErrors(int)}-th such error the run stops.
 * Progress goes to the {@link Builder#listener(RunListener) listeners}, e.g.
 * {@link ProgressBars#terminal()}.
 *
 * <p><b>Threads.</b> {@link #run} owns every thread it starts: when it returns or throws, all of them
 * have ended. Interrupting the thread that called {@code run} (or cancelling the
 * {@link CancellationToken} given to it) interrupts every running example and makes {@code run}
 * throw {@link EvaluationCancelledException} once they have ended.
 *
 * <p>Immutable and thread-safe; one instance can evaluate many programs, also at the same time.
 */
public final class Evaluate {

    final List<Example> devset;
    final Map<String, CostAwareMetric> metrics;
    final int concurrency;
    final int maxErrors;
    final double failureScore;
    final Duration perExampleTimeout;
    final Runner runner;

    private Evaluate(Builder builder) {
        this.devset = builder.devset;
        this.metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.metrics));
        this.concurrency = builder.concurrency;
        this.maxErrors = builder.maxErrors;
        this.failureScore = builder.failureScore;
        this.perExampleTimeout = builder.perExampleTimeout;
        Runner.Builder settings = Runner.builder().name("Evaluate").concurrency(concurrency).maxErrors(maxErrors)
                .listeners(builder.listeners);
        if (perExampleTimeout != null) {
            settings.itemTimeout(perExampleTimeout);
        }
        this.runner = settings.build();
    }

    /** A builder; {@link Builder#devset(List)} and a metric are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the program on every example of the dev set, in parallel, and scores each prediction.
     * Never changes the program.
     *
     * @param program the program to evaluate
     * @param context the LM, adapter and listeners to run it with; each example runs in a context
     *     derived from it that adds a usage tracker
     * @return the scores, per-example results and usage
     * @throws EvaluationCancelledException if {@code maxErrors} examples failed, or the calling thread
     *     was interrupted; no thread started by this call is left running either way
     * @throws NullPointerException if {@code program} or {@code context} is {@code null}
     */
    public EvaluationResult run(Module program, DspyContext context) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(context, "context");
        return new EvaluationRun(this, program, context).run(null);
    }

    /**
     * Like {@link #run(Module, DspyContext)}, and stops early, as an interrupt would, when
     * {@code token} is cancelled from another thread.
     *
     * @throws EvaluationCancelledException if {@code maxErrors} examples failed, the calling thread
     *     was interrupted, or the token was cancelled; no thread started by this call is left running
     * @throws NullPointerException if an argument is {@code null}
     */
    public EvaluationResult run(Module program, DspyContext context, CancellationToken token) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(context, "context");
        return new EvaluationRun(this, program, context).run(Objects.requireNonNull(token, "token"));
    }

    @Override
    public String toString() {
        return "Evaluate[" + devset.size() + " examples, metrics=" + metrics.keySet() + ", concurrency="
                + concurrency + ", maxErrors=" + maxErrors + "]";
    }

    /**
     * Configures an {@link Evaluate}. Each setting is checked as it is set. Not thread-safe.
     */
    public static final class Builder {
        private List<Example> devset;
        private final Map<String, CostAwareMetric> metrics = new LinkedHashMap<>();
        private int concurrency = 8;
        private int maxErrors = 10;
        private double failureScore = 0.0;
        private Duration perExampleTimeout;
        private final List<RunListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * The examples to evaluate on, each with its inputs declared ({@link Example#withInputs}).
         *
         * @throws NullPointerException if the list or an example is {@code null}
         */
        public Builder devset(List<Example> examples) {
            this.devset = List.copyOf(Objects.requireNonNull(examples, "devset"));
            return this;
        }

        /**
         * The primary metric, named {@code "score"}.
         *
         * @throws IllegalStateException if a metric named {@code "score"} was already added
         */
        public Builder metric(Metric metric) {
            return metric("score", metric);
        }

        /**
         * Adds a metric under a name, for a per-metric breakdown. The first metric added is the
         * primary one: it gives {@link EvaluationResult#score()}.
         *
         * @throws IllegalArgumentException if the name is blank
         * @throws IllegalStateException if a metric with this name was already added
         */
        public Builder metric(String name, Metric metric) {
            Objects.requireNonNull(metric, "metric");
            return costAwareMetric(name, (example, prediction, usage) ->
                    metric.score(example, prediction, MetricContext.evaluation()));
        }

        /**
         * Adds a metric that also sees the example's usage and cost (e.g.
         * {@link CostAwareMetric#costWeighted(Metric, double)}), under a name, for a per-metric
         * breakdown. Ordered with the other metrics: the first metric added is the primary one.
         *
         * @throws IllegalArgumentException if the name is blank
         * @throws IllegalStateException if a metric with this name was already added
         */
        public Builder costAwareMetric(String name, CostAwareMetric metric) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(metric, "metric");
            if (name.isBlank()) {
                throw new IllegalArgumentException("A metric name must not be blank.");
            }
            if (metrics.containsKey(name)) {
                throw new IllegalStateException("A metric named '" + name + "' was already added; give each "
                        + "metric its own name (metric(Metric) uses the name 'score').");
            }
            metrics.put(name, metric);
            return this;
        }

        /**
         * How many examples run at once, each on its own virtual thread. Default 8 (DSPy's
         * {@code num_threads}).
         *
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder concurrency(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, got " + threads);
            }
            this.concurrency = threads;
            return this;
        }

        /**
         * The number of failed examples at which the run stops: the examples still running are
         * interrupted, the rest never start, and {@link Evaluate#run} throws
         * {@link EvaluationCancelledException}. Default 10 (DSPy); {@link Integer#MAX_VALUE} never stops.
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder maxErrors(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxErrors must be at least 1, got " + n);
            }
            this.maxErrors = n;
            return this;
        }

        /**
         * The score of an example whose program or metric failed, for every metric. Default 0.0.
         *
         * @throws IllegalArgumentException if the score is NaN
         */
        public Builder failureScore(double score) {
            if (Double.isNaN(score)) {
                throw new IllegalArgumentException("failureScore must be a number, got NaN");
            }
            this.failureScore = score;
            return this;
        }

        /**
         * How long one example (program and metrics) may run. One that runs longer is interrupted and
         * counts as failed with a {@link java.util.concurrent.TimeoutException}. Default: no limit.
         *
         * @throws IllegalArgumentException if the timeout is zero or negative
         */
        public Builder perExampleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("perExampleTimeout must be positive, got " + timeout);
            }
            this.perExampleTimeout = timeout;
            return this;
        }

        /**
         * Adds a listener to every run, called after those added before: a progress bar
         * ({@link ProgressBars#terminal()} shows examples done, DSPy's running score, errors and
         * ETA), a logger ({@link RunListener#logFailures(boolean)}) or your own. Default: none.
         */
        public Builder listener(RunListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The configured {@link Evaluate}.
         *
         * @throws IllegalStateException if no devset or no metric was set
         */
        public Evaluate build() {
            if (devset == null) {
                throw new IllegalStateException("No devset: call devset(examples) before build().");
            }
            if (metrics.isEmpty()) {
                throw new IllegalStateException("No metric: call metric(metric) before build().");
            }
            return new Evaluate(this);
        }
    }
}
