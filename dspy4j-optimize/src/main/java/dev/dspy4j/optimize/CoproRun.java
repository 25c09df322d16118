package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.run.StepProgress;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import dev.dspy4j.usage.UsageReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One COPRO run, in DSPy's order: proposals per predictor, then per depth every candidate scored
 * on the trainset and each predictor set to its best, then new proposals from the scored history.
 * Single-threaded (each evaluation may run its examples concurrently); not reused.
 */
final class CoproRun {

    private static final Logger LOG = LoggerFactory.getLogger(CoproRun.class);
    /** DSPy's {@code results_best} keeps the top ten scores, whatever the breadth. */
    private static final int TOP_SCORES = 10;

    /** A proposal as the LM wrote it; stripped when it is evaluated. */
    private record Proposal(String instruction, String prefix) {}

    private record Key(String instruction, String prefix) {}

    private record Scored(double score, ProgramState state, String instruction, String prefix, int depth,
                          UsageReport usage) {}

    /** One candidate evaluation's score and usage (empty when read back from the checkpoint). */
    private record Evaluated(double score, UsageReport usage) {}

    private final Copro config;
    private final Module program;
    private final List<Example> trainset;
    private final DspyContext context;
    private final DspyContext promptContext;
    private final Evaluate evaluate;
    private final List<String> paths;
    private final Map<String, List<Proposal>> all = new LinkedHashMap<>();
    private final Map<String, LinkedHashMap<Key, Scored>> evaluated = new LinkedHashMap<>();
    private final Map<String, CoproStatistics> bestStats = new LinkedHashMap<>();
    private final Map<String, CoproStatistics> latestStats = new LinkedHashMap<>();
    private final BudgetMeter meter;
    private final AtomicBoolean refused = new AtomicBoolean();
    private int evaluations;
    /** The depth being worked on, for a stop by the budget. */
    private int reached;
    private final CoproCheckpoint checkpoint;
    private StepProgress progress;

