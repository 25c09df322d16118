package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.StepProgress;
import dev.dspy4j.signature.Field;
import dev.dspy4j.usage.UsageReport;
import dev.dspy4j.usage.UsageTracker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One {@link Gepa} search: gepa's engine with its reflective-mutation proposer. Used once. */
final class GepaRun {

    private static final Logger LOG = LoggerFactory.getLogger(GepaRun.class);

    /** One example's run: its score, and (for traced runs) the prediction and trace. */
    private record Rollout(Example example, Prediction prediction, List<TraceStep> trace, double score) {}

    private final Gepa config;
    private final Module student;
    private final List<Example> train;
    private final List<Example> val;
    private final DspyContext context;
    private final int budget;
    private final List<String> components;
    private final PythonRandom rng;          // gepa's: parents and minibatches
    private final PythonRandom adapterRng;   // DSPy's adapter's: which call of a predictor to reflect on

    private final List<Map<String, String>> candidates = new ArrayList<>();
    private final List<List<Integer>> parents = new ArrayList<>();
    private final List<List<Double>> valScores = new ArrayList<>();
    private final List<Double> aggregates = new ArrayList<>();
    private final List<Integer> discovery = new ArrayList<>();
    private final List<UsageReport> usages = new ArrayList<>();   // each candidate's step's LM usage
    private final StepUsage stepUsage = new StepUsage();
    private final List<Integer> nextComponent = new ArrayList<>();
    private final List<SortedSet<Integer>> fronts = new ArrayList<>();
    private final List<Double> frontScores = new ArrayList<>();
    private int totalEvals;
    private int fullEvals;
    private int iteration = -1;

    private final EpochShuffledSampler sampler;
    private final GepaMerge merge;                  // null when merging is off
    private final RunBudget lmBudget;               // the Budget of LM calls, tokens and cost
    private StepProgress progress;
    private int reported;

    GepaRun(Gepa config, Module program, List<Example> train, List<Example> val, DspyContext context, int budget) {
        this.config = config;
        this.student = program;
        this.train = train;
        this.val = val;
        this.lmBudget = new RunBudget(config.budget);
        // program runs and reflection calls alike; the step's tracker passes every call on unchanged
        this.context = lmBudget.meter(context).withInterceptors(stepUsage);
        this.budget = budget;
        this.components = List.copyOf(program.namedPredictors().keySet());
        this.rng = new PythonRandom(config.seed);
        this.adapterRng = new PythonRandom(config.seed);
        this.sampler = new EpochShuffledSampler(train.size(), config.reflectionMinibatchSize, rng);
        this.merge = config.useMerge ? new GepaMerge(config.maxMergeInvocations, rng) : null;
    }

    GepaResult execute() {
        progress = StepProgress.start("GEPA", budget, config.listeners);
        boolean completed = false;
        boolean spent = false;
        try {
            search();
            completed = true;
        } catch (RunBudget.Spent e) {
            LOG.debug("GEPA stopped: {}", e.getMessage());
            spent = true;
        } finally {
            progress.finish(completed);
        }
        if (candidates.isEmpty()) { // the budget ran out before the seed was scored
            Map<String, String> seed = new LinkedHashMap<>();
            student.state().predictors().forEach((path, state) -> seed.put(path, state.signature().instructions()));
            candidates.add(seed);
            parents.add(List.of());
            aggregates.add(Double.NaN);
            valScores.add(List.of());
            discovery.add(0);
            usages.add(stepUsage.restart());
        }
        int best = 0;
        for (int c = 1; c < aggregates.size(); c++) {
            if (aggregates.get(c) > aggregates.get(best)) {
                best = c;
            }
        }
        List<SortedSet<Integer>> frontCopies = new ArrayList<>(fronts);
        return new GepaResult(program(candidates.get(best)), candidates, parents, aggregates, valScores,
                List.copyOf(frontCopies), discovery, totalEvals, fullEvals, best, budget, spent, usages);
    }

