/**
 * Fake LM provider servers for offline tests of LM clients and whole programs.
 *
 * <p>{@link dev.dspy4j.testkit.server.FakeLmServer} is a real HTTP/1.1 server on
 * {@code 127.0.0.1} that speaks a provider's wire format ({@link dev.dspy4j.testkit.server.Dialect}:
 * OpenAI-compatible chat completions and embeddings, or Anthropic's Messages API, both with SSE
 * streaming), records every request ({@link dev.dspy4j.testkit.server.RecordedRequest}), answers
 * through a pluggable {@link dev.dspy4j.testkit.server.Responder}, and injects
 * {@link dev.dspy4j.testkit.server.Fault}s (429 with Retry-After, 5xx, connection resets, slow and
 * malformed answers, truncated streams, 401, 404, context length exceeded) on a scripted or seeded
 * random {@link dev.dspy4j.testkit.server.FaultPlan}. Point your own client or program at
 * {@link dev.dspy4j.testkit.server.FakeLmServer#baseUrl()} to see how it copes.
 */
package dev.dspy4j.testkit.server;
