package dev.dspy4j.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator health {@code dspy4j}: whether the LM provider answers. It sends one bounded
 * {@code GET {base-url}/models} (no tokens are spent) and reuses the result for
 * {@code dspy4j.health.cache-for}. UP when the provider answers with anything but 401/403 or a
 * 5xx; DOWN with the status or the connection error otherwise. Details hold the model, the
 * HTTP status or the error, never the key or the base URL.
 */
public final class DspyHealthIndicator implements HealthIndicator, AutoCloseable {

    private final String model;
    private final URI modelsUri;
    private final String apiKey;
    private final boolean anthropic;
    private final Duration timeout;
    private final long cacheForNanos;
    private final LongSupplier nanoTime;
    private final HttpClient client;
    private Health last;
    private long lastAt;

    /**
     * A health check of the LM configured in {@code settings}.
     *
     * @param lm the LM settings (model, base URL, key)
     * @param health the check's timeout and cache duration
     */
    public DspyHealthIndicator(DspyProperties.Lm lm, DspyProperties.Health health) {
        this(lm, health, System::nanoTime);
    }

    DspyHealthIndicator(DspyProperties.Lm lm, DspyProperties.Health health, LongSupplier nanoTime) {
        this.model = lm.getModel();
        this.anthropic = model.strip().startsWith("anthropic/");
        this.modelsUri = modelsUri(lm.getBaseUrl(), anthropic);
        this.apiKey = lm.getApiKey() != null ? lm.getApiKey()
                : System.getenv(anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
        this.timeout = health.getTimeout();
        this.cacheForNanos = health.getCacheFor().toNanos();
        this.nanoTime = nanoTime;
        this.client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static URI modelsUri(String baseUrl, boolean anthropic) {
        String base = baseUrl != null && !baseUrl.isBlank() ? baseUrl.strip()
                : anthropic ? "https://api.anthropic.com/v1" : "https://api.openai.com/v1";
        return URI.create(base.endsWith("/") ? base + "models" : base + "/models");
    }

    @Override
    public synchronized Health health() {
        long now = nanoTime.getAsLong();
        if (last == null || now - lastAt >= cacheForNanos) {
            last = check();
            lastAt = now;
        }
        return last;
    }

    private Health check() {
        HttpRequest.Builder request = HttpRequest.newBuilder(modelsUri).timeout(timeout).GET();
        if (apiKey != null && !apiKey.isBlank()) {
            if (anthropic) {
                request.header("x-api-key", apiKey).header("anthropic-version", "2023-06-01");
            } else {
                request.header("Authorization", "Bearer " + apiKey);
            }
        }
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            Health.Builder health = status == 401 || status == 403 || status >= 500 ? Health.down() : Health.up();
            return health.withDetail("model", model).withDetail("status", status).build();
        } catch (IOException e) {
            return Health.down().withDetail("model", model)
                    .withDetail("error", e.getClass().getSimpleName() + ": " + message(e)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("model", model).withDetail("error", "interrupted").build();
        }
    }

    private String message(Exception e) {
        String message = e.getMessage() == null ? "no message" : e.getMessage();
        return apiKey == null || apiKey.isBlank() ? message : message.replace(apiKey, "******");
    }

    /** Closes the check's HTTP client; Spring calls this when the context closes. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "DspyHealthIndicator[" + model + "]";
    }
}