    /** The seed's evaluation, then iterations until the metric calls are spent. */
    private void search() {
        StepCheckpoint checkpoint = config.checkpointDir
                .map(dir -> StepCheckpoint.open(StepCheckpoint.Kind.GEPA, dir, fingerprint())).orElseGet(StepCheckpoint::none);
        if (!resume(checkpoint)) {
            Map<String, String> seed = new LinkedHashMap<>();
            student.state().predictors().forEach((path, state) -> seed.put(path, state.signature().instructions()));
            stepUsage.restart();
            List<Double> seedScores = scores(evaluate(seed, val, false));
            totalEvals += val.size();
            add(seed, List.of(), seedScores, 0, stepUsage.restart());
            checkpoint.save(0, finishedStep(0, 0));
        }
        report();
        while (totalEvals < budget) {
            iteration++;
            int candidatesBefore = candidates.size();
            int evalsBefore = totalEvals;
            stepUsage.restart(); // the iteration's calls, merge or reflective, count for the candidate it adds
            iterate(); // an iteration the Budget cuts short throws before its checkpoint: it is redone
            checkpoint.save(iteration + 1, finishedStep(candidatesBefore, evalsBefore));
            report();
        }
    }

    /** Tells the listeners of the metric calls spent since the last report. */
    private void report() {
        String note = "best: " + String.format(java.util.Locale.ROOT, "%.2f",
                aggregates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        for (; reported < Math.min(totalEvals, budget); reported++) {
            progress.step(note);
        }
    }

    private void iterate() {
        if (merge != null) {
            if (merge.due > 0 && merge.lastIterationFoundNewProgram) {
                GepaMerge.Proposal proposal = merge.propose(candidates, parents, aggregates, valScores, fronts);
                merge.lastIterationFoundNewProgram = false;
                if (proposal != null) {
                    tryMerge(proposal);
                    return;                  // a merge attempt takes the iteration, as in gepa
                }
            }
            merge.lastIterationFoundNewProgram = false;
        }
        int parent = config.candidateSelection == Gepa.CandidateSelection.PARETO
                ? GepaFrontier.select(fronts, aggregates, rng) : firstBest();
        List<Integer> ids = sampler.next(iteration);
        List<Example> minibatch = ids.stream().map(train::get).toList();
        Map<String, String> current = candidates.get(parent);
        List<Rollout> before = evaluate(current, minibatch, true);
        totalEvals += minibatch.size();
        if (before.stream().allMatch(r -> r.trace() == null)) {
            LOG.info("Iteration {}: no trajectories for candidate {}; skipping", iteration + 1, parent);
            return;
        }
        if (config.skipPerfectScore && before.stream().allMatch(r -> r.score() >= config.perfectScore)) {
            LOG.debug("Iteration {}: all minibatch scores perfect for candidate {}; skipping", iteration + 1, parent);
            return;
        }
        List<String> toUpdate = componentsToUpdate(parent);
        Map<String, String> child = new LinkedHashMap<>(current);
        boolean reflected = false;
        for (String path : toUpdate) {
            List<GepaReflection.Record> records = records(current, path, before);
            if (records.isEmpty()) {
                LOG.warn("Iteration {}: no reflective examples for {}", iteration + 1, path);
                continue;
            }
            child.put(path, propose(current.get(path), records));
            reflected = true;
        }
        if (!reflected) {
            // nothing could be reflected on; gepa's adapter fails the proposal here
            LOG.warn("Iteration {}: no valid predictions for any predictor; skipping", iteration + 1);
            return;
        }
        List<Rollout> after = evaluate(child, minibatch, true);
        totalEvals += minibatch.size();
        double oldSum = sum(scores(before));
        double newSum = sum(scores(after));
        if (!(newSum > oldSum)) {
            LOG.info("Iteration {}: new subsample score {} is not better than old score {}; skipping",
                    iteration + 1, newSum, oldSum);
            return;
        }
        List<Double> childScores = scores(evaluate(child, val, false));
        int discovered = totalEvals;
        totalEvals += val.size();
        add(child, List.of(parent), childScores, discovered, stepUsage.restart());
        if (merge != null) {
            merge.onNewProgram();
        }
        LOG.info("Iteration {}: accepted candidate {} (subsample {} -> {}), valset score {}", iteration + 1,
                candidates.size() - 1, oldSum, newSum, aggregates.get(aggregates.size() - 1));
    }

    /** Scores the merge on its valset subsample; keeps it if it does at least as well as both parents. */
    private void tryMerge(GepaMerge.Proposal proposal) {
        List<Example> subsample = proposal.subsample().stream().map(val::get).toList();
        double newSum = sum(scores(evaluate(proposal.candidate(), subsample, false)));
        totalEvals += subsample.size();
        double parentBest = Math.max(proposal.parentSum1(), proposal.parentSum2());
        if (newSum < parentBest) {
            LOG.info("Iteration {}: merge of {} and {} scored {} on its subsample, below its parents' {}; skipping",
                    iteration + 1, proposal.id1(), proposal.id2(), newSum, parentBest);
            return;
        }
        List<Double> mergedScores = scores(evaluate(proposal.candidate(), val, false));
        int discovered = totalEvals;
        totalEvals += val.size();
        add(proposal.candidate(), List.of(proposal.id1(), proposal.id2()), mergedScores, discovered,
                stepUsage.restart());
        merge.onMergeAccepted();
        LOG.info("Iteration {}: accepted the merge of {} and {} as candidate {}, valset score {}", iteration + 1,
                proposal.id1(), proposal.id2(), candidates.size() - 1, aggregates.get(aggregates.size() - 1));
    }

    // ---------------------------------------------------------------- state

    private void add(Map<String, String> candidate, List<Integer> from, List<Double> scores, int discoveredAt,
                     UsageReport usage) {
        int index = candidates.size();
        usages.add(usage);
        candidates.add(new LinkedHashMap<>(candidate));
        parents.add(from);
        valScores.add(scores);
        aggregates.add(sum(scores) / scores.size());
        discovery.add(discoveredAt);
        fullEvals++;
        int next = 0;
        for (int p : from) {
            next = Math.max(next, nextComponent.get(p));
        }
        nextComponent.add(next);
        for (int v = 0; v < scores.size(); v++) {
            double s = scores.get(v);
            if (index == 0) {
                fronts.add(new TreeSet<>(List.of(0)));
                frontScores.add(s);
            } else if (s > frontScores.get(v)) {
                fronts.set(v, new TreeSet<>(List.of(index)));
                frontScores.set(v, s);
            } else if (s == frontScores.get(v)) {
                fronts.get(v).add(index);
            }
        }
    }

    private int firstBest() {
        int best = 0;
        for (int c = 1; c < aggregates.size(); c++) {
            if (aggregates.get(c) > aggregates.get(best)) {
                best = c;
            }
        }
        return best;
    }

    private List<String> componentsToUpdate(int parent) {
        if (config.componentSelection == Gepa.ComponentSelection.ALL) {
            return components;
        }
        int id = nextComponent.get(parent);
        nextComponent.set(parent, (id + 1) % components.size());
        return List.of(components.get(id));
    }

    // ---------------------------------------------------------------- checkpoint

    /**
     * What a checkpoint file records of the step just finished: how it ended, the candidate it
     * added, the metric calls it spent, and everything later steps depend on (the running total,
     * each candidate's next predictor, the generators, the minibatch epoch and the merge schedule).
     */
    private Map<String, Object> finishedStep(int candidatesBefore, int evalsBefore) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", iteration + 1);
        Map<String, Object> added = null;
        if (candidates.size() > candidatesBefore) {
            int c = candidates.size() - 1;
            added = new LinkedHashMap<>();
            added.put("instructions", candidates.get(c));
            added.put("parents", parents.get(c));
            added.put("valScores", valScores.get(c));
            added.put("discoveredAt", discovery.get(c));
        }
        m.put("outcome", iteration < 0 ? "seed" : added == null ? "rejected or skipped"
                : parents.get(parents.size() - 1).size() > 1 ? "merge accepted" : "child accepted");
        m.put("added", added);
        m.put("metricCalls", totalEvals - evalsBefore);
        m.put("totalMetricCalls", totalEvals);
        m.put("nextComponent", List.copyOf(nextComponent));
        m.put("random", StepCheckpoint.words(rng.state()));
        m.put("adapterRandom", StepCheckpoint.words(adapterRng.state()));
        m.put("minibatches", sampler.state());
        if (merge != null) {
            m.put("merge", merge.state());
        }
        return m;
    }

