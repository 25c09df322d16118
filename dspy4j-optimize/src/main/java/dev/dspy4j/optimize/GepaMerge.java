package dev.dspy4j.optimize;

import dev.dspy4j.DspyException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * gepa's merge proposer: combines two non-dominated candidates that descend from a common
 * ancestor, taking from each the instructions it changed. Scheduled by the engine after each
 * accepted reflective child, at most {@code maxMergeInvocations} times. Not thread-safe; one per run.
 *
 * <p>Sets of candidate indices are iterated in ascending order, as CPython iterates its small int
 * sets; predictors in the program's order, where gepa iterates a set of names (whose order varies
 * between Python processes).
 */
final class GepaMerge {

    /** A merged candidate with its two parents, the valset ids to try it on and the parents' sums there. */
    record Proposal(Map<String, String> candidate, int id1, int id2, List<Integer> subsample,
                    double parentSum1, double parentSum2) {}

    private static final int MAX_ATTEMPTS = 10;
    private static final int SUBSAMPLE = 5;
    private static final int VAL_OVERLAP_FLOOR = 5;

    private final int maxInvocations;
    private final PythonRandom rng;
    private final Set<List<Integer>> merged = new HashSet<>();            // (i, j, ancestor)
    private final Set<List<Object>> descriptions = new HashSet<>();       // (i, j, sources)
    int due;
    int tested;
    boolean lastIterationFoundNewProgram;

    GepaMerge(int maxInvocations, PythonRandom rng) {
        this.maxInvocations = maxInvocations;
        this.rng = rng;
    }

    /** After an accepted reflective child: a merge becomes due, unless the merges are used up. */
    void onNewProgram() {
        lastIterationFoundNewProgram = true;
        if (tested < maxInvocations) {
            due++;
        }
    }

    /** After an accepted merge. */
    void onMergeAccepted() {
        due--;
        tested++;
    }

