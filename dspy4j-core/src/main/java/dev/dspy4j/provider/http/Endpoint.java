package dev.dspy4j.provider.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A resolved provider endpoint: where requests go, how they authenticate, and their timeouts.
 * Internal to the HTTP clients.
 *
 * <p>Immutable and thread-safe. Holds the API key but never shows it: {@link #toString()} names
 * only the provider and model, and {@link #redact(String)} removes the key from any text that
 * might echo it (provider error messages).
 */
public final class Endpoint {

    static final String ANTHROPIC_VERSION = "2023-06-01";
    private static final String USER_AGENT = "dspy4j";

    private final Provider provider;
    private final String model;
    private final String wireModel;
    private final String base;
    private final @Nullable String apiKey;
    private final @Nullable String azureVersion; // set for Azure only
    private final Limits limits;
    private final String[] headerPairs;
    private final boolean plainHttp;

    Endpoint(Provider provider, String model, String wireModel, URI base, @Nullable String apiKey,
             @Nullable String azureVersion, Limits limits, Map<String, String> userHeaders) {
        this.provider = provider;
        this.model = model;
        this.wireModel = wireModel;
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        this.base = b;
        this.apiKey = apiKey;
        this.azureVersion = azureVersion;
        this.limits = limits;
        this.plainHttp = "http".equalsIgnoreCase(base.getScheme());
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        if (apiKey != null) {
            switch (provider.auth()) {
                case BEARER -> headers.put("Authorization", "Bearer " + apiKey);
                case AZURE -> headers.put("api-key", apiKey);
                case ANTHROPIC -> headers.put("x-api-key", apiKey);
            }
        }
        if (provider.auth() == Provider.Auth.ANTHROPIC) {
            headers.put("anthropic-version", ANTHROPIC_VERSION);
        }
        headers.putAll(userHeaders);
        List<String> pairs = new ArrayList<>();
        headers.forEach((k, v) -> {
            pairs.add(k);
            pairs.add(v);
        });
        this.headerPairs = pairs.toArray(String[]::new);
    }

    /** The provider name, e.g. {@code openai}, {@code ollama}, {@code anthropic}. */
    public String provider() {
        return provider.name();
    }

    /** The DSPy model name as configured, e.g. {@code openai/gpt-4o-mini}. */
    public String model() {
        return model;
    }

    /** The model name sent on the wire (after the provider prefix). */
    public String wireModel() {
        return wireModel;
    }

    /**
     * How long and how much a call may take.
     *
     * @param timeout the whole call, from sending the request to the complete reply or stream end
     * @param connectTimeout the connect phase
     * @param idleTimeout the longest wait for the next event of a stream
     * @param maxResponseBytes the largest body read (for a stream, all its bytes)
     */
    record Limits(Duration timeout, Duration connectTimeout, Duration idleTimeout, long maxResponseBytes) {
    }

    /** The whole-call timeout. */
    public Duration timeout() {
        return limits.timeout();
    }

    Duration connectTimeout() {
        return limits.connectTimeout();
    }

    Duration idleTimeout() {
        return limits.idleTimeout();
    }

    long maxResponseBytes() {
        return limits.maxResponseBytes();
    }

    /** Whether the base URL is plain {@code http} (no TLS). */
    boolean plainHttp() {
        return plainHttp;
    }

    /** The URI of an API path such as {@code /chat/completions} (Azure: under the deployment). */
    URI uri(String path) {
        if (azureVersion != null) {
            return URI.create(base + "/openai/deployments/" + wireModel + path + "?api-version=" + azureVersion);
        }
        return URI.create(base + path);
    }

    /** A POST request to {@code uri} with the endpoint's headers and timeout. */
    HttpRequest post(URI uri, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(limits.timeout())
                .headers(headerPairs)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (plainHttp) {
            builder.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with local servers
        }
        return builder.build();
    }

    /** {@code text} with every occurrence of the API key replaced; {@code null} stays {@code null}. */
    String redact(String text) {
        if (text == null || apiKey == null || apiKey.length() < 4) {
            return text;
        }
        return text.replace(apiKey, "[redacted]");
    }

    /** A URI for messages: scheme, host, port and path, never user info or query. */
    static String display(URI uri) {
        StringBuilder out = new StringBuilder();
        if (uri.getScheme() != null) {
            out.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            out.append(uri.getHost());
        }
        if (uri.getPort() >= 0) {
            out.append(':').append(uri.getPort());
        }
        if (uri.getPath() != null) {
            out.append(uri.getPath());
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return provider.name() + " endpoint for " + model;
    }
}
