package dev.dspy4j.retrieve;

import dev.dspy4j.lm.Embedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exact vector search over a corpus held in memory: DSPy's {@code dspy.Embeddings} retriever for
 * small corpora. The corpus is embedded once, when the retriever is made; each search embeds the
 * query and scores it against every passage, so a search costs one embedding call plus
 * {@code passages × dimension} multiplications. For corpora past some tens of thousands of
 * passages, or ones that must outlive the JVM, use the Lucene index of
 * {@code dspy4j-retrieval-lucene}.
 *
 * <p><b>Scores.</b> With {@link Similarity#COSINE} (the default, as DSPy's {@code normalize=True})
 * vectors are scaled to unit length and the score is the cosine; with {@link Similarity#DOT_PRODUCT}
 * it is the raw dot product. Sums are taken in {@code double}. The {@code k} highest scores come
 * first; equal scores keep corpus order, so results are deterministic.
 *
 * <p>Immutable and thread-safe. It does not own the embedder: {@link #close()} leaves it open.
 */
public final class InMemoryRetriever implements Retriever {

    /** How query and passage vectors are compared. */
    public enum Similarity {
        /** The cosine of the angle: vectors are normalized first (a zero vector scores 0). */
        COSINE,
        /** The dot product of the vectors as the embedder returned them. */
        DOT_PRODUCT
    }

    /** The longest query accepted, in characters. */
    public static final int MAX_QUERY_CHARS = 100_000;

    private final Embedder embedder;
    private final List<Passage> passages;
    private final float[][] vectors;
    private final Similarity similarity;

    private InMemoryRetriever(Embedder embedder, List<Passage> passages, List<float[]> vectors, Similarity similarity) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.passages = List.copyOf(passages);
        this.similarity = Objects.requireNonNull(similarity, "similarity");
        if (vectors.size() != this.passages.size()) {
            throw new IllegalArgumentException("InMemoryRetriever: " + this.passages.size() + " passages but "
                    + vectors.size() + " vectors; give one vector per passage, in order.");
        }
        this.vectors = new float[vectors.size()][];
        for (int i = 0; i < vectors.size(); i++) {
            float[] vector = Objects.requireNonNull(vectors.get(i), "vector");
            if (i > 0 && vector.length != this.vectors[0].length) {
                throw new IllegalArgumentException("InMemoryRetriever: passage " + this.passages.get(i).id() + " has a "
                        + vector.length + "-dimensional vector, passage " + this.passages.get(0).id() + " a "
                        + this.vectors[0].length + "-dimensional one; embed them all with one model.");
            }
            this.vectors[i] = prepare(vector);
        }
    }

    /**
     * Embeds the passages' texts (one {@link Embedder#embed} call; the embedder batches) and
     * compares by cosine.
     *
     * @param embedder embeds passages now and queries later
     * @param passages the corpus, ids unique
     * @return the retriever
     * @throws dev.dspy4j.lm.LmException if embedding fails
     */
    public static InMemoryRetriever of(Embedder embedder, List<Passage> passages) {
        return of(embedder, passages, Similarity.COSINE);
    }

    /**
     * Embeds the passages' texts and compares with {@code similarity}.
     *
     * @param embedder embeds passages now and queries later
     * @param passages the corpus, ids unique
     * @param similarity cosine or dot product
     * @return the retriever
     * @throws dev.dspy4j.lm.LmException if embedding fails
     * @throws RetrievalException if the embedder returns the wrong number of vectors
     */
    public static InMemoryRetriever of(Embedder embedder, List<Passage> passages, Similarity similarity) {
        List<Passage> copy = List.copyOf(passages);
        List<float[]> vectors = copy.isEmpty() ? List.of() : embed(embedder, copy.stream().map(Passage::text).toList());
        return new InMemoryRetriever(embedder, copy, vectors, similarity);
    }

    /**
     * DSPy's {@code Embeddings(corpus, embedder)}: the passages are the texts, with their corpus
     * index as id ({@code "0"}, {@code "1"}, ...), compared by cosine.
     *
     * @param embedder embeds passages now and queries later
     * @param corpus the texts
     * @return the retriever
     */
    public static InMemoryRetriever ofTexts(Embedder embedder, List<String> corpus) {
        List<Passage> passages = new ArrayList<>(corpus.size());
        for (int i = 0; i < corpus.size(); i++) {
            passages.add(new Passage(Integer.toString(i), corpus.get(i), 0, Map.of()));
        }
        return of(embedder, passages);
    }

    /**
     * A retriever over vectors embedded already (by {@code embedder}, which embeds queries).
     *
     * @param embedder embeds queries
     * @param passages the corpus
     * @param vectors one vector per passage, in order, all of one dimension (copied)
     * @param similarity cosine or dot product
     * @return the retriever
     * @throws IllegalArgumentException if the counts or the dimensions differ
     */
    public static InMemoryRetriever ofVectors(Embedder embedder, List<Passage> passages, List<float[]> vectors,
                                              Similarity similarity) {
        return new InMemoryRetriever(embedder, passages, vectors, similarity);
    }

    /** How many passages the corpus holds. */
    public int size() {
        return passages.size();
    }

    /**
     * The {@code k} passages nearest to the query, nearest first, each with its score.
     *
     * @param query the query, at most {@link #MAX_QUERY_CHARS} characters
     * @param k how many passages at most, {@code >= 1}; more than the corpus holds returns it all
     * @throws IllegalArgumentException if {@code k < 1} or the query is too long
     * @throws dev.dspy4j.lm.LmException if embedding the query fails
     * @throws RetrievalException if the query's vector is of another dimension than the corpus's
     */
    @Override
    public List<Passage> search(String query, int k) {
        return searchAll(List.of(query), k).get(0);
    }

    /** Searches many queries with one embedding call for all of them. */
    @Override
    public List<List<Passage>> searchAll(List<String> queries, int k) {
        Checks.k(k, Integer.MAX_VALUE, "InMemoryRetriever");
        queries.forEach(q -> Checks.query(q, MAX_QUERY_CHARS, "InMemoryRetriever"));
        if (queries.isEmpty()) {
            return List.of();
        }
        if (passages.isEmpty()) {
            return queries.stream().map(q -> List.<Passage>of()).toList();
        }
        List<float[]> queryVectors = embed(embedder, queries);
        List<List<Passage>> results = new ArrayList<>(queries.size());
        for (float[] queryVector : queryVectors) {
            results.add(nearest(prepare(queryVector), k));
        }
        return List.copyOf(results);
    }

    private List<Passage> nearest(float[] query, int k) {
        if (query.length != vectors[0].length) {
            throw new RetrievalException("InMemoryRetriever: the query's vector has " + query.length
                    + " dimensions, the corpus's " + vectors[0].length + "; embed queries with the model that "
                    + "embedded the corpus.");
        }
        double[] scores = new double[vectors.length];
        Integer[] order = new Integer[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            scores[i] = dot(vectors[i], query);
            order[i] = i;
        }
        // stable: equal scores keep corpus order
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int n = Math.min(k, order.length);
        List<Passage> hits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hits.add(passages.get(order[i]).withScore(scores[order[i]]));
        }
        return List.copyOf(hits);
    }

    private float[] prepare(float[] vector) {
        if (similarity == Similarity.DOT_PRODUCT) {
            return vector.clone();
        }
        double norm = Math.sqrt(dot(vector, vector));
        float[] unit = new float[vector.length];
        if (norm > 0) {
            for (int i = 0; i < vector.length; i++) {
                unit[i] = (float) (vector[i] / norm);
            }
        }
        return unit;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static List<float[]> embed(Embedder embedder, List<String> texts) {
        List<float[]> vectors = embedder.embed(texts);
        if (vectors.size() != texts.size()) {
            throw new RetrievalException("InMemoryRetriever: the embedder " + embedder + " returned " + vectors.size()
                    + " vectors for " + texts.size() + " texts; an Embedder must return one vector per text.");
        }
        return vectors;
    }

    @Override
    public String toString() {
        return "InMemoryRetriever(" + passages.size() + " passages, " + similarity + ")";
    }
}
