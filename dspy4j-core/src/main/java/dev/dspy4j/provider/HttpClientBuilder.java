package dev.dspy4j.provider;

import dev.dspy4j.provider.http.ClientSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The settings every HTTP client builder shares (model, key, base URL, timeout, headers,
 * environment), as fluent setters that return the concrete builder. Validation and resolution live
 * in {@link ClientSettings}; each subclass adds its own settings and {@code build()}.
 *
 * <p>Package-private on purpose: javadoc shows these methods on each public {@code Builder} as if
 * declared there, with the builder's own type as the return type. A subclass must be declared as
 * {@code Builder extends HttpClientBuilder<Builder>}, which makes {@link #self()} safe.
 *
 * @param <B> the concrete builder
 */
abstract class HttpClientBuilder<B extends HttpClientBuilder<B>> {

    final ClientSettings settings = new ClientSettings();

    HttpClientBuilder() {
    }

    /** This builder as its concrete type. */
    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /**
     * The DSPy model name, {@code <provider>/<model>}, e.g. {@code openai/gpt-4o-mini},
     * {@code ollama_chat/llama3.2} or {@code anthropic/claude-sonnet-4-5}; the prefixes this client
     * accepts are listed in its class documentation. Required.
     *
     * @throws IllegalArgumentException if blank
     */
    public B model(String model) {
        settings.model(model);
        return self();
    }

    /**
     * The API key; by default it is read from the provider's environment variable (e.g.
     * {@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}).
     *
     * @throws IllegalArgumentException if blank
     */
    public B apiKey(String apiKey) {
        settings.apiKey(apiKey);
        return self();
    }

    /**
     * The API root the endpoint paths are appended to: for OpenAI-compatible providers including
     * {@code /v1}, e.g. {@code http://localhost:8000/v1}; for Anthropic without it, e.g.
     * {@code https://api.anthropic.com}. By default from the provider's environment variable (e.g.
     * {@code OPENAI_BASE_URL}, {@code ANTHROPIC_BASE_URL}) or the provider's public endpoint.
     *
     * @throws IllegalArgumentException if not an absolute http(s) URL
     */
    public B baseUrl(URI baseUrl) {
        settings.baseUrl(baseUrl);
        return self();
    }

    /**
     * {@link #baseUrl(URI)} from a string.
     *
     * @throws IllegalArgumentException if not an absolute http(s) URL
     */
    public B baseUrl(String baseUrl) {
        return baseUrl(URI.create(Objects.requireNonNull(baseUrl, "baseUrl")));
    }

    /**
     * The whole-call deadline: from sending the request to the complete reply, or for a stream to
     * its last event. When it passes, the call fails with a retryable {@code LmException.Timeout}
     * and the connection is closed. Default 10 minutes.
     *
     * @throws IllegalArgumentException if not positive
     */
    public B timeout(Duration timeout) {
        settings.timeout(timeout);
        return self();
    }

    /**
     * The longest a stream may go without an event (SSE comments do not count): when it passes,
     * {@code LmStream.next()} fails with a retryable {@code LmException.Timeout} and the connection
     * is closed. Non-streaming calls are bounded by {@link #timeout(Duration)} alone. Default 60
     * seconds.
     *
     * @throws IllegalArgumentException if not positive
     */
    public B idleTimeout(Duration idleTimeout) {
        settings.idleTimeout(idleTimeout);
        return self();
    }

    /**
     * The largest reply read, in bytes: a body, or all the bytes of a stream. A larger reply fails
     * the call with a non-retryable {@code LmException} and the connection is closed without
     * reading the rest. Error replies are read only up to their first 8 KiB whatever this is.
     * Default 32 MiB.
     *
     * @throws IllegalArgumentException if not positive
     */
    public B maxResponseBytes(long maxResponseBytes) {
        settings.maxResponseBytes(maxResponseBytes);
        return self();
    }

    /**
     * A header sent with every request, replacing a default one of the same name (e.g. a proxy's
     * {@code Authorization}, or Anthropic's {@code anthropic-beta} or another
     * {@code anthropic-version}).
     *
     * @throws IllegalArgumentException if the JDK does not allow setting it (e.g. {@code Host})
     */
    public B header(String name, String value) {
        settings.header(name, value);
        return self();
    }

    /** Where environment variables are read from; default {@link System#getenv()}. */
    public B environment(Map<String, String> environment) {
        settings.environment(environment);
        return self();
    }
}
