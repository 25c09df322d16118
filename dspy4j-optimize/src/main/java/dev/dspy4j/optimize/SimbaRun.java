package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.run.StepProgress;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SIMBA run, in DSPy's order of draws and calls: per step a batch, sampled trajectories,
 * buckets, one candidate per bucket, candidates scored on the batch; then the winners scored on
 * the trainset. Single-threaded but for the program runs of one batch; not reused.
 */
final class SimbaRun {

    private static final Logger LOG = LoggerFactory.getLogger(SimbaRun.class);

    /** One program run on one example: DSPy's {@code wrap_program} output. */
    record Run(Example example, Prediction prediction, List<TraceStep> trace, double score, Map<String, Object> info) {}

    private record Task(ProgramState state, Example example, DspyContext context) {}

    /** A bucket: the runs of one example, best first, with DSPy's sort key. */
    record Bucket(List<Run> runs, double gap, double max, double gapToMean) {}

    private final Simba config;
    private final Module program;
    private final List<Example> trainset;
    private final DspyContext context;
    private final DspyContext promptContext;
    private final PythonRandom rng;
    private final NumpyRandom numpy;
    private final SimbaStrategies strategies;
    private final List<ProgramState> programs = new ArrayList<>();
    private final List<List<Double>> programScores = new ArrayList<>();
    private final AtomicInteger failedRuns = new AtomicInteger();
    private final RunBudget budget;
    private StepProgress progress;

    SimbaRun(Simba config, Module program, List<Example> trainset, DspyContext context) {
        this.config = config;
        this.budget = new RunBudget(config.budget);
        context = budget.meter(context); // task and prompt-model calls alike
        this.program = program;
        this.trainset = trainset;
        this.context = context;
        this.promptContext = config.promptModel == null ? context : context.withLm(config.promptModel);
        this.rng = new PythonRandom(config.seed);
        this.numpy = new NumpyRandom(config.seed);
        this.strategies = new SimbaStrategies(config, program, promptContext);
    }

    /** The run, reported to the listeners step by step; cut short cleanly if the budget runs out. */
    SimbaResult execute() {
        progress = StepProgress.start("SIMBA", config.maxSteps + 1, config.listeners);
        List<SimbaResult.Step> steps = new ArrayList<>();
        boolean completed = false;
        try {
            SimbaResult result = search(steps);
            completed = true;
            return result;
        } catch (RunBudget.Spent e) {
            LOG.debug("SIMBA stopped: {}", e.getMessage());
            return spent(steps);
        } finally {
            progress.finish(completed);
        }
    }

