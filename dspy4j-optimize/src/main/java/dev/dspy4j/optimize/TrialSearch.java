package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.StepProgress;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import dev.dspy4j.usage.UsageReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MIPROv2's search over instruction (and demo set) indices, as DSPy 3.3.1's
 * {@code _optimize_prompt_parameters}, with a {@link TrialSampler} in optuna's place. Used once.
 */
final class TrialSearch {

    private static final Logger LOG = LoggerFactory.getLogger(TrialSearch.class);

    private final MiproV2 config;
    private final Module program;
    private final DspyContext context;
    private final PythonRandom rng;
    private final List<Example> valset;
    private final boolean minibatch;
    private final int numTrials;
    private final Map<String, List<String>> instructions;
    /** The demo sets to choose among; {@code null} in zero-shot mode, where the search keeps the demos as given. */
    private final Map<String, List<List<Example>>> demoSets;
    private final List<String> paths;
    private final MiproCheckpoint checkpoint;

    /** Minibatch scores per configuration, in first-seen order (DSPy's {@code param_score_dict}). */
    private final Map<Map<String, Integer>, List<Double>> minibatchScores = new LinkedHashMap<>();
    private final Set<Map<String, Integer>> fullyEvaluated = new HashSet<>();
    private final List<MiproTrial> trials = new ArrayList<>();
    private int evaluationCalls;
    private double bestScore;
    private Module bestProgram;
    /** The run's budget, set by {@link MiproRun}; unlimited unless set. */
    RunBudget budget = new RunBudget(Budget.unlimited());
    private StepProgress progress;

    TrialSearch(MiproV2 config, Module program, DspyContext context, PythonRandom rng, List<Example> valset,
                boolean minibatch, int numTrials, Map<String, List<String>> instructions,
                Map<String, List<List<Example>>> demoSets, MiproCheckpoint checkpoint) {
        this.config = config;
        this.program = program;
        this.context = context;
        this.rng = rng;
        this.valset = valset;
        this.minibatch = minibatch;
        this.numTrials = numTrials;
        this.instructions = instructions;
        this.demoSets = demoSets;
        this.paths = List.copyOf(instructions.keySet());
        this.checkpoint = checkpoint;
    }

    /**
     * The search, reported to the listeners one trial at a time; if the budget runs out, the best
     * full evaluation so far (the program as given, unscored, if there is none).
     */
    MiproResult run(Map<String, List<List<Example>>> builtDemoSets) {
        int steps = config.minibatchFullEvalSteps;
        int total = minibatch ? numTrials + numTrials / steps + 2 + (numTrials % steps != 0 ? 1 : 0) : numTrials + 1;
        progress = StepProgress.start("MiproV2", total, config.listeners);
        boolean completed = false;
        try {
            MiproResult result = search(builtDemoSets);
            completed = true;
            return result;
        } catch (RunBudget.Spent e) {
            LOG.debug("MiproV2 stopped: {}", e.getMessage());
            return new MiproResult(bestProgram == null ? program : bestProgram,
                    bestProgram == null ? Double.NaN : bestScore, instructions, builtDemoSets, trials, true);
        } finally {
            progress.finish(completed);
        }
    }

    private MiproResult search(Map<String, List<List<Example>>> builtDemoSets) {
        Map<String, Integer> space = space();
        TrialSampler sampler = config.sampler.apply(config.seed);
        Map<String, Integer> defaults = new LinkedHashMap<>();
        space.keySet().forEach(name -> defaults.put(name, 0));

        Scored defaultScored = score(1, defaults, program, valset, true);
        double defaultScore = defaultScored.score();
        evaluationCalls = valset.size();
        record(new MiproTrial(1, defaults, instructionsOf(program), defaultScore, true, evaluationCalls,
                defaultScored.usage()), valset.size());
        bestScore = defaultScore;
        bestProgram = program;
        sampler.observe(defaults, defaultScore);

        int steps = config.minibatchFullEvalSteps;
        int extraAtEnd = numTrials % steps != 0 ? 1 : 0;
        int adjusted = minibatch ? numTrials + numTrials / steps + 1 + extraAtEnd : numTrials;
        int trialNumber = 2;
        for (int t = 0; t < numTrials; t++) {
            Map<String, Integer> ordered = checked(sampler.next(space), space, sampler);
            Module candidate = apply(ordered);
            int batchSize = minibatch ? config.minibatchSize : valset.size();
            List<Example> batch = batchSize >= valset.size() ? valset : MiproRun.sample(valset, batchSize, rng);
            boolean full = batchSize >= valset.size();
            Scored scored = score(trialNumber, ordered, candidate, batch, full);
            double score = scored.score();
            evaluationCalls += batchSize;
            if (!minibatch && score > bestScore) {
                bestScore = score;
                bestProgram = candidate;
            }
            record(new MiproTrial(trialNumber, ordered, instructionsOf(candidate), score, full, evaluationCalls,
                    scored.usage()), batch.size());
            LOG.debug("MiproV2 trial {}: {} scored {}", trialNumber, ordered, score);
            minibatchScores.computeIfAbsent(ordered, k -> new ArrayList<>()).add(score);
            sampler.observe(ordered, score);
            if (minibatch && (trialNumber % (steps + 1) == 0 || trialNumber == adjusted - 1)) {
                if (fullEvaluation(trialNumber + 1, sampler)) {
                    trialNumber++;
                }
            }
            trialNumber++;
        }
        return new MiproResult(bestProgram, bestScore, instructions,
                builtDemoSets, trials);
    }

