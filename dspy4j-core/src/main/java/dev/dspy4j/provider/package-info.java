/**
 * The HTTP LM clients: {@link dev.dspy4j.provider.Lms#of(String)} picks one from a DSPy model name
 * ({@code "openai/gpt-4o-mini"}), {@link dev.dspy4j.provider.OpenAiLm} speaks OpenAI-compatible
 * Chat Completions, {@link dev.dspy4j.provider.AnthropicLm} Anthropic's Messages API and
 * {@link dev.dspy4j.provider.OpenAiEmbedder} the embeddings endpoint. Each is an
 * {@link dev.dspy4j.lm.Lm} (or {@link dev.dspy4j.lm.Embedder}) built once, immutable and safe to
 * share between threads; the wire format lives in the internal {@code provider.http} package.
 */
@NullMarked
package dev.dspy4j.provider;

import org.jspecify.annotations.NullMarked;
