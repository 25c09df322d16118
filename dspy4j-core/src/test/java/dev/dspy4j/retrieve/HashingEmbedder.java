package dev.dspy4j.retrieve;

import dev.dspy4j.lm.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic embedder for tests: a hashed bag of lower-cased words, so texts sharing words are
 * near. Counts its calls.
 */
final class HashingEmbedder implements Embedder {

    final AtomicInteger calls = new AtomicInteger();
    private final int dimension;

    HashingEmbedder(int dimension) {
        this.dimension = dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        calls.incrementAndGet();
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            float[] vector = new float[dimension];
            for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
                if (!word.isEmpty()) {
                    vector[Math.floorMod(word.hashCode(), dimension)] += 1;
                }
            }
            vectors.add(vector);
        }
        return vectors;
    }
}
