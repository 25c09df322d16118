package dev.dspy4j.provider.http;

import dev.dspy4j.lm.LmException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings an HTTP client builder collects, and their resolution (model prefix, environment,
 * defaults) into an {@link Endpoint}. Internal: use the builders of {@code OpenAiLm},
 * {@code AnthropicLm} and {@code OpenAiEmbedder}.
 *
 * <p>Not thread-safe (it is a builder's state). Each setter validates its argument and names the
 * setting in the error. {@link #toString()} never shows the key or headers.
 */
public final class ClientSettings {

    /** Whole-call timeout when none is set: 10 minutes, as litellm and the OpenAI SDK use. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** Longest wait for the next event of a stream when none is set: 60 seconds. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Largest reply body (and whole stream) read when none is set: 32 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L * 1024 * 1024;
    /** The longest the connect phase may take (also bounded by the request timeout). */
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Azure's {@code api-version} when {@code AZURE_API_VERSION} is not set. */
    static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";

    private @Nullable String model;
    private @Nullable String apiKey;
    private @Nullable URI baseUrl;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private @Nullable Map<String, String> environment;

    /** Creates empty settings. */
    public ClientSettings() {
    }

    /** Sets the DSPy model name, e.g. {@code openai/gpt-4o-mini}. */
    public void model(String value) {
        Objects.requireNonNull(value, "model");
        if (value.isBlank()) {
            throw new IllegalArgumentException("model must not be blank; use e.g. \"openai/gpt-4o-mini\"");
        }
        this.model = value.strip();
    }

    /** The model name set so far, or {@code null}. */
    public @Nullable String model() {
        return model;
    }

    /** Sets the API key explicitly (instead of the provider's environment variable). */
    public void apiKey(String value) {
        Objects.requireNonNull(value, "apiKey");
        if (value.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
        this.apiKey = value.strip();
    }

    /** Sets the base URL, e.g. {@code http://localhost:8000/v1}. */
    public void baseUrl(URI value) {
        Objects.requireNonNull(value, "baseUrl");
        String scheme = value.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || value.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL with a host, e.g. "
                    + "http://localhost:8000/v1; was " + Endpoint.display(value));
        }
        this.baseUrl = value;
    }

    /** Sets the whole-call timeout: from sending the request to the complete reply or the stream's end. */
    public void timeout(Duration value) {
        Objects.requireNonNull(value, "timeout");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + value);
        }
        this.timeout = value;
    }

    /** Sets the longest wait for the next event of a stream. */
    public void idleTimeout(Duration value) {
        Objects.requireNonNull(value, "idleTimeout");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + value);
        }
        this.idleTimeout = value;
    }

    /** Sets the largest reply body read, in bytes; for a stream, all its bytes together. */
    public void maxResponseBytes(long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("maxResponseBytes must be positive, was " + value);
        }
        this.maxResponseBytes = value;
    }

    /** Adds a header sent with every request; it replaces a default header of the same name. */
    public void header(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "header value");
        try {
            HttpRequest.newBuilder().header(name, value); // the JDK's own validation, e.g. of "Host"
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("header " + name + " cannot be set: " + e.getMessage(), e);
        }
        headers.put(name, value);
    }

    /** Sets where environment variables are read from (default {@link System#getenv()}). */
    public void environment(Map<String, String> value) {
        this.environment = Map.copyOf(Objects.requireNonNull(value, "environment"));
    }

    /**
     * Resolves an OpenAI-compatible endpoint from the model prefix ({@code openai/},
     * {@code ollama_chat/}, {@code azure/}, ...), the environment and the explicit settings.
     *
     * @throws IllegalStateException if no model is set
     * @throws LmException.Configuration if the prefix is unknown, or a key or base URL the provider
     *     needs is missing
     */
    public Endpoint resolveOpenAiCompatible() {
        String name = requireModel();
        int slash = name.indexOf('/');
        String prefix = slash < 0 ? "openai" : name.substring(0, slash);
        String wireModel = slash < 0 ? name : name.substring(slash + 1);
        if (prefix.equals("anthropic")) {
            throw new LmException.Configuration("Model " + name + " is an Anthropic model; build it with "
                    + "AnthropicLm.builder() or Lms.of(\"" + name + "\") instead of an OpenAI-compatible client",
                    "anthropic");
        }
        Provider provider = Provider.OPENAI_COMPATIBLE.get(prefix);
        if (provider == null) {
            throw new LmException.Configuration("Unknown provider prefix '" + prefix + "' in model " + name
                    + ". Use one of " + Provider.openAiPrefixes() + ", or anthropic/; for any other "
                    + "OpenAI-compatible server use openai/<model> with a base URL (OPENAI_BASE_URL)", prefix);
        }
        return resolve(provider, name, wireModel);
    }

    /**
     * Resolves Anthropic's endpoint ({@code anthropic/claude-...} or a bare {@code claude-...}).
     *
     * @throws IllegalStateException if no model is set
     * @throws LmException.Configuration if the model is not an Anthropic one or no key is set
     */
    public Endpoint resolveAnthropic() {
        String name = requireModel();
        int slash = name.indexOf('/');
        if (slash >= 0 && !name.startsWith("anthropic/")) {
            throw new LmException.Configuration("Model " + name + " is not an Anthropic model; use "
                    + "anthropic/<model>, or Lms.of(\"" + name + "\") to pick the client from the prefix", "anthropic");
        }
        return resolve(Provider.ANTHROPIC, name, slash < 0 ? name : name.substring(slash + 1));
    }

    private Endpoint resolve(Provider provider, String name, String wireModel) {
        if (wireModel.isBlank()) {
            throw new LmException.Configuration("Model " + name + " names no model after the provider prefix; use e.g. "
                    + provider.name() + "/<model>", provider.name());
        }
        Map<String, String> env = environment != null ? environment : System.getenv();
        URI base = baseUrl;
        if (base == null) {
            String fromEnv = firstSet(env, provider.baseVars());
            if (fromEnv != null) {
                try {
                    base = URI.create(fromEnv.strip());
                    baseUrl(base);
                    baseUrl = null; // validated only; the explicit setting stays unset
                } catch (IllegalArgumentException e) {
                    throw new LmException.Configuration(variableSet(env, provider.baseVars())
                            + " is not an http(s) URL; set it to e.g. http://localhost:8000/v1", provider.name());
                }
            }
        }
        boolean customBase = base != null;
        if (base == null) {
            if (provider.defaultBase() == null) {
                throw new LmException.Configuration("Model " + name + " needs a base URL: set "
                        + String.join(" or ", provider.baseVars()) + " (e.g. https://my-resource.openai.azure.com), "
                        + "or call baseUrl(...)", provider.name());
            }
            base = URI.create(provider.defaultBase());
        }
        if (provider == Provider.OLLAMA) {
            base = withV1(base); // DSPy users give Ollama's root (http://localhost:11434); its OpenAI API is under /v1
        }
        String key = apiKey != null ? apiKey : firstSet(env, provider.keyVars());
        boolean authHeaderGiven = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("authorization")
                || h.equalsIgnoreCase("api-key") || h.equalsIgnoreCase("x-api-key"));
        if (key == null && provider.keyRequired() && (!customBase || provider == Provider.AZURE) && !authHeaderGiven) {
            throw new LmException.Configuration("No API key for " + name + ": set the environment variable "
                    + String.join(" or ", provider.keyVars()) + ", or call apiKey(...)"
                    + (provider == Provider.OPENAI ? "; for a local OpenAI-compatible server set OPENAI_BASE_URL "
                    + "(no key needed)" : ""), provider.name());
        }
        String azureVersion = null;
        if (provider == Provider.AZURE) {
            azureVersion = firstSet(env, List.of("AZURE_API_VERSION", "OPENAI_API_VERSION"));
            azureVersion = azureVersion != null ? azureVersion.strip() : DEFAULT_AZURE_API_VERSION;
        }
        Duration connect = timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
        return new Endpoint(provider, name, wireModel, base, key, azureVersion,
                new Endpoint.Limits(timeout, connect, idleTimeout, maxResponseBytes), headers);
    }

    private static URI withV1(URI base) {
        String s = base.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.endsWith("/v1") ? URI.create(s) : URI.create(s + "/v1");
    }

    private String requireModel() {
        if (model == null) {
            throw new IllegalStateException("model is not set; call model(\"openai/gpt-4o-mini\") or similar");
        }
        return model;
    }

    private static @Nullable String firstSet(Map<String, String> env, List<String> names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String variableSet(Map<String, String> env, List<String> names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return name;
            }
        }
        return String.join("/", names);
    }

    @Override
    public String toString() {
        return "ClientSettings[model=" + model + ", timeout=" + timeout + ", idleTimeout=" + idleTimeout
                + ", maxResponseBytes=" + maxResponseBytes + "]";
    }
}
