package dev.dspy4j.retrieval.lucene;

/** How a {@link LuceneIndex} ranks passages for a query. */
public enum SearchMode {
    /** BM25 over the analyzed text: exact words matter, no embedder needed. Scores are BM25 scores. */
    LEXICAL,
    /** Approximate nearest neighbours (HNSW) of the query's embedding. Scores are cosines. */
    VECTOR,
    /**
     * Both, fused by {@link ReciprocalRankFusion} (constant 60 by default). Scores are fused rank
     * scores. Usually the best of the three when queries mix names and paraphrase.
     */
    HYBRID
}
