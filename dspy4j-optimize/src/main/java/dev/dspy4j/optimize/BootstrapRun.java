package dev.dspy4j.optimize;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.ResultHandler;
import dev.dspy4j.run.RunListener;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.RunStatus;
import dev.dspy4j.run.Runner;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link BootstrapFewShot} compilation: teacher runs on a {@link Runner}, walked in trainset
 * order by this class as the run's {@link ResultHandler}, then demo assembly. Used once.
 */
final class BootstrapRun implements ResultHandler<List<BootstrapRun.Attempt>> {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapRun.class);

    /** One attempt at one example: success with its trace, failure, or an error. */
    record Attempt(boolean success, List<TraceStep> trace, RuntimeException error, boolean budget) {}

    private final BootstrapFewShot config;
    private final Module student;
    private final Module teacher;
    private final List<Example> trainset;
    private final DspyContext teacherContext;
    private final List<RunListener> listeners;
    private final LmCallCounter lmCalls = new LmCallCounter();
    private final Set<String> teacherPaths = new HashSet<>();
    // the walk, applied in trainset order by the runner's handler calls (one at a time)
    private final Map<String, List<Example>> traces = new LinkedHashMap<>();
    private final Set<Integer> bootstrapped = new HashSet<>();
    private int errors;
    private boolean budgetStop;

    /**
     * With a {@code meter}, teacher calls count into it and are refused once it is spent (setting
     * {@code refused}); {@code listeners} hear of every teacher run.
     */
    BootstrapRun(BootstrapFewShot config, Module program, List<Example> trainset, DspyContext context,
                 BudgetMeter meter, AtomicBoolean refused, List<RunListener> listeners) {
        this.config = config;
        this.listeners = listeners;
        this.trainset = List.copyOf(Objects.requireNonNull(trainset, "trainset"));
        this.student = Objects.requireNonNull(program, "program").mapState((path, s) -> s.withDemos(List.of()));
        Module chosen = config.teacher != null ? config.teacher : program;
        if (!chosen.namedPredictors().keySet().equals(program.namedPredictors().keySet())) {
            throw new DspyException("The teacher's predictor paths " + chosen.namedPredictors().keySet()
                    + " differ from the student's " + program.namedPredictors().keySet()
                    + "; use a teacher with the same structure.");
        }
        boolean uncompiled = chosen.state().predictors().values().stream().allMatch(s -> s.demos().isEmpty());
        this.teacher = config.maxLabeledDemos > 0 && uncompiled
                ? LabeledFewShot.of(config.maxLabeledDemos).withSeed(config.seed).compile(chosen, this.trainset)
                : chosen;
        teacherPaths.addAll(teacher.namedPredictors().keySet());
        DspyContext base = config.teacherContext != null ? config.teacherContext
                : Objects.requireNonNull(context, "context");
        this.teacherContext = (meter == null ? base : meter.meter(base, refused)).withInterceptors(lmCalls);
    }

    BootstrapResult execute() {
        student.namedPredictors().keySet().forEach(path -> traces.put(path, new ArrayList<>()));
        if (config.maxBootstrappedDemos > 0 && !trainset.isEmpty()) {
            Runner runner = Runner.builder().name("Bootstrap").concurrency(config.concurrency)
                    .maxErrors(Integer.MAX_VALUE)   // teacher errors are counted in trainset order, below
                    .context(teacherContext).listeners(listeners).build();
            RunResult<List<Attempt>> run = runner.run(trainset, this::attempts, this);
            if (run.status() == RunStatus.INTERRUPTED) {
                throw new DspyException("Interrupted while bootstrapping demos.");
            }
        }
        return new BootstrapResult(train(), budgetStop, bootstrapped.size(), errors);
    }

    /**
     * Runs beyond the demos still needed would be wasted if they all succeed, so at most that many
     * run ahead of the walk (and at most {@code concurrency}).
     */
    @Override
    public int lookahead() {
        return Math.max(1, Math.min(config.concurrency, config.maxBootstrappedDemos - bootstrapped.size()));
    }

    /** Applies one example's attempts, in trainset order; stops the run once enough examples bootstrapped. */
    @Override
    public boolean onInOrder(ItemResult<List<Attempt>> result) {
        int index = result.index();
        List<Attempt> attempts = switch (result) {
            case ItemResult.Succeeded<List<Attempt>> ok -> ok.value();
            case ItemResult.Failed<List<Attempt>> failed -> throw rethrow(failed.error());
            case ItemResult.Cancelled<List<Attempt>> cancelled ->
                    throw new IllegalStateException("Teacher run " + index + " did not run");
        };
        for (Attempt attempt : attempts) {
            if (attempt.budget()) {
                budgetStop = true;
                return false;
            } else if (attempt.error() != null) {
                errors++;
                if (errors >= config.maxErrors) {
                    throw attempt.error();
                }
                LOG.warn("Teacher run on trainset example {} failed ({} of at most {} errors); skipping it",
                        index, errors, config.maxErrors, attempt.error());
            } else if (attempt.success()) {
                addDemos(attempt.trace());
                bootstrapped.add(index);
            }
        }
        return bootstrapped.size() < config.maxBootstrappedDemos;
    }

    @Override
    public String progressNote() {
        return "demos: " + bootstrapped.size() + "/" + config.maxBootstrappedDemos + "  LM calls: " + lmCalls.count();
    }

    /** Runs one example for up to maxRounds rounds, stopping at the first success. */
    private List<Attempt> attempts(Example example) {
        Module runner = withoutDemo(example);
        List<Attempt> attempts = new ArrayList<>();
        for (int round = 0; round < config.maxRounds; round++) {
            TraceCollector collector = new TraceCollector();
            DspyContext context = teacherContext.withListener(collector);
            if (round > 0) {
                context = context.withOptions(context.options().withRolloutId(round).withTemperature(1.0));
            }
            ActiveSpan step = context.startSpan(SpanKind.OPTIMIZER_STEP, "bootstrap round " + round,
                    Map.of("dspy.optimizer", "BootstrapFewShot", "dspy.bootstrap.round", round));
            context = context.withSpan(step.span());
            try {
                Prediction prediction = runner.call(example.inputs().toMap(), context);
                List<TraceStep> trace = collector.steps();
                // bound, as Evaluate binds it: an LM-judge metric using the current context counts in the budget
                // (the round's span, without the trace collector: a judge's calls are not the program's)
                boolean success = config.metric == null || passes(teacherContext.withSpan(step.span()).get(() ->
                        config.metric.score(example, prediction, MetricContext.bootstrap(trace))).value());
                attempts.add(new Attempt(success, trace, null, false));
                step.end(Map.of("dspy.bootstrap.success", success));
                if (success) {
                    break;
                }
            } catch (RuntimeException e) {
                step.fail(e);
                boolean budget = isBudget(e);
                attempts.add(new Attempt(false, List.of(), e, budget));
                if (budget) {
                    break;
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        return attempts;
    }

    private boolean passes(double score) {
        return config.metricThreshold != null ? score >= config.metricThreshold : score > 0;
    }

    private Module withoutDemo(Example example) {
        boolean present = teacher.state().predictors().values().stream().anyMatch(s -> s.demos().contains(example));
        if (!present) {
            return teacher;
        }
        return teacher.mapState((path, s) -> s.withDemos(s.demos().stream().filter(d -> !d.equals(example)).toList()));
    }

    private void addDemos(List<TraceStep> trace) {
        Map<String, List<Example>> byPath = new LinkedHashMap<>();
        for (TraceStep step : trace) {
            String path = step.predictorPath();
            if (!teacherPaths.contains(path)) {
                continue; // a predictor outside the program's structure, as DSPy skips it
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("augmented", true);
            values.putAll(step.inputs());
            values.putAll(step.outputs().toMap());
            byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(Example.of(values));
        }
        byPath.forEach((path, demos) -> {
            if (demos.size() > 1) {
                // DSPy seeds this choice with a SHA-256 of the pickled demos, which Java cannot
                // reproduce; a string hash keeps the choice stable across JVMs
                Random rng = new Random(config.seed * 31 + demos.toString().hashCode());
                demos = List.of(rng.nextDouble() < 0.5
                        ? demos.get(rng.nextInt(demos.size() - 1))
                        : demos.get(demos.size() - 1));
            }
            traces.get(path).addAll(demos);
        });
    }

    /** DSPy's _train: bootstrapped demos, then labelled ones from the shuffled rest. */
    private Module train() {
        List<Example> rest = new ArrayList<>();
        for (int i = 0; i < trainset.size(); i++) {
            if (!bootstrapped.contains(i)) {
                rest.add(trainset.get(i));
            }
        }
        // DSPy: random.Random(0).shuffle(validation), then rng = random.Random(0) for the samples
        List<Example> raw = SeededSampling.shuffled(rest, new PythonRandom(config.seed));
        PythonRandom rng = new PythonRandom(config.seed);
        Map<String, List<Example>> demos = new LinkedHashMap<>();
        for (String path : student.namedPredictors().keySet()) {
            List<Example> augmented = traces.get(path);
            augmented = augmented.subList(0, Math.min(augmented.size(), config.maxBootstrappedDemos));
            int size = Math.max(0, Math.min(config.maxLabeledDemos - augmented.size(), raw.size()));
            // as in DSPy, each predictor samples from the previous predictor's sample
            raw = SeededSampling.sample(raw, size, rng);
            List<Example> all = new ArrayList<>(augmented);
            all.addAll(raw);
            demos.put(path, all);
        }
        return student.mapState((path, s) -> s.withDemos(demos.get(path)));
    }

    private static RuntimeException rethrow(Throwable error) {
        if (error instanceof RuntimeException runtime) {
            return runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        return new DspyException("A teacher run failed: " + error, error);
    }

    static boolean isBudget(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BudgetExhaustedException) {
                return true;
            }
        }
        return false;
    }

}
