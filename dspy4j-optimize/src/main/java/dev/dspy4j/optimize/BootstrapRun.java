package dev.dspy4j.optimize;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/** One {@link BootstrapFewShot} compilation: teacher runs, then demo assembly. Used once. */
final class BootstrapRun {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapRun.class);

    /** One attempt at one example: success with its trace, failure, or an error. */
    private record Attempt(boolean success, List<TraceStep> trace, RuntimeException error, boolean budget) {}

    private final BootstrapFewShot config;
    private final Module student;
    private final Module teacher;
    private final List<Example> trainset;
    private final DspyContext teacherContext;
    private final SearchProgress progress;
    private final Map<Predict, String> pathOf = new IdentityHashMap<>();

    /**
     * With a {@code meter}, teacher calls count into it and are refused once it is spent (setting
     * {@code refused}); {@code progress} steps once per trainset example walked.
     */
    BootstrapRun(BootstrapFewShot config, Module program, List<Example> trainset, DspyContext context,
                 BudgetMeter meter, AtomicBoolean refused, SearchProgress progress) {
        this.config = config;
        this.progress = progress;
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
        teacher.namedPredictors().forEach((path, predictor) -> pathOf.put(predictor, path));
        DspyContext base = config.teacherContext != null ? config.teacherContext
                : Objects.requireNonNull(context, "context");
        this.teacherContext = progress.counting(meter == null ? base : meter.meter(base, refused));
    }

    BootstrapResult execute() {
        Map<String, List<Example>> traces = new LinkedHashMap<>();
        student.namedPredictors().keySet().forEach(path -> traces.put(path, new ArrayList<>()));
        Set<Integer> bootstrapped = new HashSet<>();
        int errors = 0;
        boolean budgetStop = false;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<List<Attempt>>> started = new ArrayList<>();
        try {
            walk:
            for (int i = 0; i < trainset.size() && bootstrapped.size() < config.maxBootstrappedDemos; i++) {
                // Runs in flight beyond the demos still needed would be wasted if they all succeed,
                // so at most that many run ahead (and at most `concurrency`).
                int needed = config.maxBootstrappedDemos - bootstrapped.size();
                while (started.size() < trainset.size()
                        && started.size() - i < Math.max(1, Math.min(config.concurrency, needed))) {
                    Example example = trainset.get(started.size());
                    started.add(pool.submit(() -> attempts(example)));
                }
                for (Attempt attempt : join(started.get(i))) {
                    if (attempt.budget()) {
                        budgetStop = true;
                        break walk;
                    } else if (attempt.error() != null) {
                        errors++;
                        if (errors >= config.maxErrors) {
                            throw attempt.error();
                        }
                        LOG.warn("Teacher run on trainset example {} failed ({} of at most {} errors); skipping it",
                                i, errors, config.maxErrors, attempt.error());
                    } else if (attempt.success()) {
                        addDemos(attempt.trace(), traces);
                        bootstrapped.add(i);
                    }
                }
                progress.step("demos: " + bootstrapped.size() + "/" + config.maxBootstrappedDemos);
            }
        } finally {
            pool.shutdownNow();
        }
        return new BootstrapResult(train(traces, bootstrapped), budgetStop, bootstrapped.size(), errors);
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
            try {
                Prediction prediction = runner.call(example.inputs().toMap(), context);
                List<TraceStep> trace = collector.steps();
                boolean success = config.metric == null
                        || passes(config.metric.score(example, prediction, MetricContext.bootstrap(trace)).value());
                attempts.add(new Attempt(success, trace, null, false));
                if (success) {
                    break;
                }
            } catch (RuntimeException e) {
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

    private void addDemos(List<TraceStep> trace, Map<String, List<Example>> traces) {
        Map<String, List<Example>> byPath = new LinkedHashMap<>();
        for (TraceStep step : trace) {
            String path = pathOf.get(step.predictor());
            if (path == null) {
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
    private Module train(Map<String, List<Example>> traces, Set<Integer> bootstrapped) {
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

    private static List<Attempt> join(Future<List<Attempt>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DspyException("Interrupted while bootstrapping demos.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new DspyException("A teacher run failed: " + e.getCause(), e.getCause());
        }
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
