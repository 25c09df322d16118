package dev.dspy4j.cache;

import dev.dspy4j.lm.Embedder;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Embedder} in front of another that keeps vectors in an {@link LmCache}: the same tiers
 * ({@link MemoryCache}, {@link DiskCache}, {@link TieredCache}, Redis) that cache LM responses.
 *
 * <pre>{@code
 * Embedder embedder = CachingEmbedder.of(OpenAiEmbedder.builder().model("openai/text-embedding-3-small").build(),
 *         "openai/text-embedding-3-small", TieredCache.defaults());
 * }</pre>
 *
 * <p><b>Per text.</b> Each text is looked up on its own, keyed by SHA-256 of the model id and the
 * text; a call sends only the misses to the wrapped embedder, in one call, in input order, each
 * distinct text once. So a batch whose texts are half cached computes the other half only. The
 * vectors come back bit for bit as computed (see the stored format in the package docs).
 *
 * <p><b>The model id</b> must change whenever the vectors would: a different model, dimension or
 * truncation length. Two embedders sharing a cache under one id would read each other's vectors.
 *
 * <p><b>Failures.</b> Cache failures are misses, as {@link LmCache} promises; an entry under an
 * embedding key that is not a vector is a miss too. Failures of the wrapped embedder propagate
 * unchanged, and nothing is cached for that call. A wrapped embedder that returns the wrong number
 * of vectors fails the call with {@link LmException.Configuration}.
 *
 * <p>Thread-safe if the wrapped embedder and the cache are. Two threads missing on the same text
 * at once both compute it; the later write wins with an equal vector. Returned arrays are fresh
 * copies: callers may modify them.
 */
public final class CachingEmbedder implements Embedder {

    private final Embedder delegate;
    private final String modelId;
    private final LmCache cache;

    private CachingEmbedder(Embedder delegate, String modelId, LmCache cache) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.cache = Objects.requireNonNull(cache, "cache");
        if (modelId.isBlank()) {
            throw new IllegalArgumentException("modelId must name the model (and settings) that produce the vectors");
        }
    }

    /**
     * Caches {@code delegate}'s vectors in {@code cache} under {@code modelId}.
     *
     * @param delegate the embedder that computes misses
     * @param modelId the model and any setting that changes its vectors, e.g.
     *     {@code openai/text-embedding-3-small}
     * @param cache where vectors are kept; shared with LM responses is fine, keys do not collide
     * @return the caching embedder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code modelId} is blank
     */
    public static CachingEmbedder of(Embedder delegate, String modelId, LmCache cache) {
        return new CachingEmbedder(delegate, modelId, cache);
    }

    /**
     * The cache key of a text under a model id: 64 lower-case hex characters, stable across JVMs.
     *
     * @throws NullPointerException if an argument is null
     */
    public static String cacheKey(String modelId, String text) {
        return EmbeddingEntries.key(Objects.requireNonNull(modelId, "modelId"), Objects.requireNonNull(text, "text"));
    }

    /**
     * Embeds texts, computing only those not cached.
     *
     * @return one vector per text, in input order
     * @throws NullPointerException if {@code texts} or one of them is null
     * @throws LmException if the wrapped embedder fails, or returns a wrong number of vectors
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        int n = texts.size();
        float[][] vectors = new float[n][];
        // distinct missing texts, first occurrence order, each with the positions that need it
        Map<String, List<Integer>> misses = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new NullPointerException("texts contains null at index " + i);
            }
            List<Integer> waiting = misses.get(text);
            if (waiting != null) {
                waiting.add(i);
                continue;
            }
            float[] hit = lookup(text);
            if (hit != null) {
                vectors[i] = hit;
            } else {
                List<Integer> positions = new ArrayList<>(1);
                positions.add(i);
                misses.put(text, positions);
            }
        }
        if (!misses.isEmpty()) {
            List<String> missing = List.copyOf(misses.keySet());
            List<float[]> computed = delegate.embed(missing);
            if (computed.size() != missing.size()) {
                throw new LmException.Configuration(delegate + " returned " + computed.size() + " vectors for "
                        + missing.size() + " texts; an Embedder must return one vector per text", null);
            }
            int m = 0;
            for (Map.Entry<String, List<Integer>> miss : misses.entrySet()) {
                float[] vector = computed.get(m++);
                if (vector == null) {
                    throw new LmException.Configuration(delegate + " returned a null vector; an Embedder must"
                            + " return one vector per text", null);
                }
                cache.put(cacheKey(modelId, miss.getKey()), EmbeddingEntries.encode(modelId, vector));
                List<Integer> positions = miss.getValue();
                for (int p = 0; p < positions.size(); p++) {
                    // the first position gets the computed array; repeats get copies, no two share one
                    vectors[positions.get(p)] = p == 0 ? vector : Arrays.copyOf(vector, vector.length);
                }
            }
        }
        List<float[]> out = new ArrayList<>(n);
        out.addAll(Arrays.asList(vectors));
        return out;
    }

    private float @Nullable [] lookup(String text) {
        Optional<LmResponse> stored = cache.get(cacheKey(modelId, text));
        return stored.isPresent() ? EmbeddingEntries.decode(stored.get()) : null;
    }

    /** The model id the vectors are keyed by. */
    public String modelId() {
        return modelId;
    }

    /** The wrapped embedder. */
    public Embedder delegate() {
        return delegate;
    }

    /**
     * Closes the wrapped embedder. The cache is not closed: it is usually shared with LMs, and its
     * owner closes it.
     */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "CachingEmbedder[" + modelId + ", " + delegate + ", " + cache + "]";
    }
}