    /**
     * Restores the state after the last finished step, if the checkpoint has any: the candidates
     * are re-added in order (rebuilding the frontier), the rest is read from the last file. No LM
     * is called, and every later draw is the uninterrupted run's.
     */
    private boolean resume(StepCheckpoint checkpoint) {
        List<Map<String, Object>> steps = checkpoint.finishedSteps();
        if (steps.isEmpty()) {
            return false;
        }
        int number = 0;
        try {
            for (Map<String, Object> step : steps) {
                if (step.get("added") != null) {
                    Map<String, Object> added = StepCheckpoint.object(step.get("added"));
                    Map<String, String> instructions = new LinkedHashMap<>();
                    StepCheckpoint.object(added.get("instructions")).forEach((k, v) -> instructions.put(k, (String) v));
                    if (!instructions.keySet().equals(new TreeSet<>(components))) {
                        throw new IllegalArgumentException("its candidate's predictors " + instructions.keySet()
                                + " are not the program's " + components);
                    }
                    List<Double> scores = StepCheckpoint.doubles(added.get("valScores"));
                    if (scores.size() != val.size()) {
                        throw new IllegalArgumentException("it has " + scores.size() + " valset scores, not "
                                + val.size());
                    }
                    add(instructions, StepCheckpoint.integers(added.get("parents")), scores,
                            StepCheckpoint.integer(added.get("discoveredAt")),
                            new UsageReport(List.of())); // the checkpoint keeps no usage
                }
                number++;
            }
            number = steps.size() - 1;
            Map<String, Object> last = steps.get(number);
            totalEvals = StepCheckpoint.integer(last.get("totalMetricCalls"));
            List<Integer> next = StepCheckpoint.integers(last.get("nextComponent"));
            if (next.size() != candidates.size()) {
                throw new IllegalArgumentException("it has " + next.size() + " next predictors for "
                        + candidates.size() + " candidates");
            }
            nextComponent.clear();
            nextComponent.addAll(next);
            rng.restore(StepCheckpoint.words(last.get("random")));
            adapterRng.restore(StepCheckpoint.words(last.get("adapterRandom")));
            sampler.restore(StepCheckpoint.object(last.get("minibatches")));
            if (merge != null) {
                merge.restore(StepCheckpoint.object(last.get("merge")));
            }
        } catch (RuntimeException e) {
            throw checkpoint.bad(number, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        iteration = steps.size() - 2;
        LOG.info("Gepa: resuming from {} after {} finished iterations, {} metric calls spent",
                config.checkpointDir.orElseThrow(), steps.size() - 1, totalEvals);
        return true;
    }

    /** What a checkpoint must match to be resumed: the settings, the data, the program. */
    private String fingerprint() {
        StringBuilder text = new StringBuilder(config.settingsForFingerprint()).append("\nbudget ").append(budget)
                .append("\ntrainset\n");
        train.forEach(e -> text.append(e).append('\n'));
        text.append("valset\n");
        val.forEach(e -> text.append(e).append('\n'));
        text.append("program ").append(student.getClass().getName()).append('\n').append(student.state().toJson());
        return MiproCheckpoint.sha256(text.toString());
    }

    // ---------------------------------------------------------------- evaluation and reflection

    /**
     * A pass-through interceptor counting the LM calls of the step under way (the seed's
     * evaluation, or one iteration: its minibatch evaluations, reflection calls and valset
     * evaluation, or a merge's subsample and valset evaluations) in a fresh {@link UsageTracker}.
     * Steps run one after another; only a step's own rollouts run concurrently.
     */
    private static final class StepUsage implements LmInterceptor {

        private volatile UsageTracker tracker = UsageTracker.create();

        @Override
        public LmResponse intercept(LmRequest request, Chain chain) {
            return tracker.intercept(request, chain);
        }

        @Override
        public LmStream interceptStream(LmRequest request, Chain chain) {
            return tracker.interceptStream(request, chain);
        }

        /** The usage since the last restart; counting starts again from nothing. */
        UsageReport restart() {
            UsageReport usage = tracker.snapshot();
            tracker = UsageTracker.create();
            return usage;
        }
    }

    private Module program(Map<String, String> candidate) {
        return student.mapState((path, state) -> candidate.containsKey(path)
                ? state.withSignature(state.signature().withInstructions(candidate.get(path))) : state);
    }

    /**
     * Runs the candidate on each example, {@code evaluationConcurrency} at once, and returns the
     * rollouts in the examples' order; traced runs give the metric the trace.
     */
    private List<Rollout> evaluate(Map<String, String> candidate, List<Example> examples, boolean traced) {
        lmBudget.before("an evaluation");
        List<Rollout> rollouts;
        try {
            rollouts = evaluateUnmetered(candidate, examples, traced);
        } catch (RuntimeException e) {
            throw lmBudget.failure(e, "an evaluation");
        }
        lmBudget.after("an evaluation"); // refused runs got the failure score: the scores would be unfair
        return rollouts;
    }

    private List<Rollout> evaluateUnmetered(Map<String, String> candidate, List<Example> examples, boolean traced) {
        Module program = program(candidate);
        if (config.evaluationConcurrency == 1 || examples.size() < 2) {
            List<Rollout> rollouts = new ArrayList<>(examples.size());
            for (Example example : examples) {
                rollouts.add(rollout(program, example, traced));
            }
            return rollouts;
        }
        Semaphore permits = new Semaphore(config.evaluationConcurrency);
        List<Future<Rollout>> futures = new ArrayList<>(examples.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Example example : examples) {
                futures.add(threads.submit(() -> {
                    permits.acquire();
                    try {
                        return rollout(program, example, traced);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<Rollout> rollouts = new ArrayList<>(examples.size());
            for (Future<Rollout> future : futures) {
                rollouts.add(result(future, futures));
            }
            return rollouts;
        }
    }

    /** A rollout's result; on failure the others are cancelled and the failure rethrown as is. */
    private static Rollout result(Future<Rollout> future, List<Future<Rollout>> all) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            all.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("A GEPA rollout failed", e.getCause());
        } catch (InterruptedException e) {
            all.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new CancellationException("Interrupted while GEPA evaluated a candidate");
        }
    }

    /** One run of the program on one example, scored; a failed run scores the failure score. */
    private Rollout rollout(Module program, Example example, boolean traced) {
        TraceCollector collector = new TraceCollector();
        DspyContext run = traced ? context.withListener(collector) : context;
        Prediction prediction;
        try {
            prediction = program.call(example.inputs().toMap(), run);
        } catch (RuntimeException e) {
            if (BootstrapRun.isBudget(e)) {
                throw e;
            }
            LOG.warn("A run failed; scoring it {}", config.failureScore, e);
            return new Rollout(example, null, null, config.failureScore);
        }
        List<TraceStep> trace = traced ? collector.steps() : null;
        MetricContext why = traced ? MetricContext.bootstrap(trace) : MetricContext.evaluation();
        // bound, as Evaluate binds it: an LM-judge metric using the current context counts in the budget
        double score = context.get(() -> config.metric.score(example, prediction, why)).value();
        return new Rollout(example, prediction, trace, score);
    }

    /** DSPy's reflective dataset for one predictor: one of its calls per traced run, with feedback. */
    private List<GepaReflection.Record> records(Map<String, String> candidate, String path, List<Rollout> rollouts) {
        var signature = student.state().predictors().get(path).signature();
        List<GepaReflection.Record> records = new ArrayList<>();
        for (Rollout rollout : rollouts) {
            if (rollout.trace() == null) {
                continue;
            }
            List<TraceStep> calls = rollout.trace().stream().filter(s -> s.predictorPath().equals(path)).toList();
            if (calls.isEmpty()) {
                continue;
            }
            TraceStep selected = calls.get(adapterRng.randbelow(calls.size()));
            Map<String, String> inputs = new LinkedHashMap<>();
            for (Field field : signature.inputs()) {
                if (selected.inputs().containsKey(field.name())) {
                    inputs.put(field.name(), String.valueOf(selected.inputs().get(field.name())));
                }
            }
            selected.inputs().forEach((k, v) -> inputs.putIfAbsent(k, String.valueOf(v)));
            Map<String, String> outputs = new LinkedHashMap<>();
            selected.outputs().toMap().forEach((k, v) -> outputs.put(k, String.valueOf(v)));
            Score feedback;
            try {
                feedback = context.get(() -> config.metric.score(rollout.example(), rollout.prediction(),
                        MetricContext.feedback(rollout.trace(), path, selected)));
            } catch (RuntimeException e) {
                throw lmBudget.failure(e, "the metric's feedback");
            }
            String text = feedback.hasFeedback() ? feedback.feedback()
                    : "This trajectory got a score of " + pythonFloat(feedback.value()) + ".";
            records.add(new GepaReflection.Record(inputs, outputs, text));
        }
        return records;
    }

    private String propose(String instruction, List<GepaReflection.Record> records) {
        String prompt = GepaReflection.prompt(instruction, records);
        Lm lm = context.lmFor(config.reflectionLm, "");
        lmBudget.before("a reflection");
        String reply;
        try {
            reply = lm.call(new LmRequest(List.of(Message.user(prompt)), config.reflectionOptions)).text();
        } catch (RuntimeException e) {
            throw lmBudget.failure(e, "a reflection");
        }
        return GepaReflection.newInstruction(reply);
    }

    // ---------------------------------------------------------------- helpers

    private static List<Double> scores(List<Rollout> rollouts) {
        return rollouts.stream().map(Rollout::score).toList();
    }

    private static double sum(List<Double> values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }

    /** Python's {@code str(float)} for the usual cases ({@code 1.0}, {@code 0.5}). */
    static String pythonFloat(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e16) {
            return (long) value + ".0";
        }
        return Double.toString(value);
    }
}