    /** The schedule and the merges tried so far: what a checkpoint must keep to continue. */
    Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("due", due);
        m.put("tested", tested);
        m.put("lastIterationFoundNewProgram", lastIterationFoundNewProgram);
        // sorted only so that equal states give equal files; the sets' order means nothing
        m.put("merged", merged.stream().sorted(Comparator.comparing(List::toString)).toList());
        m.put("descriptions", descriptions.stream().sorted(Comparator.comparing(List::toString)).toList());
        return m;
    }

    /** Restores a {@link #state()}. */
    void restore(Map<String, Object> state) {
        due = StepCheckpoint.integer(state.get("due"));
        tested = StepCheckpoint.integer(state.get("tested"));
        if (!(state.get("lastIterationFoundNewProgram") instanceof Boolean last)) {
            throw new IllegalArgumentException("lastIterationFoundNewProgram is not a boolean");
        }
        lastIterationFoundNewProgram = last;
        merged.clear();
        for (Object triple : (List<?>) state.get("merged")) {
            merged.add(StepCheckpoint.integers(triple));
        }
        descriptions.clear();
        for (Object d : (List<?>) state.get("descriptions")) {
            List<?> parts = (List<?>) d;
            descriptions.add(List.of(StepCheckpoint.integer(parts.get(0)), StepCheckpoint.integer(parts.get(1)),
                    StepCheckpoint.integers(parts.get(2))));
        }
    }

    /** A merge to try now, or {@code null} when none is due or none is found. */
    Proposal propose(List<Map<String, String>> candidates, List<List<Integer>> parents, List<Double> scores,
                     List<List<Double>> valScores, List<SortedSet<Integer>> fronts) {
        if (!(lastIterationFoundNewProgram && due > 0)) {
            return null;
        }
        List<Integer> dominators = new ArrayList<>(new TreeSet<Integer>(flatten(
                GepaFrontier.removeDominated(fronts, scores))));
        if (dominators.size() < 2 || parents.size() < 3) {
            return null;
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int[] pair = commonAncestorPair(parents, dominators, scores, candidates);
            if (pair == null) {
                continue;
            }
            int id1 = pair[0];
            int id2 = pair[1];
            int ancestor = pair[2];
            if (merged.contains(List.of(id1, id2, ancestor))) {
                continue;
            }
            Map<String, String> merge = new LinkedHashMap<>(candidates.get(ancestor));
            List<Integer> sources = new ArrayList<>();
            for (String name : candidates.get(ancestor).keySet()) {
                String fromAncestor = candidates.get(ancestor).get(name);
                String from1 = candidates.get(id1).get(name);
                String from2 = candidates.get(id2).get(name);
                int source;
                if ((fromAncestor.equals(from1) || fromAncestor.equals(from2)) && !from1.equals(from2)) {
                    source = fromAncestor.equals(from1) ? id2 : id1;     // the one that changed it
                } else if (!fromAncestor.equals(from1) && !fromAncestor.equals(from2)) {
                    double s1 = scores.get(id1);
                    double s2 = scores.get(id2);
                    source = s1 > s2 ? id1 : s2 > s1 ? id2 : (rng.randbelow(2) == 0 ? id1 : id2);
                } else {
                    source = id1;                                          // both the same
                }
                merge.put(name, candidates.get(source).get(name));
                sources.add(source);
            }
            List<Object> description = List.of(id1, id2, List.copyOf(sources));
            if (descriptions.contains(description)) {
                continue;
            }
            if (valScores.get(id1).size() < VAL_OVERLAP_FLOOR) {
                continue;                                                  // too little valset support
            }
            descriptions.add(description);
            merged.add(List.of(id1, id2, ancestor));
            List<Integer> subsample = subsample(valScores.get(id1), valScores.get(id2));
            double sum1 = 0;
            double sum2 = 0;
            for (int v : subsample) {
                sum1 += valScores.get(id1).get(v);
                sum2 += valScores.get(id2).get(v);
            }
            return new Proposal(merge, id1, id2, subsample, sum1, sum2);
        }
        return null;
    }

    private int[] commonAncestorPair(List<List<Integer>> parents, List<Integer> dominators, List<Double> scores,
                                     List<Map<String, String>> candidates) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<Integer> two = rng.sample(dominators, 2);
            int i = Math.min(two.get(0), two.get(1));
            int j = Math.max(two.get(0), two.get(1));
            Set<Integer> ancestorsI = ancestors(i, parents);
            Set<Integer> ancestorsJ = ancestors(j, parents);
            if (ancestorsI.contains(j) || ancestorsJ.contains(i)) {
                continue;
            }
            SortedSet<Integer> common = new TreeSet<>(ancestorsI);
            common.retainAll(ancestorsJ);
            List<Integer> eligible = new ArrayList<>();
            for (int a : common) {
                if (merged.contains(List.of(i, j, a)) || scores.get(a) > scores.get(i) || scores.get(a) > scores.get(j)
                        || !hasDesirablePredictors(candidates, a, i, j)) {
                    continue;
                }
                eligible.add(a);
            }
            if (!eligible.isEmpty()) {
                return new int[] {i, j, weightedChoice(eligible, scores)};
            }
        }
        return null;
    }

    /** {@code rng.choices(population, weights=scores, k=1)[0]}, as gepa draws a common ancestor. */
    private int weightedChoice(List<Integer> population, List<Double> scores) {
        List<Double> weights = new ArrayList<>(population.size());
        for (int candidate : population) {
            weights.add(scores.get(candidate));
        }
        try {
            return rng.weightedChoice(population, weights);
        } catch (IllegalArgumentException e) {
            throw new DspyException("Gepa's merge cannot choose a common ancestor of candidates " + population
                    + ": their mean valset scores do not sum to a positive number (gepa draws ancestors weighted "
                    + "by score, and fails the same way); leave useMerge off for this task.", e);
        }
    }

    private static boolean hasDesirablePredictors(List<Map<String, String>> candidates, int ancestor, int i, int j) {
        for (String name : candidates.get(ancestor).keySet()) {
            String a = candidates.get(ancestor).get(name);
            String x = candidates.get(i).get(name);
            String y = candidates.get(j).get(name);
            if ((a.equals(x) || a.equals(y)) && !x.equals(y)) {
                return true;
            }
        }
        return false;
    }

    private static Set<Integer> ancestors(int node, List<List<Integer>> parents) {
        Set<Integer> found = new HashSet<>();
        List<Integer> pending = new ArrayList<>(parents.get(node));
        while (!pending.isEmpty()) {
            int p = pending.remove(pending.size() - 1);
            if (found.add(p)) {
                pending.addAll(parents.get(p));
            }
        }
        return found;
    }

    /** Up to 5 valset ids: some where each parent wins, then ties, then any others, drawn as gepa draws them. */
    private List<Integer> subsample(List<Double> scores1, List<Double> scores2) {
        List<Integer> better1 = new ArrayList<>();
        List<Integer> better2 = new ArrayList<>();
        List<Integer> even = new ArrayList<>();
        for (int v = 0; v < scores1.size(); v++) {
            (scores1.get(v) > scores2.get(v) ? better1 : scores2.get(v) > scores1.get(v) ? better2 : even).add(v);
        }
        int each = Math.max(1, (SUBSAMPLE + 2) / 3);
        List<Integer> selected = new ArrayList<>();
        for (List<Integer> bucket : List.of(better1, better2, even)) {
            if (selected.size() >= SUBSAMPLE) {
                break;
            }
            List<Integer> available = bucket.stream().filter(v -> !selected.contains(v)).toList();
            int take = Math.min(available.size(), Math.min(each, SUBSAMPLE - selected.size()));
            if (take > 0) {
                selected.addAll(rng.sample(available, take));
            }
        }
        int remaining = SUBSAMPLE - selected.size();
        if (remaining > 0) {
            List<Integer> unused = new ArrayList<>();
            for (int v = 0; v < scores1.size(); v++) {
                if (!selected.contains(v)) {
                    unused.add(v);
                }
            }
            if (unused.size() >= remaining) {
                selected.addAll(rng.sample(unused, remaining));
            } else {
                for (int k = 0; k < remaining; k++) {                      // choices: with replacement
                    selected.add((int) Math.floor(rng.random() * scores1.size()));
                }
            }
        }
        return List.copyOf(selected.subList(0, Math.min(SUBSAMPLE, selected.size())));
    }

    private static List<Integer> flatten(List<SortedSet<Integer>> fronts) {
        List<Integer> all = new ArrayList<>();
        fronts.forEach(all::addAll);
        return all;
    }
}
