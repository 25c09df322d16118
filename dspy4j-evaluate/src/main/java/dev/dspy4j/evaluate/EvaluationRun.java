package dev.dspy4j.evaluate;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Module;
import dev.dspy4j.usage.UsageReport;
import dev.dspy4j.usage.UsageTracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One call of {@link Evaluate#run}: a dispatcher on the calling thread submits examples to a
 * virtual-thread executor owned by this run, bounded by a semaphore, and closes the executor (which
 * waits for every thread it started) before returning or throwing.
 */
final class EvaluationRun {

    private final Evaluate config;
    private final Module program;
    private final DspyContext context;
    private final UsageTracker runUsage = UsageTracker.create();
    private final AtomicReferenceArray<ExampleResult> results;
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final ProgressDisplay progress;
    private volatile boolean stopped;
    private volatile ExecutorService executor;

    EvaluationRun(Evaluate config, Module program, DspyContext context) {
        this.config = config;
        this.program = program;
        this.context = context.withListener(runUsage);
        this.results = new AtomicReferenceArray<>(config.devset.size());
        this.progress = config.progress
                ? ProgressDisplay.start(config.progressOutput, config.devset.size())
                : ProgressDisplay.NONE;
    }

    EvaluationResult run() {
        int total = config.devset.size();
        Semaphore permits = new Semaphore(config.concurrency);
        boolean interrupted = false;
        InterruptedException interruption = null;
        ExecutorService exec = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("dspy4j-evaluate-", 0).factory());
        executor = exec;
        try (progress) {
            try {
                for (int i = 0; i < total && !stopped; i++) {
                    permits.acquire();
                    if (stopped) {
                        permits.release();
                        break;
                    }
                    int index = i;
                    try {
                        exec.submit(() -> {
                            try {
                                runExample(index, exec);
                            } finally {
                                permits.release();
                            }
                        });
                    } catch (RejectedExecutionException e) {
                        permits.release();   // stopped by maxErrors in the meantime
                        break;
                    }
                }
                permits.acquire(config.concurrency);   // every permit back: every example has finished
            } catch (InterruptedException e) {
                interrupted = true;
                interruption = e;
                stopped = true;
            } finally {
                if (stopped) {
                    exec.shutdownNow();
                }
                exec.close();   // waits until every thread of this run has ended
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw cancelled("Evaluation cancelled: the calling thread was interrupted", true, interruption);
        }
        if (stopped) {
            throw cancelled("Evaluation cancelled after " + errors.get() + " failed examples (maxErrors="
                    + config.maxErrors + ")", false, firstError());
        }
        List<ExampleResult> all = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            all.add(results.get(i));
        }
        return new EvaluationResult(List.copyOf(config.metrics.keySet()), all, runUsage.snapshot());
    }

    private void runExample(int index, ExecutorService exec) {
        Example example = config.devset.get(index);
        UsageTracker exampleUsage = UsageTracker.create();
        DspyContext exampleContext = context.withListener(exampleUsage);
        Prediction prediction = null;
        Map<String, Score> scores = new LinkedHashMap<>();
        Throwable error = null;
        try {
            Outcome outcome = config.perExampleTimeout == null
                    ? score(example, exampleContext, exampleUsage)
                    : scoreWithin(example, exampleContext, exampleUsage, exec);
            prediction = outcome.prediction();
            scores = outcome.scores();
        } catch (InterruptedException e) {
            error = e;
        } catch (ExecutionException e) {
            error = e.getCause();
        } catch (RuntimeException | Error | TimeoutException e) {
            error = e;
        }
        if (error != null && stopped) {
            return;   // interrupted by the cancellation, not a failure of its own
        }
        if (error != null) {
            prediction = null;
            scores = new LinkedHashMap<>();
            for (String name : config.metrics.keySet()) {
                scores.put(name, Score.of(config.failureScore));
            }
        }
        Usage usage = exampleUsage.snapshot().total().usage();
        ExampleResult result = new ExampleResult(index, example, prediction, scores, error, usage);
        results.set(index, result);
        completed.incrementAndGet();
        int errorCount = error == null ? errors.get() : errors.incrementAndGet();
        progress.exampleDone(result.score(), errorCount);
        if (error != null && errorCount >= config.maxErrors && !stopped) {
            stopped = true;
            exec.shutdownNow();   // interrupts the examples still running; the dispatcher stops submitting
        }
    }

    private Outcome score(Example example, DspyContext exampleContext, UsageTracker exampleUsage) {
        Prediction prediction = program.call(example.inputs().toMap(), exampleContext);
        UsageReport programUsage = exampleUsage.snapshot();   // before any LM judge runs
        // bound, so LM-judge metrics using the current context count in this example's usage
        Map<String, Score> scores = exampleContext.get(() -> {
            Map<String, Score> byMetric = new LinkedHashMap<>();
            for (Map.Entry<String, CostAwareMetric> metric : config.metrics.entrySet()) {
                byMetric.put(metric.getKey(), Objects.requireNonNull(
                        metric.getValue().score(example, prediction, programUsage),
                        () -> "metric '" + metric.getKey() + "' returned null; return a Score"));
            }
            return byMetric;
        });
        return new Outcome(prediction, scores);
    }

    private Outcome scoreWithin(Example example, DspyContext exampleContext, UsageTracker exampleUsage,
                                ExecutorService exec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Future<Outcome> future = exec.submit(() -> score(example, exampleContext, exampleUsage));
        try {
            return future.get(config.perExampleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TimeoutException("The example took longer than perExampleTimeout ("
                    + config.perExampleTimeout + "); it was interrupted.");
        } catch (InterruptedException | CancellationException e) {
            future.cancel(true);
            throw e;
        }
    }

    private EvaluationCancelledException cancelled(String reason, boolean byInterrupt, Throwable cause) {
        List<ExampleResult> failures = new ArrayList<>();
        for (int i = 0; i < results.length(); i++) {
            ExampleResult result = results.get(i);
            if (result != null && result.failed()) {
                failures.add(result);
            }
        }
        StringBuilder message = new StringBuilder(reason).append(" (").append(completed.get()).append(" of ")
                .append(config.devset.size()).append(" examples finished).");
        int shown = 0;
        for (ExampleResult failure : failures) {
            if (shown++ == 5) {
                message.append("\n  ... and ").append(failures.size() - 5).append(" more");
                break;
            }
            message.append("\n  example ").append(failure.index()).append(": ").append(describe(failure.error()));
        }
        if (!byInterrupt) {
            message.append("\nFix the failing examples or the program, or raise maxErrors.");
        }
        return new EvaluationCancelledException(message.toString(), failures, completed.get(),
                config.devset.size(), byInterrupt, cause);
    }

    private Throwable firstError() {
        for (int i = 0; i < results.length(); i++) {
            ExampleResult result = results.get(i);
            if (result != null && result.failed()) {
                return result.error();
            }
        }
        return null;
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private record Outcome(Prediction prediction, Map<String, Score> scores) {}
}
