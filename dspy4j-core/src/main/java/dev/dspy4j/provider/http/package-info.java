/**
 * Internal: the HTTP implementation behind {@link dev.dspy4j.provider.OpenAiLm},
 * {@link dev.dspy4j.provider.AnthropicLm} and {@link dev.dspy4j.provider.OpenAiEmbedder}. Not an API
 * and not exported from the module; its public classes are public only so that those classes can
 * reach them, and may change in any release.
 *
 * <p>On {@code java.net.http} and Jackson only: one {@code HttpClient} per client instance,
 * request bodies written from Jackson trees, Server-Sent Events parsed by hand, every failure
 * mapped into the {@link dev.dspy4j.lm.LmException} hierarchy with the API key redacted.
 */
@NullMarked
package dev.dspy4j.provider.http;

import org.jspecify.annotations.NullMarked;
