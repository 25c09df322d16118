package dev.dspy4j.optimize;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.ResultHandler;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.RunStatus;
import dev.dspy4j.run.Runner;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One random search: candidates built and scored on a {@link Runner}; this class, as the run's
 * {@link ResultHandler}, applies them in seed order (for {@code stopAtScore}) and tracks the best
 * score for progress bars.
 */
final class RandomSearchRun implements ResultHandler<Candidate> {

    private static final Logger LOG = LoggerFactory.getLogger(RandomSearchRun.class);

    private final BootstrapFewShotWithRandomSearch config;
    private final Module program;
    private final List<Example> trainset;
    private final List<Example> valset;
    private final DspyContext context;
    private final BudgetMeter meter;
    private final LmCallCounter lmCalls = new LmCallCounter();
    // handler state: the runner calls the handler one call at a time
    private double best = Double.NaN;
    private int stopIndex = Integer.MAX_VALUE;

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
        DspyContext counted = context.withInterceptors(lmCalls);
        Runner runner = Runner.builder().name("Random search").concurrency(config.concurrency)
                .maxErrors(Integer.MAX_VALUE)   // a failing candidate ends the search, in onCompleted
                .context(counted).listeners(config.listeners).build();
        RunResult<Candidate> run = runner.run(IntStream.range(0, total).boxed().toList(),
                index -> observedCandidate(index - 3, counted), this);
        if (run.status() == RunStatus.INTERRUPTED) {
            throw new DspyException("Interrupted during the random search.");
        }
        return result(run.items());
    }

    /** A candidate that failed ends the search (as soon as it fails); scored ones update the best score. */
    @Override
    public void onCompleted(ItemResult<Candidate> result) {
        if (result instanceof ItemResult.Failed<Candidate> failed) {
            Throwable error = failed.error();
            if (error instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (error instanceof Error fatal) {
                throw fatal;
            }
            throw new DspyException("A candidate failed: " + error, error);
        }
        if (result instanceof ItemResult.Succeeded<Candidate> ok && ok.value() != null
                && (Double.isNaN(best) || ok.value().score() > best)) {
            best = ok.value().score();
        }
    }

    /** With {@code stopAtScore}, the search ends at the first candidate in seed order that reaches it. */
    @Override
    public boolean onInOrder(ItemResult<Candidate> result) {
        if (result instanceof ItemResult.Succeeded<Candidate> ok && ok.value() != null
                && config.stopAtScore != null && ok.value().score() >= config.stopAtScore) {
            stopIndex = result.index();
            return false;
        }
        return true;
    }

    @Override
    public String progressNote() {
        return "best: " + (Double.isNaN(best) ? "-" : String.format(Locale.ROOT, "%.2f", best))
                + "  LM calls: " + lmCalls.count();
    }

    /** The candidates up to the one that stopped the search (or all), best first. */
    private OptimizationResult result(List<ItemResult<Candidate>> slots) {
        List<Candidate> scored = new ArrayList<>();
        Candidate winner = null;
        boolean budgetExhausted = false;
        int last = Math.min(stopIndex, slots.size() - 1);
        for (int i = 0; i <= last; i++) {
            Candidate c = slots.get(i) instanceof ItemResult.Succeeded<Candidate> ok ? ok.value() : null;
            if (c == null) {
                budgetExhausted = true; // never started, or cut short by the budget
                continue;
            }
            scored.add(c);
            if (winner == null || c.score() > winner.score()) {
                winner = c;
            }
        }
        scored.sort(Comparator.comparingDouble(Candidate::score).reversed());
        boolean stopped = stopIndex < slots.size();
        if (winner == null) {
            return new OptimizationResult(program.mapState((path, s) -> s.withDemos(List.of())), Double.NaN,
                    scored, budgetExhausted, false);
        }
        return new OptimizationResult(winner.program(), winner.score(), scored, budgetExhausted, stopped);
    }

    /** {@link #candidate} as an {@code OPTIMIZER_STEP} span. */
    private Candidate observedCandidate(int seed, DspyContext context) {
        ActiveSpan step = context.startSpan(SpanKind.OPTIMIZER_STEP, "candidate " + seed,
                Map.of("dspy.optimizer", "BootstrapFewShotWithRandomSearch", "dspy.candidate.seed", seed));
        try {
            Candidate candidate = candidate(seed, context.withSpan(step.span()));
            step.end(candidate == null ? Map.of("dspy.budget_spent", true)
                    : Map.of("dspy.candidate.score", candidate.score()));
            return candidate;
        } catch (RuntimeException | Error e) {
            step.fail(e);
            throw e;
        }
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
        BootstrapResult outcome = new BootstrapRun(optimizer, program, train, context, meter, refused, List.of())
                .execute();
        return outcome.budgetExhausted() ? null : outcome.program();
    }
}
