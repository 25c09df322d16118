/**
 * The language-model interface: {@link dev.dspy4j.lm.LM} takes an
 * {@link dev.dspy4j.lm.LmRequest} (messages and {@link dev.dspy4j.lm.LmOptions}) and returns an
 * {@link dev.dspy4j.lm.LmResponse}. Retries, caches, rate limits and usage tracking sit in front
 * of any LM as a chain of {@link dev.dspy4j.lm.LmInterceptor}s.
 */
package dev.dspy4j.lm;
