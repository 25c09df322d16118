package dev.dspy4j.retrieval.lucene;

import dev.dspy4j.retrieve.Passage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): merges rankings by giving each
 * passage the sum, over the rankings it appears in, of {@code 1 / (constant + rank)}, rank counted
 * from 1. Scores and their scales are ignored, only ranks count, so a BM25 list and a cosine list
 * fuse without calibration. The usual constant, and the default, is {@value #DEFAULT_CONSTANT}: it
 * damps the lead of a first place, so a passage ranked well by both lists beats one ranked first
 * by one list only.
 *
 * <p>Passages are matched by id. A fused passage keeps the text and metadata of its first
 * appearance, with the fused score. Equal scores keep the order of first appearance, earlier
 * rankings first. Stateless.
 */
public final class ReciprocalRankFusion {

    /** The constant of the original paper, and the default. */
    public static final int DEFAULT_CONSTANT = 60;

    private ReciprocalRankFusion() {
    }

    /**
     * Fuses rankings.
     *
     * @param rankings the rankings, each best first, ids unique within each
     * @param k how many fused passages to keep, {@code >= 1}
     * @param constant the damping constant, {@code >= 0}
     * @return the {@code k} best fused passages, best first, scores set to the fused score
     * @throws IllegalArgumentException if {@code k < 1} or {@code constant < 0}
     */
    public static List<Passage> fuse(List<? extends List<Passage>> rankings, int k, int constant) {
        if (k < 1) {
            throw new IllegalArgumentException("ReciprocalRankFusion: k must be >= 1, not " + k);
        }
        if (constant < 0) {
            throw new IllegalArgumentException("ReciprocalRankFusion: constant must be >= 0, not " + constant);
        }
        Map<String, Passage> first = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (List<Passage> ranking : rankings) {
            for (int i = 0; i < ranking.size(); i++) {
                Passage passage = ranking.get(i);
                first.putIfAbsent(passage.id(), passage);
                scores.merge(passage.id(), 1.0 / (constant + i + 1), Double::sum);
            }
        }
        List<Passage> fused = new ArrayList<>(first.size());
        first.forEach((id, passage) -> fused.add(passage.withScore(scores.get(id))));
        fused.sort(Comparator.comparingDouble(Passage::score).reversed()); // stable: ties keep first appearance
        return List.copyOf(fused.subList(0, Math.min(k, fused.size())));
    }
}
