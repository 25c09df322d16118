package dev.dspy4j.module;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.run.CancellationToken;
import dev.dspy4j.run.RunCancelledException;
import dev.dspy4j.run.RunListener;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.Runner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a list of (module, input) jobs in parallel: DSPy's {@code dspy.Parallel}. Each job may use
 * a different module, unlike {@link Module#batch(List, Runner)}, which runs one module on many
 * examples.
 *
 * <pre>{@code
 * Parallel parallel = Parallel.builder().concurrency(3).build();
 * RunResult<Prediction> results = parallel.run(List.of(
 *         Parallel.Job.of(qa, Map.of("question", "What is the capital of Spain?")),
 *         Parallel.Job.of(summarize, example)));
 * }</pre>
 *
 * <p>As in DSPy: a job whose input is an {@link Example} runs on its declared inputs (or, with
 * {@code accessExamples(false)}, on all its values); a map is passed as the inputs. Jobs run at most
 * {@code concurrency} at a time, each on a virtual thread with the caller's context. A failed job
 * is logged through SLF4J (with its stack trace if {@code provideTraceback(true)}), and its error
 * is kept in the result; at the {@code maxErrors}-th failure the run stops and
 * {@link RunCancelledException} is thrown, as DSPy raises. DSPy's
 * {@code return_failed_examples=True} corresponds to reading the failures from the result:
 * {@code result.failures()} gives each failed job's index and exception, so
 * {@code jobs.get(failure.index()).input()} is the failed example. DSPy's straggler resubmission
 * ({@code timeout}, {@code straggler_limit}) is replaced by {@code itemTimeout}: a job running
 * longer is interrupted and fails with a {@link java.util.concurrent.TimeoutException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Parallel {

    private final Runner runner;
    private final boolean accessExamples;

    private Parallel(Builder builder) {
        // a copy, so that building twice does not add the log listener twice
        this.runner = builder.runner.build().toBuilder().name("Parallel")
                .listener(RunListener.logFailures(builder.provideTraceback)).build();
        this.accessExamples = builder.accessExamples;
    }

    /** DSPy's defaults: 8 jobs at a time, stop at the 10th failure, examples on their inputs. */
    public static Parallel ofDefaults() {
        return builder().build();
    }

    /** A builder with DSPy's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs every job and waits for all of them.
     *
     * @param jobs the jobs, run in this order
     * @return one result per job, in order: the prediction, or the error
     * @throws RunCancelledException if the {@code maxErrors}-th job failed or the calling thread was
     *     interrupted (its interrupt status is then set again); {@code result()} holds what finished
     * @throws NullPointerException if {@code jobs} or a job is {@code null}
     */
    public RunResult<Prediction> run(List<Job> jobs) {
        return runner.run(jobs, this::runJob).orThrow();
    }

    /**
     * Runs every job, stopping early if {@code token} is cancelled.
     *
     * @throws RunCancelledException if the run stopped before every job ran
     */
    public RunResult<Prediction> run(List<Job> jobs, CancellationToken token) {
        return runner.run(jobs, this::runJob, token).orThrow();
    }

    private Prediction runJob(Job job) {
        Example input = job.input();
        if (!accessExamples || input.size() == 0) {
            return job.module().call(input.toMap());
        }
        return job.module().call(input.inputs().toMap());
    }

    @Override
    public String toString() {
        return "Parallel[" + runner + ", accessExamples=" + accessExamples + "]";
    }

    /**
     * One job: a module and its input.
     *
     * @param module the module to call
     * @param input the example, whose declared inputs (or all values) are passed
     */
    public record Job(Module module, Example input) {

        /** @throws NullPointerException if an argument is {@code null} */
        public Job {
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(input, "input");
        }

        /** A job calling {@code module} on an example (its declared inputs, unless {@code accessExamples(false)}). */
        public static Job of(Module module, Example example) {
            return new Job(module, example);
        }

        /** A job calling {@code module} with these inputs by field name. */
        public static Job of(Module module, Map<String, ?> inputs) {
            Example example = Example.of(inputs);
            return new Job(module, example.size() == 0 ? example : example.withInputs(List.copyOf(inputs.keySet())));
        }
    }

    /** Settings for {@link Parallel}, named as DSPy's arguments; each is checked as it is set. Not thread-safe. */
    public static final class Builder {

        private final Runner.Builder runner = Runner.builder();
        private boolean accessExamples = true;
        private boolean provideTraceback;

        private Builder() {}

        /** Jobs at once (DSPy's {@code num_threads}; default 8). @throws IllegalArgumentException if less than 1 */
        public Builder concurrency(int n) {
            runner.concurrency(n);
            return this;
        }

        /**
         * The failure at which the run stops (default the 10th); {@link Integer#MAX_VALUE} never stops.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxErrors(int n) {
            runner.maxErrors(n);
            return this;
        }

        /** How long one job may run before it is interrupted and fails (default: no limit). @throws IllegalArgumentException if not positive */
        public Builder itemTimeout(Duration timeout) {
            runner.itemTimeout(timeout);
            return this;
        }

        /** Whether an Example job runs on its declared inputs (default) or on all its values. */
        public Builder accessExamples(boolean access) {
            this.accessExamples = access;
            return this;
        }

        /** Whether failed jobs are logged with their stack trace (default: message only). */
        public Builder provideTraceback(boolean traceback) {
            this.provideTraceback = traceback;
            return this;
        }

        /** Adds a run listener, e.g. a progress bar. */
        public Builder listener(RunListener listener) {
            runner.listener(listener);
            return this;
        }

        /** The context every job runs with (default: the one bound to the calling thread). */
        public Builder context(DspyContext context) {
            runner.context(context);
            return this;
        }

        /** The configured {@link Parallel}. */
        public Parallel build() {
            return new Parallel(this);
        }
    }
}
