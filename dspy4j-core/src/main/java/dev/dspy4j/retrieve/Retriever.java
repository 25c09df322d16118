package dev.dspy4j.retrieve;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the passages of a corpus nearest to a query: DSPy's retrieval model ({@code dspy.settings.rm}).
 * Give one to the {@link dev.dspy4j.module.Retrieve} module, directly or through
 * {@link dev.dspy4j.context.DspyContext#withRetriever}.
 *
 * <p>Implementations must be thread-safe: many program calls search at once. They validate
 * {@code k} ({@code >= 1}, and at most their own documented limit) and the query's length, and
 * report failures as {@link RetrievalException}s.
 */
public interface Retriever extends AutoCloseable {

    /**
     * The {@code k} passages nearest to {@code query}, nearest first. Fewer when the corpus holds
     * fewer matches.
     *
     * @param query the search query
     * @param k how many passages at most, {@code >= 1}
     * @return the hits, best first, each with its score
     * @throws IllegalArgumentException if {@code k} or the query is out of the retriever's bounds
     * @throws RetrievalException if the search fails
     */
    List<Passage> search(String query, int k);

    /**
     * Searches many queries; implementations may batch them (one embedding call for all, say). By
     * default searches them one after another.
     *
     * @param queries the queries
     * @param k how many passages at most per query
     * @return one result list per query, in order
     * @throws IllegalArgumentException if {@code k} or a query is out of bounds
     * @throws RetrievalException if a search fails
     */
    default List<List<Passage>> searchAll(List<String> queries, int k) {
        List<List<Passage>> results = new ArrayList<>(queries.size());
        for (String query : queries) {
            results.add(search(query, k));
        }
        return List.copyOf(results);
    }

    /** Releases what the retriever holds (an index, connections). Idempotent; does nothing by default. */
    @Override
    default void close() {
    }
}
