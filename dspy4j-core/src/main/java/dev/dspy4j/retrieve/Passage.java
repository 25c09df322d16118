package dev.dspy4j.retrieve;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One search hit: a passage of a corpus with its id, its text, the retriever's score and whatever
 * else the retriever knows of it. Immutable.
 *
 * <p>Scores are comparable within one result list only: each retriever documents what its scores
 * mean (a cosine, a BM25 score, a fused rank score, a ColBERT score).
 *
 * @param id the passage's id in its corpus (unique there)
 * @param text the passage's text, which {@link dev.dspy4j.module.Retrieve} returns as DSPy's
 *     {@code passages}
 * @param score the retriever's score, higher is nearer; {@code 0} for a passage to be indexed
 * @param metadata other fields (a title, a URL, ColBERT's {@code prob}), in the retriever's order;
 *     copied, unmodifiable, never {@code null} values
 */
public record Passage(String id, String text, double score, Map<String, Object> metadata) {

    /**
     * @throws NullPointerException if an argument, a metadata key or a metadata value is {@code null}
     */
    public Passage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.isEmpty()) {
            metadata = Map.of();
        } else {
            Map<String, Object> copy = new LinkedHashMap<>();
            metadata.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "metadata key"),
                    Objects.requireNonNull(value, () -> "metadata value of " + key)));
            metadata = Collections.unmodifiableMap(copy);
        }
    }

    /** A passage to index: an id and a text, no score, no metadata. */
    public static Passage of(String id, String text) {
        return new Passage(id, text, 0, Map.of());
    }

    /** A passage to index, with metadata. */
    public static Passage of(String id, String text, Map<String, ?> metadata) {
        return new Passage(id, text, 0, Map.copyOf(metadata));
    }

    /** This passage with another score, e.g. a retriever's. */
    public Passage withScore(double newScore) {
        return new Passage(id, text, newScore, metadata);
    }
}
