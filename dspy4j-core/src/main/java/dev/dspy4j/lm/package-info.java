/**
 * The language-model interface: {@link dev.dspy4j.lm.Lm} takes an
 * {@link dev.dspy4j.lm.LmRequest} (messages and {@link dev.dspy4j.lm.LmOptions}) and returns an
 * {@link dev.dspy4j.lm.LmResponse}. Retries, caches, rate limits and usage tracking sit in front
 * of any LM as a chain of {@link dev.dspy4j.lm.LmInterceptor}s.
 *
 * <p>The HTTP clients: {@link dev.dspy4j.provider.Lms#of(String)} picks one from a DSPy model name;
 * {@link dev.dspy4j.provider.OpenAiLm} speaks OpenAI-compatible Chat Completions (OpenAI, Azure, Ollama,
 * vLLM, llama.cpp, LM Studio, OpenRouter, Together, Groq, Gemini, ...),
 * {@link dev.dspy4j.provider.AnthropicLm} Anthropic's Messages API, and
 * {@link dev.dspy4j.provider.OpenAiEmbedder} the embeddings endpoint. They stream
 * ({@link dev.dspy4j.lm.Lm}), map every failure into {@link dev.dspy4j.lm.LmException},
 * and never put API keys in messages, logs or saved state.
 */
@NullMarked
package dev.dspy4j.lm;

import org.jspecify.annotations.NullMarked;
