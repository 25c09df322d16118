package dev.dspy4j.run;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Runs many items at once on virtual threads, bounded, cancellable and with the caller's context:
 * DSPy's {@code ParallelExecutor}. {@code Module.batch}, {@code Parallel}, {@code Evaluate} and the
 * optimizers all run on it.
 *
 * <pre>{@code
 * Runner runner = Runner.builder().concurrency(16).maxErrors(5).build();
 * RunResult<Prediction> result = runner.run(questions, q -> program.call(Map.of("question", q)));
 * for (ItemResult<Prediction> item : result.items()) {
 *     switch (item) {
 *         case ItemResult.Succeeded<Prediction> ok -> print(ok.value());
 *         case ItemResult.Failed<Prediction> failed -> print(failed.error());
 *         case ItemResult.Cancelled<Prediction> cancelled -> { }
 *     }
 * }
 * }</pre>
 *
 * <p><b>A run.</b> Items start in input order, each on its own virtual thread, at most
 * {@code concurrency} at a time, with the context bound (the runner's, or else the caller's
 * {@link DspyContext#current()} at the time of the call). Results come back in input order, each
 * with its value or error and how long it took. At the {@code maxErrors}-th failure the run stops;
 * so it does when its {@link CancellationToken} is cancelled or its calling thread is interrupted.
 * Stopping interrupts the items still running and starts no new one.
 *
 * <p><b>Spans.</b> A run started outside any span (from user code rather than inside a module's
 * {@code forward}) with listeners in its context is one {@link SpanKind#RUN} span, started and
 * ended on the calling thread, and its items run under it: their spans share that parent instead of
 * each being a root, and a tracing listener can parent the run on the caller's own tracing
 * context. A run inside a span opens none.
 *
 * <p><b>Threads.</b> When {@link #run} returns or throws, every thread it started has ended, also
 * after a stop: it waits for interrupted items to end. An item that ignores interrupts therefore
 * delays {@code run} until it finishes.
 *
 * <p>Defaults: concurrency 8 and maxErrors 10 (DSPy's {@code num_threads} and
 * {@code max_errors}), no per-item timeout, the caller's context, no listener. Immutable and
 * thread-safe: one runner can run many runs, also at the same time.
 */
public final class Runner {

    private static final Runner DEFAULTS = builder().build();

    final String name;
    final int concurrency;
    final int maxErrors;
    final @Nullable Duration itemTimeout;
    final @Nullable DspyContext context; // null: the caller's, captured at each run
    final List<RunListener> listeners;

    private Runner(Builder builder) {
        this.name = builder.name;
        this.concurrency = builder.concurrency;
        this.maxErrors = builder.maxErrors;
        this.itemTimeout = builder.itemTimeout;
        this.context = builder.context;
        this.listeners = List.copyOf(builder.listeners);
    }

    /** A runner with the defaults: concurrency 8, maxErrors 10, the caller's context, no listener. */
    public static Runner defaults() {
        return DEFAULTS;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this runner's settings, to derive a variant. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.name = name;
        builder.concurrency = concurrency;
        builder.maxErrors = maxErrors;
        builder.itemTimeout = itemTimeout;
        builder.context = context;
        builder.listeners.addAll(listeners);
        return builder;
    }

    /**
     * Runs {@code task} on every item and waits until the run ends.
     *
     * @param items the items, run in this order
     * @param task what to do with each item
     * @return how the run ended and every item's result, in input order; when the run was
     *     interrupted, the calling thread's interrupt status is set again
     * @throws NullPointerException if {@code items}, an item or {@code task} is {@code null}
     */
    public <T, R> RunResult<R> run(List<? extends T> items, ItemTask<? super T, ? extends R> task) {
        return start(items, task, new ResultHandler<R>() { }, null);
    }

    /**
     * Runs {@code task} on every item, stopping early if {@code token} is cancelled.
     *
     * @param items the items, run in this order
     * @param task what to do with each item
     * @param token cancels the run from any thread
     * @return how the run ended and every item's result, in input order
     * @throws NullPointerException if an argument or an item is {@code null}
     */
    public <T, R> RunResult<R> run(List<? extends T> items, ItemTask<? super T, ? extends R> task,
                                   CancellationToken token) {
        return start(items, task, new ResultHandler<R>() { }, Objects.requireNonNull(token, "token"));
    }

    /**
     * Runs {@code task} on every item, handing results to {@code handler} as they arrive; the
     * handler can stop the run early and hold items back (see {@link ResultHandler}).
     *
     * @param items the items, run in this order
     * @param task what to do with each item
     * @param handler consumes results in completion and input order
     * @return how the run ended and every item's result, in input order
     * @throws NullPointerException if an argument or an item is {@code null}
     * @throws RuntimeException (or Error) whatever the handler threw, after every thread of the run
     *     has ended
     */
    public <T, R> RunResult<R> run(List<? extends T> items, ItemTask<? super T, ? extends R> task,
                                   ResultHandler<? super R> handler) {
        return start(items, task, handler, null);
    }

    /**
     * Runs {@code task} on every item, handing results to {@code handler} as they arrive; the
     * handler can stop the run early and hold items back (see {@link ResultHandler}).
     *
     * @param items the items, run in this order
     * @param task what to do with each item
     * @param handler consumes results in completion and input order
     * @param token cancels the run from any thread
     * @return how the run ended and every item's result, in input order
     * @throws NullPointerException if an argument or an item is {@code null}
     * @throws RuntimeException (or Error) whatever the handler threw, after every thread of the run
     *     has ended
     */
    public <T, R> RunResult<R> run(List<? extends T> items, ItemTask<? super T, ? extends R> task,
                                   ResultHandler<? super R> handler, CancellationToken token) {
        return start(items, task, handler, Objects.requireNonNull(token, "token"));
    }

    /** {@code token} may be {@code null}: no token. */
    private <T, R> RunResult<R> start(List<? extends T> items, ItemTask<? super T, ? extends R> task,
                                      ResultHandler<? super R> handler, @Nullable CancellationToken token) {
        List<T> copy = List.copyOf(items);
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(handler, "handler");
        DspyContext bound = context != null ? context : DspyContext.current();
        if (bound.span() != null || bound.listeners().isEmpty()) {
            return new RunExecution<T, R>(this, copy, task, handler, token, bound).execute();
        }
        // started outside any span (from user code): the run is the items' common parent
        ActiveSpan span = bound.startSpan(SpanKind.RUN, name,
                Map.of("dspy.run.items", copy.size(), "dspy.run.concurrency", concurrency));
        RunResult<R> result;
        try {
            result = new RunExecution<T, R>(this, copy, task, handler, token, bound.withSpan(span.span())).execute();
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
        // a handler's early stop (e.g. enough demos found) is a normal end; the others are failures
        if (result.completed() || result.status() == RunStatus.STOPPED) {
            span.end(Map.of("dspy.run.status", result.status().name().toLowerCase(Locale.ROOT),
                    "dspy.run.succeeded", result.succeeded(), "dspy.run.failed", result.failed()));
        } else {
            span.fail(new RunCancelledException(result));
        }
        return result;
    }

    /**
     * Runs one task on a new virtual thread with {@code context} bound. The future completes with
     * the task's result or exception; {@code cancel(true)} on it interrupts the task (dependent
     * stages made with {@code thenApply} and the like do not pass cancellation back).
     *
     * <p>When {@code context} has listeners but no span (the call comes from user code, not from
     * inside a module), an {@code async} {@link SpanKind#RUN} span starts here, on the calling
     * thread, and the task runs under it, so its spans share one parent (and a tracing listener
     * can parent that one on the caller's own tracing context).
     *
     * @param task the task
     * @param context the context to bind while it runs
     * @return the task's future
     * @throws NullPointerException if an argument is {@code null}
     */
    public static <R> CompletableFuture<R> async(Callable<? extends R> task, DspyContext context) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(context, "context");
        if (context.span() != null || context.listeners().isEmpty()) {
            return InterruptibleFuture.start(task, context);
        }
        ActiveSpan span = context.startSpan(SpanKind.RUN, "async", Map.of("dspy.run.items", 1));
        return InterruptibleFuture.start(() -> {
            try {
                R value = task.call();
                span.end();
                return value;
            } catch (Exception | Error e) {
                span.fail(e);
                throw e;
            }
        }, context.withSpan(span.span()));
    }

    String threadPrefix() {
        return "dspy4j-" + name.toLowerCase(Locale.ROOT).replace(' ', '-') + "-";
    }

    @Override
    public String toString() {
        return "Runner[" + name + ", concurrency=" + concurrency + ", maxErrors="
                + (maxErrors == Integer.MAX_VALUE ? "none" : maxErrors)
                + (itemTimeout == null ? "" : ", itemTimeout=" + itemTimeout)
                + (listeners.isEmpty() ? "" : ", listeners=" + listeners) + "]";
    }

    /** Settings for a {@link Runner}; each is checked as it is set. Not thread-safe. */
    public static final class Builder {

        private String name = "run";
        private int concurrency = 8;
        private int maxErrors = 10;
        private @Nullable Duration itemTimeout;
        private @Nullable DspyContext context;
        private final List<RunListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * The run's name: progress bars show it as the task name, and worker threads are called
         * {@code dspy4j-<name>-<index>}. Default {@code "run"}.
         *
         * @throws IllegalArgumentException if the name is blank
         */
        public Builder name(String runName) {
            Objects.requireNonNull(runName, "name");
            if (runName.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = runName;
            return this;
        }

        /**
         * How many items run at once. Default 8 (DSPy's {@code num_threads}). An LM's own
         * concurrency limit still applies underneath.
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder concurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, got " + n);
            }
            this.concurrency = n;
            return this;
        }

        /**
         * The failure at which the run stops ({@link RunStatus#MAX_ERRORS}): the {@code n}-th failed
         * item. Default 10 (DSPy's {@code max_errors}); {@link Integer#MAX_VALUE} never stops.
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
         * How long one item may run. An item still running after it is interrupted and fails with a
         * {@link java.util.concurrent.TimeoutException} (it keeps its concurrency slot until its
         * thread has ended). Default: no limit.
         *
         * @throws IllegalArgumentException if the timeout is zero or negative
         */
        public Builder itemTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("itemTimeout must be positive, got " + timeout);
            }
            this.itemTimeout = timeout;
            return this;
        }

        /**
         * The context bound on every worker thread. Default: the context bound to the thread that
         * calls {@link Runner#run} ({@link DspyContext#current()}), captured at the call.
         */
        public Builder context(DspyContext runContext) {
            this.context = Objects.requireNonNull(runContext, "context");
            return this;
        }

        /** Adds a listener, called after those added before (e.g. {@code ProgressBars.terminal()}). */
        public Builder listener(RunListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds listeners, in order. */
        public Builder listeners(List<? extends RunListener> more) {
            more.forEach(this::listener);
            return this;
        }

        /** The runner. */
        public Runner build() {
            return new Runner(this);
        }
    }
}
