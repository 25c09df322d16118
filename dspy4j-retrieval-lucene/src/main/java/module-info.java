/**
 * An embedded, on-disk retriever for dspy4j over Apache Lucene: BM25 lexical search, HNSW vector
 * search and their reciprocal-rank fusion, in one index ({@link dev.dspy4j.retrieval.lucene.LuceneIndex}).
 *
 * <p>Lucene's types appear in the API only where a user may choose them (the analyzer), so
 * {@code dev.dspy4j.core} and {@code org.apache.lucene.core} are read transitively.
 */
module dev.dspy4j.retrieval.lucene {
    requires transitive dev.dspy4j.core;
    requires transitive org.apache.lucene.core;
    requires org.apache.lucene.analysis.common;
    requires static org.jspecify;

    exports dev.dspy4j.retrieval.lucene;
}
