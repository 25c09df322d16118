package dev.dspy4j.optimize;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.data.Example;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.signature.Field;
import dev.dspy4j.usage.UsageReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** Builds an {@link OptimizationReport} from each optimizer's result. */
final class ReportSources {

    private ReportSources() {}

    static OptimizationReport copro(CoproResult result, Adapter adapter) {
        OptimizationReport.Builder report = OptimizationReport.builder("COPRO")
                .setting("evaluations", result.evaluations())
                .setting("budget exhausted", result.budgetExhausted());
        // the result keeps candidates best first; by depth is the closest to the order they were scored
        List<CoproResult.Candidate> ordered = result.candidates().stream()
                .sorted(Comparator.comparingInt(CoproResult.Candidate::depth)).toList();
        int number = 1;
        for (CoproResult.Candidate candidate : ordered) {
            report.trial(new OptimizationReport.Trial(number++, candidate.score(), true,
                    instructions(candidate.program()), demos(candidate.program()), OptionalLong.empty(),
                    recorded(candidate.usage())));
        }
        return report.best(result.bestProgram(), result.bestScore(), adapter).build();
    }

    static OptimizationReport mipro(MiproResult result, Adapter adapter) {
        OptimizationReport.Builder report = OptimizationReport.builder("MIPROv2")
                .setting("trials", result.trials().size())
                .setting("full evaluations", result.fullEvaluations().size())
                .spendUnit("program runs");
        result.instructionCandidates().forEach((path, list) ->
                report.setting("instruction candidates (" + path + ")", list.size()));
        Map<String, PredictorState> states = result.bestProgram().state().predictors();
        List<String> paths = List.copyOf(states.keySet());
        for (MiproTrial trial : result.trials()) {
            Map<String, String> instructions = new LinkedHashMap<>();
            int demos = 0;
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                instructions.put(path, trial.instructions().getOrDefault(path, ""));
                Integer demoSet = trial.params().get(i + "_predictor_demos");
                List<List<Example>> sets = result.demoCandidates().get(path);
                demos += demoSet != null && sets != null && demoSet < sets.size()
                        ? sets.get(demoSet).size()
                        : states.get(path).demos().size();
            }
            report.trial(new OptimizationReport.Trial(trial.number(), trial.score(), trial.fullEvaluation(),
                    instructions, demos, OptionalLong.of(trial.evaluationCallsSoFar()), recorded(trial.usage())));
        }
        return report.best(result.bestProgram(), result.bestScore(), adapter).build();
    }

    static OptimizationReport gepa(GepaResult result, Adapter adapter) {
        OptimizationReport.Builder report = OptimizationReport.builder("GEPA")
                .setting("max metric calls", result.maxMetricCalls())
                .setting("metric calls", result.totalMetricCalls())
                .setting("full valset evaluations", result.numFullValEvals())
                .setting("candidates", result.candidates().size())
                .setting("best candidate", result.bestIdx())
                .spendUnit("metric calls");
        int demos = demos(result.bestProgram()); // GEPA changes instructions only
        for (int i = 0; i < result.candidates().size(); i++) {
            report.trial(new OptimizationReport.Trial(i + 1, 100 * result.valAggregateScores().get(i), true,
                    result.candidates().get(i), demos, OptionalLong.of(result.discoveryEvalCounts().get(i)),
                    recorded(result.candidateUsage().get(i))));
        }
        return report.best(result.bestProgram(), 100 * result.valAggregateScores().get(result.bestIdx()), adapter)
                .build();
    }

    static OptimizationReport randomSearch(OptimizationResult result, Adapter adapter) {
        OptimizationReport.Builder report = OptimizationReport.builder("BootstrapFewShotWithRandomSearch")
                .setting("candidates", result.candidates().size())
                .setting("budget exhausted", result.budgetExhausted())
                .setting("stopped at score", result.stoppedAtScore())
                .spendUnit("LM calls");
        List<Candidate> bySeed = result.candidates().stream().sorted(Comparator.comparingInt(Candidate::seed)).toList();
        long calls = 0;
        int number = 1;
        for (Candidate candidate : bySeed) {
            UsageReport usage = candidate.evaluation().usage();
            calls += usage.total().calls();
            report.trial(new OptimizationReport.Trial(number++, candidate.score(), true,
                    instructions(candidate.program()), demos(candidate.program()), OptionalLong.of(calls),
                    Optional.of(usage)));
        }
        return report.best(result.bestProgram(), result.bestScore(), adapter).build();
    }

    static OptimizationReport simba(SimbaResult result, Adapter adapter) {
        OptimizationReport.Builder report = OptimizationReport.builder("SIMBA")
                .setting("steps", result.steps().size())
                .setting("failed runs", result.failedRuns());
        int number = 1;
        // each step's best new candidate on its mini-batch (the result keeps scores, not programs) ...
        for (SimbaResult.Step step : result.steps()) {
            double best = step.candidateScores().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            report.trial(new OptimizationReport.Trial(number++, best * 100, false, Map.of(), 0,
                    OptionalLong.empty(), Optional.empty()));
        }
        // ... then the final candidates on the whole trainset, in scoring order (the result keeps them best first)
        List<SimbaResult.Candidate> candidates = result.candidates();
        for (int i = candidates.size() - 1; i >= 0; i--) {
            SimbaResult.Candidate candidate = candidates.get(i);
            report.trial(new OptimizationReport.Trial(number++, candidate.score() * 100, true,
                    instructions(candidate.program()), demos(candidate.program()), OptionalLong.empty(),
                    Optional.empty()));
        }
        return report.best(result.bestProgram(), result.bestScore() * 100, adapter).build();
    }

    static List<OptimizationReport.PredictorPrompt> prompts(Module program, Adapter adapter) {
        Objects.requireNonNull(adapter, "adapter");
        List<OptimizationReport.PredictorPrompt> prompts = new ArrayList<>();
        program.state().predictors().forEach((path, state) -> {
            Map<String, Object> placeholders = new LinkedHashMap<>();
            for (Field input : state.signature().inputs()) {
                placeholders.put(input.name(), "{" + input.name() + "}");
            }
            var messages = adapter.format(state.signature(), List.of(), placeholders);
            prompts.add(new OptimizationReport.PredictorPrompt(path, state.signature().instructions(),
                    state.demos().size(), messages.get(0).text(), messages.get(messages.size() - 1).text()));
        });
        return prompts;
    }

    /** The usage as a trial's, or none if it was not recorded (an empty report: read back from a checkpoint). */
    private static Optional<UsageReport> recorded(UsageReport usage) {
        return usage.models().isEmpty() ? Optional.empty() : Optional.of(usage);
    }

    private static Map<String, String> instructions(Module program) {
        Map<String, String> out = new LinkedHashMap<>();
        program.state().predictors().forEach((path, state) -> out.put(path, state.signature().instructions()));
        return out;
    }

    private static int demos(Module program) {
        return program.state().predictors().values().stream().mapToInt(state -> state.demos().size()).sum();
    }
}