    /** The best candidate by mean mini-batch score among finished steps, or the program as given. */
    private SimbaResult spent(List<SimbaResult.Step> steps) {
        int best = 0;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < programs.size(); i++) {
            List<Double> scores = programScores.get(i);
            double mean = mean(scores.stream().mapToDouble(Double::doubleValue).toArray());
            if (!scores.isEmpty() && mean > bestMean) {
                best = i;
                bestMean = mean;
            }
        }
        ProgramState state = programs.isEmpty() ? program.state() : programs.get(best);
        return new SimbaResult(program.withState(state), Double.NaN, List.of(), steps, failedRuns.get(), true);
    }

    private SimbaResult search(List<SimbaResult.Step> steps) {
        programs.add(program.state());
        programScores.add(List.of()); // as in DSPy, the baseline's own scores are never recorded
        List<ProgramState> winners = new ArrayList<>(List.of(program.state()));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < trainset.size(); i++) {
            order.add(i);
        }
        rng.shuffle(order);
        int next = 0;
        StepCheckpoint checkpoint = config.checkpointDir.map(dir -> StepCheckpoint.open(StepCheckpoint.Kind.SIMBA,
                dir, fingerprint())).orElseGet(StepCheckpoint::none);
        SimbaCheckpoint.Finished resumed = resume(checkpoint, winners, steps);
        if (resumed != null) {
            order.clear();
            order.addAll(resumed.order());
            next = resumed.next();
        }
        for (int i = 0; i < steps.size(); i++) {
            progress.step(""); // the finished steps read back from the checkpoint
        }
        for (int step = steps.size(); step < config.maxSteps; step++) {
            if (next + config.bsize > trainset.size()) {
                rng.shuffle(order);
                next = 0;
            }
            List<Integer> batchIndices = List.copyOf(order.subList(next, next + config.bsize));
            next += config.bsize;
            ActiveSpan span = context.startSpan(SpanKind.OPTIMIZER_STEP, "SIMBA step " + step,
                    Map.of("dspy.optimizer", "SIMBA", "dspy.simba.step", step));
            try {
                budget.before("SIMBA step " + step);
                int programsBefore = programs.size();
                int winnersBefore = winners.size();
                SimbaResult.Step done = step(step, batchIndices, winners, context.withSpan(span.span()));
                budget.after("SIMBA step " + step); // refused runs scored 0, refused feedback dropped a candidate
                steps.add(done);
                span.end(Map.of("dspy.simba.candidates", done.candidateScores().size()));
                checkpoint.save(step, SimbaCheckpoint.toMap(finishedStep(done, programsBefore, winners, winnersBefore,
                        order, next)));
            } catch (RuntimeException e) {
                span.fail(e);
                throw budget.failure(e, "SIMBA step " + step);
            } catch (Error e) {
                span.fail(e);
                throw e;
            }
            progress.step("");
        }
        budget.before("the final evaluation");
        SimbaResult result = finish(winners, steps);
        budget.after("the final evaluation");
        progress.step("best: " + String.format(java.util.Locale.ROOT, "%.2f", result.bestScore()));
        return result;
    }

    /** What a checkpoint file records of the step just finished. */
    private SimbaCheckpoint.Finished finishedStep(SimbaResult.Step done, int programsBefore,
                                                  List<ProgramState> winners, int winnersBefore, List<Integer> order,
                                                  int next) {
        Integer winner = null;
        if (winners.size() > winnersBefore) {
            for (int p = programsBefore; p < programs.size(); p++) {
                if (programs.get(p) == winners.get(winners.size() - 1)) {
                    winner = p - programsBefore;
                }
            }
        }
        return new SimbaCheckpoint.Finished(List.copyOf(programs.subList(programsBefore, programs.size())),
                List.copyOf(programScores.subList(programsBefore, programs.size())), winner, done,
                List.copyOf(order), next, rng.state(), numpy.state(), failedRuns.get(), strategies.feedbackCalls());
    }

    /**
     * Re-adds the programs, winners and logs of the finished steps, in order, and restores the
     * state after the last one; returns it, or {@code null} if the checkpoint has no step. No LM
     * is called, and every later draw is the uninterrupted run's.
     */
    private SimbaCheckpoint.Finished resume(StepCheckpoint checkpoint, List<ProgramState> winners,
                                            List<SimbaResult.Step> steps) {
        SimbaCheckpoint.Finished last = null;
        int number = 0;
        try {
            for (Map<String, Object> saved : checkpoint.finishedSteps()) {
                if (number >= config.maxSteps) {
                    throw new IllegalArgumentException("the run has only " + config.maxSteps + " steps");
                }
                last = SimbaCheckpoint.fromMap(saved, program);
                programs.addAll(last.programs());
                programScores.addAll(last.scores());
                if (last.winner() != null) {
                    winners.add(last.programs().get(last.winner()));
                }
                steps.add(last.log());
                number++;
            }
            if (last == null) {
                return null;
            }
            if (last.order().size() != trainset.size()) {
                throw new IllegalArgumentException("its trainset order has " + last.order().size() + " ids, not "
                        + trainset.size());
            }
            rng.restore(last.random());
            numpy.restore(last.numpy());
            failedRuns.set(last.failedRuns());
            strategies.restoreFeedbackCalls(last.feedbackCalls());
        } catch (RuntimeException e) {
            throw checkpoint.bad(number, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        LOG.info("SIMBA: resuming from {} after {} finished steps", config.checkpointDir.orElseThrow(), steps.size());
        return last;
    }

    /** What a checkpoint must match to be resumed: the settings, the trainset, the program. */
    private String fingerprint() {
        StringBuilder text = new StringBuilder(config.settingsForFingerprint()).append("\ntrainset\n");
        trainset.forEach(e -> text.append(e).append('\n'));
        text.append("program ").append(program.getClass().getName()).append('\n').append(program.state().toJson());
        return MiproCheckpoint.sha256(text.toString());
    }

    private SimbaResult.Step step(int index, List<Integer> batchIndices, List<ProgramState> winners, DspyContext stepContext) {
        List<Example> batch = batchIndices.stream().map(trainset::get).toList();
        int bsize = batch.size();
        LmOptions options = stepContext.options();
        int firstRollout = options.rolloutId() == null ? 0 : options.rolloutId();
        List<Integer> top = topPlusBaseline(config.numCandidates);
        List<Task> tasks = new ArrayList<>();
        for (int model = 0; model < config.numCandidates; model++) {
            DspyContext sampling = stepContext.withOptions(options.withRolloutId(firstRollout + model).withTemperature(1.0));
            for (Example example : batch) {
                int chosen = softmaxSample(top, config.temperatureForSampling);
                tasks.add(new Task(programs.get(chosen), example, sampling));
            }
        }
        List<Run> outputs = runAll(tasks);
        double[] scores = outputs.stream().mapToDouble(Run::score).toArray();
        double p10 = percentile(scores, 10);
        double p90 = percentile(scores, 90);
        List<Bucket> buckets = buckets(outputs, bsize);
        double baseline = mean(scores);
        LOG.debug("SIMBA step {}: baseline mini-batch score {}", index + 1, baseline);

        List<ProgramState> candidates = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        for (Bucket bucket : buckets) {
            int source = softmaxSample(topPlusBaseline(config.numCandidates), config.temperatureForCandidates);
            ProgramState candidate = dropDemos(programs.get(source));
            String strategy = rng.choice(strategies.names());
            try {
                candidate = strategies.apply(strategy, bucket, candidate, p10, p90, stepContext);
            } catch (RuntimeException e) {
                LOG.error("SIMBA step {}: strategy {} failed, its candidate is dropped: {}", index + 1, strategy, e.toString());
                continue;
            }
            candidates.add(candidate);
            applied.add(strategy);
            if (candidates.size() >= config.numCandidates + 1) {
                break;
            }
        }

        List<Task> scoring = new ArrayList<>();
        for (ProgramState candidate : candidates) {
            for (Example example : batch) {
                scoring.add(new Task(candidate, example, stepContext));
            }
        }
        List<Run> scored = runAll(scoring);
        List<Double> candidateScores = new ArrayList<>();
        List<List<Double>> perCandidate = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            List<Double> own = scored.subList(c * bsize, (c + 1) * bsize).stream().map(Run::score).toList();
            perCandidate.add(own);
            candidateScores.add(mean(own.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        if (!candidateScores.isEmpty()) {
            winners.add(candidates.get(firstMax(candidateScores)));
        }
        for (int c = 0; c < candidates.size(); c++) {
            programs.add(candidates.get(c));
            programScores.add(perCandidate.get(c));
        }
        LOG.debug("SIMBA step {}: candidate scores {}", index + 1, candidateScores);
        return new SimbaResult.Step(index, batchIndices, baseline, applied, candidateScores, OptionalDouble.empty());
    }

    private SimbaResult finish(List<ProgramState> winners, List<SimbaResult.Step> steps) {
        int m = winners.size() - 1;
        int n = config.numCandidates + 1;
        LinkedHashSet<Integer> picked = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            picked.add(m < 1 ? 0 : (int) Math.rint((double) (i * m) / (n - 1))); // Python's round: half to even
        }
        List<ProgramState> finalists = picked.stream().map(winners::get).toList();
        ActiveSpan span = context.startSpan(SpanKind.OPTIMIZER_STEP, "SIMBA final evaluation",
                Map.of("dspy.optimizer", "SIMBA", "dspy.simba.candidates", finalists.size()));
        List<Run> outputs;
        try {
            DspyContext scoring = context.withSpan(span.span());
            List<Task> tasks = new ArrayList<>();
            for (ProgramState state : finalists) {
                for (Example example : trainset) {
                    tasks.add(new Task(state, example, scoring));
                }
            }
            outputs = runAll(tasks);
            span.end(Map.of());
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
        int size = trainset.size();
        List<Double> scores = new ArrayList<>();
        List<SimbaResult.Step> logged = new ArrayList<>(steps);
        for (int p = 0; p < finalists.size(); p++) {
            double score = mean(outputs.subList(p * size, (p + 1) * size).stream().mapToDouble(Run::score).toArray());
            scores.add(score);
            if (p != 0) { // DSPy's trial_logs[idx_prog - 1]["train_score"]
                logged.set(p - 1, logged.get(p - 1).withTrainScore(score));
            }
        }
        List<SimbaResult.Candidate> candidates = new ArrayList<>();
        for (int p = 0; p < finalists.size(); p++) {
            candidates.add(new SimbaResult.Candidate(program.withState(finalists.get(p)), scores.get(p)));
        }
        candidates.sort(Comparator.comparingDouble(SimbaResult.Candidate::score).reversed());
        int best = firstMax(scores);
        return new SimbaResult(program.withState(finalists.get(best)), scores.get(best), candidates, logged,
                failedRuns.get());
    }

    /** Drops about Poisson(demos / maxDemos) demos, at least one once a predictor holds maxDemos, as DSPy. */
    private ProgramState dropDemos(ProgramState state) {
        int numDemos = 0;
        for (PredictorState p : state.predictors().values()) {
            numDemos = Math.max(numDemos, p.demos().size());
        }
        int limit = config.maxDemos > 0 ? config.maxDemos : 3;
        long drawn = numpy.poisson((double) numDemos / limit);
        int count = (int) Math.min(Math.max(drawn, numDemos >= limit ? 1 : 0), numDemos);
        LinkedHashSet<Integer> dropped = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            dropped.add(rng.randrange(numDemos));
        }
        if (dropped.isEmpty()) {
            return state;
        }
        ProgramState out = state;
        for (Map.Entry<String, PredictorState> e : state.predictors().entrySet()) {
            List<Example> kept = new ArrayList<>();
            List<Example> demos = e.getValue().demos();
            for (int i = 0; i < demos.size(); i++) {
                if (!dropped.contains(i)) {
                    kept.add(demos.get(i));
                }
            }
            out = out.with(e.getKey(), e.getValue().withDemos(kept));
        }
        return out;
    }

    /** The indices of the {@code k} programs with the best mean scores, with the baseline in place of the last. */
    List<Integer> topPlusBaseline(int k) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < programs.size(); i++) {
            indices.add(i);
        }
        indices.sort(Comparator.comparingDouble(this::averageScore).reversed()); // stable, as Python's sorted
        List<Integer> top = new ArrayList<>(indices.subList(0, Math.min(k, indices.size())));
        if (!top.contains(0) && !top.isEmpty()) {
            top.set(top.size() - 1, 0);
        }
        return List.copyOf(new LinkedHashSet<>(top));
    }

    private double averageScore(int index) {
        List<Double> scores = programScores.get(index);
        if (scores.isEmpty()) {
            return 0.0;
        }
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        return sum / scores.size();
    }

    /** A program index drawn with probability softmax(mean score / temperature), as DSPy's {@code softmax_sample}. */
    int softmaxSample(List<Integer> candidates, double temperature) {
        List<Double> probabilities = softmax(candidates.stream().map(this::averageScore).toList(), temperature);
        if (probabilities.isEmpty()) {
            return rng.choice(candidates); // DSPy's fallback when every exp underflows to 0
        }
        return rng.weightedChoice(candidates, probabilities);
    }

    /** exp(score / temperature), normalized, as DSPy computes it; empty if the exps sum to 0 or less. */
    static List<Double> softmax(List<Double> scores, double temperature) {
        List<Double> exps = new ArrayList<>();
        double sum = 0;
        for (double score : scores) {
            double e = StrictMath.exp(score / temperature);
            exps.add(e);
            sum += e;
        }
        if (sum <= 0) {
            return List.of();
        }
        List<Double> probabilities = new ArrayList<>();
        for (double e : exps) {
            probabilities.add(e / sum);
        }
        return probabilities;
    }

    /** The runs grouped by example, best run first, the groups sorted by (max − min, max, max − mean), highest first. */
    static List<Bucket> buckets(List<Run> outputs, int bsize) {
        List<Bucket> buckets = new ArrayList<>();
        for (int idx = 0; idx < bsize; idx++) {
            List<Run> runs = new ArrayList<>();
            for (int i = idx; i < outputs.size(); i += bsize) {
                runs.add(outputs.get(i));
            }
            runs.sort(Comparator.comparingDouble(Run::score).reversed());
            double max = runs.get(0).score();
            double min = runs.get(runs.size() - 1).score();
            double avg = mean(runs.stream().mapToDouble(Run::score).toArray());
            buckets.add(new Bucket(List.copyOf(runs), max - min, max, max - avg));
        }
        buckets.sort(Comparator.comparingDouble(Bucket::gap).thenComparingDouble(Bucket::max)
                .thenComparingDouble(Bucket::gapToMean).reversed());
        return buckets;
    }

    /** NumPy's {@code percentile(values, q)} with its default linear method. */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        double virtual = (q / 100) * (sorted.length - 1);
        int previous = (int) Math.floor(virtual);
        int following = Math.min(previous + 1, sorted.length - 1);
        double gamma = virtual - previous;
        double a = sorted[previous];
        double b = sorted[following];
        double diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static int firstMax(List<Double> values) {
        int best = 0;
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) > values.get(best)) {
                best = i;
            }
        }
        return best;
    }

    private List<Run> runAll(List<Task> tasks) {
        if (config.numThreads == 1 || tasks.size() <= 1) {
            return tasks.stream().map(this::runOne).toList();
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.numThreads, tasks.size()),
                Thread.ofVirtual().name("simba-", 0).factory())) {
            List<Future<Run>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> runOne(task)));
            }
            List<Run> runs = new ArrayList<>();
            for (Future<Run> future : futures) {
                runs.add(future.get());
            }
            return runs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("SIMBA was interrupted while running a batch.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs the program with a fresh trace and scores it; failures score 0, as DSPy's {@code wrap_program}. */
    private Run runOne(Task task) {
        TraceCollector collector = new TraceCollector();
        Prediction prediction = null;
        try {
            prediction = program.withState(task.state()).call(task.example().inputs().toMap(),
                    task.context().withListener(collector));
        } catch (RuntimeException e) {
            failedRuns.incrementAndGet();
            LOG.warn("SIMBA: the program failed on an example (scored 0): {}", e.toString());
        }
        double score = 0.0;
        Map<String, Object> info = Map.of();
        if (prediction != null) {
            try {
                Score s = config.metric.score(task.example(), prediction, MetricContext.evaluation());
                score = s.value();
                if (s.hasFeedback()) {
                    info = Map.of("feedback", s.feedback());
                }
            } catch (RuntimeException e) {
                failedRuns.incrementAndGet();
                LOG.warn("SIMBA: the metric failed on an example (scored 0): {}", e.toString());
            }
        }
        return new Run(task.example(), prediction, collector.steps(), score, info);
    }
}
