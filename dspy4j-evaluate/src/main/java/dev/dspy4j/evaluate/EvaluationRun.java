package dev.dspy4j.evaluate;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.CancellationToken;
import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.ResultHandler;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.Runner;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import dev.dspy4j.usage.UsageReport;
import dev.dspy4j.usage.UsageTracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

/**
 * One call of {@link Evaluate#run}: every example is an item of a {@link Runner} run; this class
 * scores one example, and, as the run's {@link ResultHandler}, keeps DSPy's running average for
 * progress bars.
 */
final class EvaluationRun implements ResultHandler<ExampleResult> {

    private final Evaluate config;
    private final Module program;
    private final DspyContext context;
    private volatile DspyContext runContext;
    private final UsageTracker runUsage = UsageTracker.create();
    private final AtomicReferenceArray<UsageTracker> exampleUsage;
    // handler state: the runner calls the handler one call at a time
    private double scoreSum;
    private int done;
    private int errors;

    EvaluationRun(Evaluate config, Module program, DspyContext context) {
        this.config = config;
        this.program = program;
        this.context = context.withInterceptors(runUsage);
        this.exampleUsage = new AtomicReferenceArray<>(config.devset.size());
    }

    /** Runs the evaluation; {@code token} may be {@code null}. */
    EvaluationResult run(CancellationToken token) {
        ActiveSpan span = context.startSpan(SpanKind.EVALUATION, "Evaluate",
                Map.of("dspy.evaluation.examples", config.devset.size()));
        runContext = context.withSpan(span.span());
        try {
            EvaluationResult result = runAll(token);
            span.end(Map.of("dspy.evaluation.score", result.score()));
            return result;
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
    }

    private EvaluationResult runAll(CancellationToken token) {
        Runner runner = config.runner.toBuilder().context(runContext).build();
        List<Integer> indices = IntStream.range(0, config.devset.size()).boxed().toList();
        RunResult<ExampleResult> run = token == null ? runner.run(indices, this::score, this)
                : runner.run(indices, this::score, this, token);
        return switch (run.status()) {
            case COMPLETED -> {
                List<ExampleResult> all = new ArrayList<>(indices.size());
                run.items().forEach(item -> all.add(exampleResult(item)));
                yield new EvaluationResult(List.copyOf(config.metrics.keySet()), all, runUsage.snapshot());
            }
            case INTERRUPTED -> throw cancelled(run, "Evaluation cancelled: the calling thread was interrupted", true);
            case CANCELLED -> throw cancelled(run, "Evaluation cancelled through its CancellationToken", false);
            case MAX_ERRORS -> throw cancelled(run, "Evaluation cancelled after " + run.failed()
                    + " failed examples (maxErrors=" + config.maxErrors + ")", false);
            case STOPPED -> throw new IllegalStateException("An evaluation is never stopped by its handler");
        };
    }

    /** Runs the program on one example and scores it; throws if the program or a metric does. */
    private ExampleResult score(int index) {
        ActiveSpan span = runContext.startSpan(SpanKind.EVALUATION, "example " + index,
                Map.of("dspy.evaluation.example", index));
        try {
            ExampleResult result = scoreIn(index, runContext.withSpan(span.span()));
            span.end(Map.of("dspy.evaluation.score", result.score()));
            return result;
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
    }

    private ExampleResult scoreIn(int index, DspyContext spanContext) {
        Example example = config.devset.get(index);
        UsageTracker usage = UsageTracker.create();
        exampleUsage.set(index, usage);
        DspyContext exampleContext = spanContext.withInterceptors(usage);
        Prediction prediction = program.call(example.inputs().toMap(), exampleContext);
        UsageReport programUsage = usage.snapshot();   // before any LM judge runs
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
        return new ExampleResult(index, example, prediction, scores, null, usage.snapshot().total().usage());
    }

    @Override
    public void onCompleted(ItemResult<ExampleResult> result) {
        done++;
        if (result instanceof ItemResult.Succeeded<ExampleResult> ok) {
            scoreSum += ok.value().score();
        } else {
            scoreSum += config.failureScore;
            errors++;
        }
    }

    /** DSPy's progress text, plus the error count. */
    @Override
    public String progressNote() {
        String percent = String.format(Locale.ROOT, "%.1f", done == 0 ? 0.0 : 100.0 * scoreSum / done);
        return String.format(Locale.ROOT, "Average Metric: %.2f / %d (%s%%) errors: %d", scoreSum, done, percent, errors);
    }

    private ExampleResult exampleResult(ItemResult<ExampleResult> item) {
        return switch (item) {
            case ItemResult.Succeeded<ExampleResult> ok -> ok.value();
            case ItemResult.Failed<ExampleResult> failed -> failure(failed);
            case ItemResult.Cancelled<ExampleResult> cancelled ->
                    throw new IllegalStateException("Example " + cancelled.index() + " did not run");
        };
    }

    private ExampleResult failure(ItemResult.Failed<ExampleResult> failed) {
        Map<String, Score> scores = new LinkedHashMap<>();
        for (String name : config.metrics.keySet()) {
            scores.put(name, Score.of(config.failureScore));
        }
        Throwable error = failed.error();
        if (error instanceof TimeoutException) {
            // only the runner throws it: Module.call cannot throw a checked exception
            error = new TimeoutException("The example ran longer than perExampleTimeout (" + config.perExampleTimeout
                    + ") and was interrupted.");
        }
        UsageTracker usage = exampleUsage.get(failed.index());
        Usage used = usage == null ? Usage.ZERO : usage.snapshot().total().usage();
        return new ExampleResult(failed.index(), config.devset.get(failed.index()), null, scores, error, used);
    }

    private EvaluationCancelledException cancelled(RunResult<ExampleResult> run, String reason, boolean byInterrupt) {
        List<ExampleResult> failures = run.failures().stream().map(this::failure).toList();
        StringBuilder message = new StringBuilder(reason).append(" (").append(run.finished()).append(" of ")
                .append(config.devset.size()).append(" examples finished).");
        int shown = 0;
        for (ExampleResult failure : failures) {
            if (shown++ == 5) {
                message.append("\n  ... and ").append(failures.size() - 5).append(" more");
                break;
            }
            message.append("\n  example ").append(failure.index()).append(": ").append(describe(failure.error()));
        }
        if (run.status() == dev.dspy4j.run.RunStatus.MAX_ERRORS) {
            message.append("\nFix the failing examples or the program, or raise maxErrors.");
        }
        Throwable cause = failures.isEmpty() ? null : failures.get(0).error();
        return new EvaluationCancelledException(message.toString(), failures, run.finished(), config.devset.size(),
                byInterrupt, cause);
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