    /** Fully evaluates the best-mean configuration not yet fully evaluated; {@code false} if there is none. */
    private boolean fullEvaluation(int number, TrialSampler sampler) {
        Map<String, Integer> best = null;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Map<String, Integer>, List<Double>> entry : minibatchScores.entrySet()) {
            if (fullyEvaluated.contains(entry.getKey())) {
                continue;
            }
            double mean = entry.getValue().stream().mapToDouble(Double::doubleValue).sum() / entry.getValue().size();
            if (best == null || mean > bestMean) {
                best = entry.getKey();
                bestMean = mean;
            }
        }
        if (best == null) {
            LOG.debug("MiproV2: every configuration is fully evaluated; skipping the full evaluation {}", number);
            return false;
        }
        Module candidate = apply(best);
        Scored scored = score(number, best, candidate, valset, true);
        double score = scored.score();
        evaluationCalls += valset.size();
        fullyEvaluated.add(best);
        record(new MiproTrial(number, best, instructionsOf(candidate), score, true, evaluationCalls, scored.usage()),
                valset.size());
        sampler.observe(best, score);
        if (score > bestScore) {
            bestScore = score;
            bestProgram = candidate;
        }
        return true;
    }

    /** One evaluation's score and usage (empty when read back from the checkpoint, which keeps no usage). */
    private record Scored(double score, UsageReport usage) {}

    /** The recorded score of evaluation {@code number} when resuming, otherwise a new evaluation. */
    private Scored score(int number, Map<String, Integer> params, Module candidate, List<Example> examples,
                         boolean full) {
        return checkpoint.recorded(number, params, examples.size(), full)
                .map(score -> new Scored(score, new UsageReport(List.of())))
                .orElseGet(() -> evaluate(number, candidate, examples, full));
    }

    /** Adds a finished evaluation to the result and to the checkpoint (a replayed one is on disk already). */
    private void record(MiproTrial trial, int programRuns) {
        trials.add(trial);
        checkpoint.saveTrial(trial, programRuns);
        progress.step("best: " + String.format(java.util.Locale.ROOT, "%.2f",
                bestProgram == null ? trial.score() : Math.max(bestScore, trial.score())));
    }

    /** Scores a trial's program as an {@code OPTIMIZER_STEP} span named {@code "trial <number>"}. */
    private Scored evaluate(int number, Module candidate, List<Example> examples, boolean full) {
        ActiveSpan step = context.startSpan(SpanKind.OPTIMIZER_STEP, "trial " + number,
                Map.of("dspy.optimizer", "MiproV2", "dspy.trial", number, "dspy.trial.full_evaluation", full));
        try {
            budget.before("trial " + number);
            // the evaluation's own tracker (a pass-through interceptor) gives this trial's usage
            EvaluationResult evaluation = MiproRun.evaluate(config, candidate, examples,
                    context.withSpan(step.span()));
            double score = evaluation.score();
            budget.after("trial " + number); // some examples failed for want of budget: the score would be unfair
            step.end(Map.of("dspy.trial.score", score));
            return new Scored(score, evaluation.usage());
        } catch (RuntimeException e) {
            step.fail(e);
            throw budget.failure(e, "trial " + number);
        } catch (Error e) {
            step.fail(e);
            throw e;
        }
    }

    /** The sampler's configuration in the space's order, or a clear error if it is not one of the space. */
    private static Map<String, Integer> checked(Map<String, Integer> picked, Map<String, Integer> space,
                                                TrialSampler sampler) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        space.forEach((name, count) -> {
            Integer index = picked == null ? null : picked.get(name);
            if (index == null || index < 0 || index >= count) {
                throw new IllegalStateException("The sampler " + sampler + " picked " + name + "=" + index
                        + ", outside 0.." + (count - 1) + "; a TrialSampler must pick an index for every parameter.");
            }
            ordered.put(name, index);
        });
        return ordered;
    }

    /** The parameters in DSPy's order: per predictor, its instruction, then its demo set. */
    private Map<String, Integer> space() {
        Map<String, Integer> space = new LinkedHashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            space.put(i + "_predictor_instruction", instructions.get(paths.get(i)).size());
            if (demoSets != null) {
                space.put(i + "_predictor_demos", demoSets.get(paths.get(i)).size());
            }
        }
        return space;
    }

    /** The program with each predictor's chosen instruction (and, unless zero-shot, demo set). */
    private Module apply(Map<String, Integer> params) {
        return program.mapState((path, state) -> {
            int i = paths.indexOf(path);
            if (i < 0) {
                return state;
            }
            var updated = state.withSignature(state.signature().withInstructions(
                    instructions.get(path).get(params.get(i + "_predictor_instruction"))));
            if (demoSets != null) {
                updated = updated.withDemos(demoSets.get(path).get(params.get(i + "_predictor_demos")));
            }
            return updated;
        });
    }

    private static Map<String, String> instructionsOf(Module module) {
        Map<String, String> out = new LinkedHashMap<>();
        module.state().predictors().forEach((path, state) -> out.put(path, state.signature().instructions()));
        return out;
    }
}
