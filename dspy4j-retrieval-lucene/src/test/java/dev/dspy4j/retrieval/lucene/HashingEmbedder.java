package dev.dspy4j.retrieval.lucene;

import dev.dspy4j.lm.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic embedder for tests: a hashed bag of lower-cased words, so texts sharing words are
 * near (a text with no word gets a constant vector, as cosine needs a non-zero one). Counts its
 * calls, how many run at once, and the largest batch.
 */
final class HashingEmbedder implements Embedder {

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger largestBatch = new AtomicInteger();
    private final int dimension;

    HashingEmbedder(int dimension) {
        this.dimension = dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        calls.incrementAndGet();
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        largestBatch.accumulateAndGet(texts.size(), Math::max);
        try {
            return vectors(texts);
        } finally {
            running.decrementAndGet();
        }
    }

    private List<float[]> vectors(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            float[] vector = new float[dimension];
            for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
                if (!word.isEmpty()) {
                    vector[Math.floorMod(word.hashCode(), dimension)] += 1;
                }
            }
            vector[dimension - 1] += 0.01f;
            vectors.add(vector);
        }
        return vectors;
    }
}