    /** The budget is spent: the search ends with the candidates scored so far. */
    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent(String message) {
            super(message, null, false, false);
        }
    }

    CoproRun(Copro config, Module program, List<Example> trainset, DspyContext context) {
        this.config = config;
        this.program = program;
        this.trainset = trainset;
        this.meter = config.budget.isLimited() ? new BudgetMeter(config.budget) : null;
        DspyContext proposing = config.promptModel == null ? context : context.withLm(config.promptModel);
        this.context = meter == null ? context : meter.meter(context, refused);
        this.promptContext = meter == null ? proposing : meter.meter(proposing, refused);
        this.evaluate = Evaluate.builder().devset(trainset).metric(config.metric)
                .concurrency(config.evaluationConcurrency).maxErrors(config.maxErrors).build();
        this.paths = List.copyOf(program.namedPredictors().keySet());
        for (String path : paths) {
            evaluated.put(path, new LinkedHashMap<>());
            bestStats.put(path, new CoproStatistics());
            latestStats.put(path, new CoproStatistics());
        }
        this.checkpoint = config.checkpointDir.map(dir -> CoproCheckpoint.open(dir,
                        CoproCheckpoint.fingerprint(config, trainset, program)))
                .orElseGet(CoproCheckpoint::none);
        if (checkpoint.finishedSteps() > 0) {
            LOG.info("Copro: resuming from {} with {} finished proposal calls and evaluations",
                    config.checkpointDir.orElseThrow(), checkpoint.finishedSteps());
        }
    }

    CoproResult execute() {
        int depth = 0;
        boolean budgetExhausted = false;
        long total = config.estimate(program, trainset, List.of()).evaluationRuns() / Math.max(1, trainset.size());
        progress = StepProgress.start("COPRO", (int) Math.min(Integer.MAX_VALUE, total), config.listeners);
        boolean completed = false;
        try {
            depth = search();
            completed = true;
        } catch (BudgetSpent e) {
            LOG.debug("COPRO stopped: {}", e.getMessage());
            depth = reached;
            budgetExhausted = true;
        } finally {
            progress.finish(completed);
        }
        return result(depth, budgetExhausted);
    }

    /** Proposes and scores until the last depth; returns the last depth reached. */
    private int search() {
        ProgramState current = program.state();
        Map<String, List<Proposal>> latest = new LinkedHashMap<>();
        for (String path : paths) {
            Signature signature = current.predictor(path).signature();
            List<Proposal> candidates = proposed(CoproPrompts.BASIC_GENERATE_INSTRUCTION, config.breadth - 1,
                    Map.of(CoproPrompts.BASIC_INSTRUCTION, signature.instructions()), path, 0);
            candidates.add(new Proposal(signature.instructions(), lastField(signature).prefix()));
            latest.put(path, candidates);
            all.put(path, new ArrayList<>(candidates));
        }
        int depth = 0;
        for (; depth < config.depth; depth++) {
            reached = depth;
            List<Double> latestScores = new ArrayList<>();
            for (String path : paths) {
                // with several predictors every candidate so far is scored again, beside the
                // others' current best
                List<Proposal> candidates = paths.size() > 1 ? all.get(path) : latest.get(path);
                for (int i = 0; i < candidates.size(); i++) {
                    String instruction = stripQuotes(candidates.get(i).instruction());
                    String prefix = stripQuotes(candidates.get(i).prefix());
                    current = withInstruction(current, path, instruction, prefix);
                    Evaluated evaluation = scored(current, depth, path, i, instruction, prefix);
                    double score = evaluation.score();
                    evaluations++;
                    progress.step("best: " + String.format(java.util.Locale.ROOT, "%.2f", Math.max(score,
                            evaluated.values().stream().flatMap(m -> m.values().stream())
                                    .mapToDouble(Scored::score).max().orElse(score))));
                    LOG.debug("Depth {}, predictor {}, candidate {}/{} scored {}", depth, path, i + 1,
                            candidates.size(), score);
                    Key key = new Key(instruction, prefix);
                    Scored before = evaluated.get(path).get(key);
                    if (before == null || before.score() < score) {
                        evaluated.get(path).put(key, new Scored(score, current, instruction, prefix, depth,
                                evaluation.usage()));
                    }
                    if (candidates.size() - config.breadth <= i) {
                        latestScores.add(score);
                    }
                }
                if (config.trackStats) {
                    // as in DSPy, the newest scores of earlier predictors at this depth count too
                    latestStats.get(path).add(depth, latestScores);
                }
                Scored best = best(evaluated.get(path).values());
                current = withInstruction(current, path, best.instruction(), best.prefix());
            }
            if (depth == config.depth - 1) {
                return depth;
            }
            for (String path : paths) {
                List<Scored> ranked = ranked(evaluated.get(path).values());
                if (config.trackStats) {
                    bestStats.get(path).add(depth, topScores(ranked));
                }
                List<Proposal> candidates = proposed(CoproPrompts.GENERATE_INSTRUCTION_GIVEN_ATTEMPTS,
                        config.breadth, Map.of(CoproPrompts.ATTEMPTED_INSTRUCTIONS, attempts(ranked, config.breadth)),
                        path, depth + 1);
                latest.put(path, candidates);
                all.get(path).addAll(candidates);
            }
        }
        return depth;
    }

    private CoproResult result(int depth, boolean budgetExhausted) {
        List<Scored> finalists = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (String path : paths) {
            List<Scored> ranked = ranked(evaluated.get(path).values());
            for (Scored s : evaluated.get(path).values()) {
                finalists.add(s);
                owners.add(path);
            }
            if (config.trackStats) {
                if (!ranked.isEmpty()) {
                    bestStats.get(path).add(depth, topScores(ranked));
                }
            }
        }
        List<CoproResult.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < finalists.size(); i++) {
            Scored s = finalists.get(i);
            candidates.add(new CoproResult.Candidate(owners.get(i), s.depth(), s.instruction(), s.prefix(),
                    s.score(), program.withState(s.state()), s.usage()));
        }
        candidates.sort(Comparator.comparingDouble(CoproResult.Candidate::score).reversed());
        candidates = dropRepeats(candidates);
        Map<String, CoproResult.Statistics> best = new LinkedHashMap<>();
        Map<String, CoproResult.Statistics> newest = new LinkedHashMap<>();
        if (config.trackStats) {
            bestStats.forEach((path, stats) -> best.put(path, stats.build()));
            latestStats.forEach((path, stats) -> newest.put(path, stats.build()));
        }
        if (candidates.isEmpty()) { // the budget ran out before any candidate was scored
            return new CoproResult(program, Double.NaN, candidates, evaluations, best, newest, true);
        }
        CoproResult.Candidate winner = candidates.get(0);
        return new CoproResult(winner.program(), winner.score(), candidates, evaluations, best, newest,
                budgetExhausted);
    }

    /** One prompt-model call, as an {@code OPTIMIZER_STEP} span. */
    private Prediction propose(Signature signature, int n, Map<String, Object> inputs, String path, int depth) {
        Predict proposer = new Predict(signature).withOptions(
                LmOptions.NONE.withN(n).withTemperature(config.initTemperature));
        ActiveSpan step = promptContext.startSpan(SpanKind.OPTIMIZER_STEP, "propose for " + path + " at depth " + depth,
                Map.of("dspy.optimizer", "COPRO", "dspy.predictor.path", path, "dspy.copro.depth", depth));
        try {
            if (meter != null && meter.exhausted()) {
                throw new BudgetSpent("the budget ran out before a proposal at depth " + depth);
            }
            Prediction proposed = proposer.call(inputs, promptContext.withSpan(step.span()));
            step.end(Map.of("dspy.copro.proposals", proposed.completions().size()));
            return proposed;
        } catch (RuntimeException | Error e) {
            step.fail(e);
            if (!(e instanceof BudgetSpent) && (refused.get() || BootstrapRun.isBudget(e))) {
                throw new BudgetSpent("the budget ran out during a proposal at depth " + depth);
            }
            throw e;
        }
    }

    /** The program's score on the trainset with {@code state}, the evaluation in an {@code OPTIMIZER_STEP} span. */
    private Evaluated score(ProgramState state, int depth, String path, int index) {
        ActiveSpan step = context.startSpan(SpanKind.OPTIMIZER_STEP,
                "candidate " + (index + 1) + " for " + path + " at depth " + depth,
                Map.of("dspy.optimizer", "COPRO", "dspy.predictor.path", path, "dspy.copro.depth", depth));
        try {
            if (meter != null && meter.exhausted()) {
                throw new BudgetSpent("the budget ran out before candidate " + (index + 1) + " at depth " + depth);
            }
            // the evaluation's own tracker (a pass-through interceptor) gives this candidate's usage
            EvaluationResult evaluation = evaluate.run(program.withState(state), context.withSpan(step.span()));
            double score = evaluation.score();
            if (refused.get()) { // some examples failed for want of budget: the score would be unfair
                throw new BudgetSpent("the budget ran out during candidate " + (index + 1) + " at depth " + depth);
            }
            step.end(Map.of("dspy.candidate.score", score));
            return new Evaluated(score, evaluation.usage());
        } catch (RuntimeException | Error e) {
            step.fail(e);
            if (!(e instanceof BudgetSpent) && (refused.get() || BootstrapRun.isBudget(e))) {
                throw new BudgetSpent("the budget ran out during candidate " + (index + 1) + " at depth " + depth);
            }
            throw e;
        }
    }

    /** One proposal call's candidates: read back from the checkpoint, or asked of the prompt model and saved. */
    private List<Proposal> proposed(Signature signature, int n, Map<String, Object> inputs, String path, int depth) {
        int index = paths.indexOf(path);
        Optional<List<CoproCheckpoint.Candidate>> recorded = checkpoint.proposals(depth, index, path);
        if (recorded.isPresent()) {
            return new ArrayList<>(recorded.get().stream().map(c -> new Proposal(c.instruction(), c.prefix()))
                    .toList());
        }
        List<Proposal> out = proposals(propose(signature, n, inputs, path, depth));
        checkpoint.saveProposals(depth, index, path, out.stream()
                .map(p -> new CoproCheckpoint.Candidate(p.instruction(), p.prefix())).toList());
        return out;
    }

    /** One candidate's score: read back from the checkpoint, or evaluated and saved. */
    private Evaluated scored(ProgramState state, int depth, String path, int index, String instruction,
                             String prefix) {
        int predictor = paths.indexOf(path);
        Optional<Double> recorded = checkpoint.score(depth, predictor, path, index, instruction, prefix);
        if (recorded.isPresent()) {
            return new Evaluated(recorded.get(), new UsageReport(List.of())); // usage is not checkpointed
        }
        Evaluated evaluated = score(state, depth, path, index);
        checkpoint.saveScore(depth, predictor, path, index, instruction, prefix, evaluated.score());
        return evaluated;
    }

    private static List<Proposal> proposals(Prediction prediction) {
        List<Proposal> out = new ArrayList<>();
        for (Map<String, Object> completion : prediction.completions()) {
            out.add(new Proposal(String.valueOf(completion.get(CoproPrompts.PROPOSED_INSTRUCTION)),
                    String.valueOf(completion.get(CoproPrompts.PROPOSED_PREFIX))));
        }
        return out;
    }

    /**
     * The top {@code breadth} attempts, lowest score first, numbered from 1, as three lines each.
     * Scores print as Python prints floats ({@code 50.0}, {@code 41.67}).
     */
    static List<String> attemptLines(List<String> instructions, List<String> prefixes, List<Double> scores) {
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < instructions.size(); k++) {
            lines.add("Instruction #" + (k + 1) + ": " + instructions.get(k));
            lines.add("Prefix #" + (k + 1) + ": " + prefixes.get(k));
            lines.add("Resulting Score #" + (k + 1) + ": " + scores.get(k));
        }
        return lines;
    }

    private static List<String> attempts(List<Scored> ranked, int breadth) {
        int shown = Math.min(ranked.size(), breadth);
        List<String> instructions = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int i = shown - 1; i >= 0; i--) {
            instructions.add(ranked.get(i).instruction());
            prefixes.add(ranked.get(i).prefix());
            scores.add(ranked.get(i).score());
        }
        return attemptLines(instructions, prefixes, scores);
    }

    /** Best first; equal scores keep the order in which their instruction was first scored. */
    private static List<Scored> ranked(Iterable<Scored> scored) {
        List<Scored> out = new ArrayList<>();
        scored.forEach(out::add);
        out.sort(Comparator.comparingDouble(Scored::score).reversed());
        return out;
    }

    /** The first of the highest scores, as Python's {@code max}. */
    private static Scored best(Iterable<Scored> scored) {
        Scored best = null;
        for (Scored s : scored) {
            if (best == null || s.score() > best.score()) {
                best = s;
            }
        }
        return best;
    }

    private static List<Double> topScores(List<Scored> ranked) {
        return ranked.stream().limit(TOP_SCORES).map(Scored::score).toList();
    }

    private static ProgramState withInstruction(ProgramState state, String path, String instruction, String prefix) {
        PredictorState predictor = state.predictor(path);
        Signature signature = predictor.signature().withInstructions(instruction);
        signature = signature.withField(lastField(signature).name(), f -> f.withPrefix(prefix));
        return state.with(path, predictor.withSignature(signature));
    }

    /** The field whose prefix COPRO tunes: the last one, DSPy's {@code *_, last_key = fields.keys()}. */
    static Field lastField(Signature signature) {
        List<Field> fields = signature.fields();
        return fields.get(fields.size() - 1);
    }

    /**
     * DSPy's {@code _drop_duplicates}: among consecutive candidates of equal score, a candidate
     * whose program has the same instructions and last fields as one kept before is dropped.
     */
    private static List<CoproResult.Candidate> dropRepeats(List<CoproResult.Candidate> sorted) {
        List<CoproResult.Candidate> kept = new ArrayList<>();
        List<CoproResult.Candidate> batch = new ArrayList<>();
        double batchScore = -1;
        for (CoproResult.Candidate c : sorted) {
            boolean repeat = false;
            if (c.score() == batchScore) {
                repeat = batch.stream().anyMatch(other -> samePrompts(c, other));
                if (!repeat) {
                    batch.add(c);
                }
            } else {
                batch = new ArrayList<>(List.of(c));
                batchScore = c.score();
            }
            if (!repeat) {
                kept.add(c);
            }
        }
        return kept;
    }

    private static boolean samePrompts(CoproResult.Candidate a, CoproResult.Candidate b) {
        List<PredictorState> left = List.copyOf(a.program().state().predictors().values());
        List<PredictorState> right = List.copyOf(b.program().state().predictors().values());
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            Signature x = left.get(i).signature();
            Signature y = right.get(i).signature();
            if (!x.instructions().equals(y.instructions()) || !lastField(x).equals(lastField(y))) {
                return false;
            }
        }
        return true;
    }

    /** Python's {@code text.strip('"').strip()}. */
    static String stripQuotes(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '"') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '"') {
            end--;
        }
        while (start < end && isPythonSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
