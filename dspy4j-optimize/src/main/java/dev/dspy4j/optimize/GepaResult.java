package dev.dspy4j.optimize;

import dev.dspy4j.module.Module;
import dev.dspy4j.usage.UsageReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Gepa} run found: every accepted candidate with its valset scores, the Pareto
 * frontier, and the best program. DSPy's {@code detailed_results} ({@code DspyGEPAResult}).
 *
 * <p>A candidate maps each predictor path to its instruction; candidate 0 is the student's own
 * instructions. Immutable.
 *
 * @param bestProgram the student with the best candidate's instructions
 * @param candidates the accepted candidates, in the order they were found
 * @param parents each candidate's parents (empty for candidate 0, DSPy's {@code [None]})
 * @param valAggregateScores each candidate's mean valset score
 * @param valSubscores each candidate's score on each valset example, in valset order
 * @param perValInstanceBestCandidates per valset example, the candidates with the highest score on
 *     it (the Pareto frontier), ascending
 * @param discoveryEvalCounts the metric calls spent when each candidate was found
 * @param totalMetricCalls the metric calls spent by the whole run
 * @param numFullValEvals the full valset evaluations, the seed's included
 * @param bestIdx the candidate with the highest mean valset score (the first on ties)
 * @param maxMetricCalls the budget the run had, in metric calls
 * @param budgetExhausted whether the {@link Budget} (of LM calls, tokens or cost) ended the run
 *     early; the iteration it cut short is left out, and if it ran out before the seed was scored
 *     the only candidate is the seed, with a {@code NaN} score and no subscores
 * @param candidateUsage per candidate, tokens and cost of the step that found it: for the seed its
 *     valset evaluation; for a reflective child the whole iteration (both minibatch evaluations,
 *     the reflection calls and the valset evaluation); for a merge its subsample and valset
 *     evaluations. Iterations that added no candidate count for none. Empty reports for candidates
 *     read back from a checkpoint, which keeps no usage
 */
public record GepaResult(Module bestProgram, List<Map<String, String>> candidates, List<List<Integer>> parents,
                         List<Double> valAggregateScores, List<List<Double>> valSubscores,
                         List<Set<Integer>> perValInstanceBestCandidates, List<Integer> discoveryEvalCounts,
                         int totalMetricCalls, int numFullValEvals, int bestIdx, int maxMetricCalls,
                         boolean budgetExhausted, List<UsageReport> candidateUsage) {

    /**
     * @throws NullPointerException if a component is {@code null}
     * @throws IllegalArgumentException if {@code candidateUsage} does not have one report per candidate
     */
    public GepaResult {
        Objects.requireNonNull(bestProgram, "bestProgram");
        candidates = candidates.stream()
                .map(c -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(c))).toList();
        parents = parents.stream().map(List::copyOf).toList();
        valAggregateScores = List.copyOf(valAggregateScores);
        valSubscores = valSubscores.stream().map(List::copyOf).toList();
        perValInstanceBestCandidates = perValInstanceBestCandidates.stream()
                .map(s -> (Set<Integer>) java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(s)))
                .toList();
        discoveryEvalCounts = List.copyOf(discoveryEvalCounts);
        candidateUsage = List.copyOf(candidateUsage);
        if (candidateUsage.size() != candidates.size()) {
            throw new IllegalArgumentException("candidateUsage has " + candidateUsage.size() + " reports for "
                    + candidates.size() + " candidates");
        }
    }

    /** A result whose candidates' usage was not recorded (empty reports). */
    public GepaResult(Module bestProgram, List<Map<String, String>> candidates, List<List<Integer>> parents,
                      List<Double> valAggregateScores, List<List<Double>> valSubscores,
                      List<Set<Integer>> perValInstanceBestCandidates, List<Integer> discoveryEvalCounts,
                      int totalMetricCalls, int numFullValEvals, int bestIdx, int maxMetricCalls,
                      boolean budgetExhausted) {
        this(bestProgram, candidates, parents, valAggregateScores, valSubscores, perValInstanceBestCandidates,
                discoveryEvalCounts, totalMetricCalls, numFullValEvals, bestIdx, maxMetricCalls, budgetExhausted,
                java.util.Collections.nCopies(candidates.size(), new UsageReport(List.of())));
    }

    /** A result of a run that the {@link Budget} did not cut short. */
    public GepaResult(Module bestProgram, List<Map<String, String>> candidates, List<List<Integer>> parents,
                      List<Double> valAggregateScores, List<List<Double>> valSubscores,
                      List<Set<Integer>> perValInstanceBestCandidates, List<Integer> discoveryEvalCounts,
                      int totalMetricCalls, int numFullValEvals, int bestIdx, int maxMetricCalls) {
        this(bestProgram, candidates, parents, valAggregateScores, valSubscores, perValInstanceBestCandidates,
                discoveryEvalCounts, totalMetricCalls, numFullValEvals, bestIdx, maxMetricCalls, false);
    }

    /** A report of this run: see {@link OptimizationReport#of(GepaResult)}. */
    public OptimizationReport report() {
        return OptimizationReport.of(this);
    }

    /** The best candidate's instructions, by predictor path. */
    public Map<String, String> bestCandidate() {
        return candidates.get(bestIdx);
    }

    /** Per valset example, the highest score any candidate reached on it. */
    public List<Double> highestScoreAchievedPerValTask() {
        List<Double> best = new ArrayList<>();
        for (int v = 0; v < perValInstanceBestCandidates.size(); v++) {
            int first = perValInstanceBestCandidates.get(v).iterator().next();
            best.add(valSubscores.get(first).get(v));
        }
        return best;
    }
}
