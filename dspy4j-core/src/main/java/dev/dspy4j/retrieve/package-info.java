/**
 * Retrieval: a {@link dev.dspy4j.retrieve.Retriever} turns a query into ranked
 * {@link dev.dspy4j.retrieve.Passage}s. The {@link dev.dspy4j.module.Retrieve} module (DSPy's
 * {@code dspy.Retrieve}) calls the retriever of its context ({@link
 * dev.dspy4j.context.DspyContext#withRetriever}) or its own, and reports each search to listeners
 * as a {@link dev.dspy4j.trace.SpanKind#RETRIEVAL} span.
 *
 * <p>Two retrievers live here: {@link dev.dspy4j.retrieve.InMemoryRetriever}, exact vector search
 * over an {@link dev.dspy4j.lm.Embedder} for small corpora (DSPy's {@code dspy.Embeddings}), and
 * {@link dev.dspy4j.retrieve.ColBertV2}, a client for DSPy's hosted ColBERTv2 wire format. The
 * {@code dspy4j-retrieval-lucene} module adds an on-disk index with BM25, HNSW vectors and hybrid
 * ranking. Failures are {@link dev.dspy4j.retrieve.RetrievalException}s.
 */
@NullMarked
package dev.dspy4j.retrieve;

import org.jspecify.annotations.NullMarked;
