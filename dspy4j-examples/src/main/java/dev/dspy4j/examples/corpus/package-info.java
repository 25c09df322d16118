/**
 * A real-text corpus for retrieval examples and benchmarks: Debian package descriptions with
 * known-answer single-hop and two-hop questions ({@link dev.dspy4j.examples.corpus.DebianCorpus}).
 */
package dev.dspy4j.examples.corpus;
