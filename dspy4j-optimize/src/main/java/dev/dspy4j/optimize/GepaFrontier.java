package dev.dspy4j.optimize;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * gepa's Pareto-frontier parent choice: drop the candidates dominated on the per-example fronts,
 * then draw from a list holding each remaining candidate once per front it is on.
 *
 * <p>Fronts are iterated in ascending candidate order. CPython iterates its small int sets in
 * hash-table order, which is ascending while candidate indices stay below the set's table size;
 * past that the sampling list's order (not its contents) can differ from gepa's.
 */
final class GepaFrontier {

    private GepaFrontier() {}

    /** Draws a parent: {@code rng.choice(sampling list)}. */
    static int select(List<SortedSet<Integer>> fronts, List<Double> aggregateScores, PythonRandom rng) {
        List<Integer> sampling = samplingList(fronts, aggregateScores);
        return sampling.get(rng.randbelow(sampling.size()));
    }

    /** Each non-dominated candidate, repeated once per front it is on, in first-seen order. */
    static List<Integer> samplingList(List<SortedSet<Integer>> fronts, List<Double> aggregateScores) {
        List<SortedSet<Integer>> kept = removeDominated(fronts, aggregateScores);
        Map<Integer, Integer> frequency = new LinkedHashMap<>();
        for (SortedSet<Integer> front : kept) {
            for (int p : front) {
                frequency.merge(p, 1, Integer::sum);
            }
        }
        List<Integer> list = new ArrayList<>();
        frequency.forEach((p, n) -> {
            for (int i = 0; i < n; i++) {
                list.add(p);
            }
        });
        if (list.isEmpty()) {
            throw new IllegalStateException("The Pareto frontier is empty; there is no candidate to choose.");
        }
        return list;
    }

    /**
     * The fronts without dominated candidates. A candidate is dominated when every front it is on
     * also holds another candidate not yet removed; candidates are tested from the lowest aggregate
     * score up, one removal per pass, as gepa does.
     */
    static List<SortedSet<Integer>> removeDominated(List<SortedSet<Integer>> fronts, List<Double> scores) {
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        for (SortedSet<Integer> front : fronts) {
            for (int p : front) {
                seen.merge(p, 1, Integer::sum);
            }
        }
        List<Integer> programs = new ArrayList<>(seen.keySet());
        programs.sort((a, b) -> Double.compare(scores.get(a), scores.get(b))); // stable, as Python's sorted
        Set<Integer> dominated = new HashSet<>();
        boolean removed = true;
        while (removed) {
            removed = false;
            for (int y : programs) {
                if (dominated.contains(y)) {
                    continue;
                }
                Set<Integer> others = new HashSet<>(programs);
                others.remove(y);
                others.removeAll(dominated);
                if (isDominated(y, others, fronts)) {
                    dominated.add(y);
                    removed = true;
                    break;
                }
            }
        }
        List<SortedSet<Integer>> kept = new ArrayList<>();
        for (SortedSet<Integer> front : fronts) {
            SortedSet<Integer> k = new TreeSet<>(front);
            k.removeAll(dominated);
            kept.add(k);
        }
        return kept;
    }

    private static boolean isDominated(int y, Set<Integer> others, List<SortedSet<Integer>> fronts) {
        for (SortedSet<Integer> front : fronts) {
            if (!front.contains(y)) {
                continue;
            }
            boolean dominator = false;
            for (int other : front) {
                if (others.contains(other)) {
                    dominator = true;
                    break;
                }
            }
            if (!dominator) {
                return false;
            }
        }
        return true;
    }
}
