/**
 * {@link dev.dspy4j.retrieval.lucene.LuceneIndex}: one on-disk Lucene index holding each passage's
 * text for BM25 and its embedding for HNSW vector search, searched lexically, by vector, or both
 * fused by {@link dev.dspy4j.retrieval.lucene.ReciprocalRankFusion} ({@link
 * dev.dspy4j.retrieval.lucene.SearchMode}). Built from a stream of passages, updated by id,
 * committed, reopened; a {@link dev.dspy4j.retrieve.Retriever} for the
 * {@link dev.dspy4j.module.Retrieve} module.
 */
@NullMarked
package dev.dspy4j.retrieval.lucene;

import org.jspecify.annotations.NullMarked;
