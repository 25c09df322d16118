package dev.dspy4j.optimize;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.module.Module;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/** One random search: candidates built and scored concurrently, results applied in seed order. */
final class RandomSearchRun {

    private static final Logger LOG = LoggerFactory.getLogger(RandomSearchRun.class);

    /** A finished slot: a scored candidate, or {@code null} when the budget ran out during it. */
    private record Slot(int index, Candidate candidate) {}

    private final BootstrapFewShotWithRandomSearch config;
    private final Module program;
    private final List<Example> trainset;
    private final List<Example> valset;
    private final DspyContext context;
    private final BudgetMeter meter;

    RandomSearchRun(BootstrapFewShotWithRandomSearch config, Module program, List<Example> trainset,
                    List<Example> valset, DspyContext context) {
        this.config = config;
        this.program = program;
        this.trainset = trainset;
        this.valset = valset;
        this.meter = config.budget.isLimited() ? new BudgetMeter(config.budget) : null;
        this.context = context;
    }

    OptimizationResult execute() {
        int total = config.numCandidatePrograms + 3;
        Slot[] slots = new Slot[total];
        List<Future<Slot>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        CompletionService<Slot> done = new ExecutorCompletionService<>(pool);
        int stopIndex = total;
        boolean budgetStop = false;
        double best = Double.NaN;
        try (SearchProgress progress = config.progress
                ? SearchProgress.start(config.progressOutput, "Random search", total) : SearchProgress.NONE) {
            DspyContext counted = progress.counting(context);
            int inFlight = 0;
            while (futures.size() < Math.min(config.concurrency, total)) {
                int index = futures.size();
                futures.add(done.submit(() -> new Slot(index, candidate(index - 3, counted))));
                inFlight++;
            }
            int next = 0;
            while (inFlight > 0 && stopIndex == total) {
                Slot slot = take(done);
                inFlight--;
                slots[slot.index()] = slot;
                Candidate scored = slot.candidate();
                if (scored != null && (Double.isNaN(best) || scored.score() > best)) {
                    best = scored.score();
                }
                progress.step("best: " + (Double.isNaN(best) ? "-" : String.format(Locale.ROOT, "%.2f", best)));
                for (; next < total && slots[next] != null; next++) {
                    Candidate c = slots[next].candidate();
                    if (c != null && config.stopAtScore != null && c.score() >= config.stopAtScore) {
                        stopIndex = next;
                        break;
                    }
                }
                if (stopIndex == total && futures.size() < total) {
                    if (meter != null && meter.exhausted()) {
                        budgetStop = true;
                    } else {
                        int index = futures.size();
                        futures.add(done.submit(() -> new Slot(index, candidate(index - 3, counted))));
                        inFlight++;
                    }
                }
            }
        } finally {
            futures.forEach(f -> f.cancel(true));
            pool.shutdownNow();
        }
        return result(slots, stopIndex, budgetStop);
    }

    private OptimizationResult result(Slot[] slots, int stopIndex, boolean budgetStop) {
        List<Candidate> scored = new ArrayList<>();
        Candidate best = null;
        boolean budgetExhausted = budgetStop;
        int last = Math.min(stopIndex, slots.length - 1);
        for (int i = 0; i <= last; i++) {
            if (slots[i] == null || slots[i].candidate() == null) {
                budgetExhausted = true; // never started, or cut short by the budget
                continue;
            }
            Candidate c = slots[i].candidate();
            scored.add(c);
            if (best == null || c.score() > best.score()) {
                best = c;
            }
        }
        scored.sort(Comparator.comparingDouble(Candidate::score).reversed());
        boolean stopped = stopIndex < slots.length;
        if (best == null) {
            return new OptimizationResult(program.mapState((path, s) -> s.withDemos(List.of())), Double.NaN,
                    scored, budgetExhausted, false);
        }
        return new OptimizationResult(best.program(), best.score(), scored, budgetExhausted, stopped);
    }

    /** Builds and scores the candidate for {@code seed} in {@code context}; {@code null} if the budget ran out. */
    private Candidate candidate(int seed, DspyContext context) {
        if (meter != null && meter.exhausted()) {
            return null;
        }
        AtomicBoolean refused = new AtomicBoolean();
        DspyContext metered = meter == null ? context : meter.meter(context, refused);
        Module built = switch (seed) {
            case -3 -> program.mapState((path, s) -> s.withDemos(List.of()));
            case -2 -> LabeledFewShot.of(config.bootstrap.maxLabeledDemos).withSeed(config.seed)
                    .compile(program, trainset);
            case -1 -> bootstrap(config.bootstrap, trainset, context, refused);
            default -> {
                // DSPy: random.Random(seed).shuffle(trainset_copy), then a fresh
                // random.Random(seed).randint(1, max_bootstrapped_demos)
                List<Example> shuffled = SeededSampling.shuffled(trainset, candidateRandom(seed));
                int max = config.bootstrap.maxBootstrappedDemos;
                int size = max < 1 ? max : candidateRandom(seed).randint(1, max);
                yield bootstrap(config.bootstrap.toBuilder().maxBootstrappedDemos(size).build(), shuffled, context,
                        refused);
            }
        };
        if (built == null) {
            return null;
        }
        EvaluationResult evaluation;
        try {
            evaluation = Evaluate.builder().devset(valset).metric(config.metric)
                    .concurrency(config.evaluationConcurrency).maxErrors(config.bootstrap.maxErrors)
                    .build().run(built, metered);
        } catch (RuntimeException e) {
            if (refused.get() || BootstrapRun.isBudget(e)) {
                return null;
            }
            throw e;
        }
        if (refused.get()) {
            return null; // some examples failed for want of budget: the score would be unfair
        }
        LOG.debug("Candidate {} scored {}", seed, evaluation.score());
        return new Candidate(seed, built, evaluation.score(), evaluation);
    }

    /**
     * The generator for one candidate: Python's {@code random.Random(s + seed * 2**32)}, so with
     * the default seed 0 it is DSPy's {@code random.Random(s)} and draws exactly its numbers, and
     * another seed gives every candidate a generator distinct from those of seed 0 (and from each
     * other, for {@code numCandidatePrograms} below 2<sup>32</sup>).
     */
    private PythonRandom candidateRandom(int candidateSeed) {
        return new PythonRandom(BigInteger.valueOf(config.seed).shiftLeft(32).add(BigInteger.valueOf(candidateSeed)));
    }

    private Module bootstrap(BootstrapFewShot optimizer, List<Example> train, DspyContext context,
                             AtomicBoolean refused) {
        BootstrapResult outcome = new BootstrapRun(optimizer, program, train, context, meter, refused,
                SearchProgress.NONE).execute();
        return outcome.budgetExhausted() ? null : outcome.program();
    }

    private static Slot take(CompletionService<Slot> done) {
        try {
            return done.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DspyException("Interrupted during the random search.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new DspyException("A candidate failed: " + e.getCause(), e.getCause());
        }
    }
}
