package dev.dspy4j.spark;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.Retry;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How each executor builds its LM client: the model as DSPy names it, the API base, where the key
 * comes from, request options, retries and the request timeout. Data only: it is serialized with
 * the job and turned into a client on the executor ({@link #client()}).
 *
 * <p><b>The API key.</b> Prefer {@link Builder#apiKeyFromEnv(String)}: only the variable's
 * <em>name</em> travels, and each executor reads the value from its own environment; on a cluster
 * set it with {@code spark.executorEnv.OPENAI_API_KEY}. The driver builds a client once to fail fast;
 * it reads the variable from its own environment, unless the variable is missing there and set
 * with {@code spark.executorEnv.<NAME>}, in which case executors alone are trusted with it. {@link Builder#apiKey(String)} holds an explicit key as a
 * secret that travels with the serialized job (Spark encrypts it only if
 * {@code spark.network.crypto.enabled}); it never appears in {@link #toString()}, Spark's plans,
 * logs or error messages. Without either, the provider's usual variable is read on the executor
 * ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, ...).
 *
 * <p>Immutable and thread-safe.
 */
public final class LmConfig implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String model;
    private final String apiBase;           // null: the provider's variable or default endpoint
    private final String apiKeyVariable;    // null: the provider's usual variable
    private final Secret apiKey;            // null: read from the environment
    private final Double temperature;
    private final Integer maxTokens;
    private final LinkedHashMap<String, Object> extras;
    private final int maxRetries;
    private final Duration requestTimeout;  // null: the client's default
    private final Duration retryInitialDelay;  // null: Retry's default

    private LmConfig(Builder builder) {
        this.model = builder.model;
        this.apiBase = builder.apiBase;
        this.apiKeyVariable = builder.apiKeyVariable;
        this.apiKey = builder.apiKey;
        this.temperature = builder.temperature;
        this.maxTokens = builder.maxTokens;
        this.extras = new LinkedHashMap<>(builder.extras);
        this.maxRetries = builder.maxRetries;
        this.requestTimeout = builder.requestTimeout;
        this.retryInitialDelay = builder.retryInitialDelay;
    }

    /**
     * A builder for the model, as DSPy names it ({@code openai/gpt-4o-mini},
     * {@code anthropic/claude-...}, {@code ollama_chat/...}).
     *
     * @throws IllegalArgumentException if {@code model} is blank
     */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** The model, as DSPy names it. */
    public String model() {
        return model;
    }

    /** The API base URL, or {@code null} for the provider's variable or default endpoint. */
    public String apiBase() {
        return apiBase;
    }

    /** The retries per LM call on rate limits, timeouts and server errors (default 3). */
    public int maxRetries() {
        return maxRetries;
    }

    /** The options every request starts from. */
    public LmOptions options() {
        LmOptions options = LmOptions.NONE.withTemperature(temperature).withMaxTokens(maxTokens);
        for (Map.Entry<String, Object> extra : extras.entrySet()) {
            options = options.withExtra(extra.getKey(), extra.getValue());
        }
        return options;
    }

    /**
     * The bare client (no retry, no cache: the executor runtime adds its own chain), configured
     * from {@link System#getenv()}.
     *
     * @throws LmException.Configuration if the provider is unknown or the key's variable is unset
     *     (the message names the variable, never a key)
     */
    public Lm client() {
        return client(System.getenv());
    }

    /**
     * The bare client, configured from {@code environment} instead of the process environment.
     *
     * @throws LmException.Configuration as {@link #client()}
     */
    public Lm client(Map<String, String> environment) {
        return LmClients.build(this, environment);
    }

    /**
     * The client behind this configuration's retry, without cache or limits: what a local run
     * uses to compare with a Spark run, configured from {@link System#getenv()}. Close it when done.
     *
     * @throws LmException.Configuration as {@link #client()}
     */
    public Lm lm() {
        Lm client = client();
        Retry retry = retry();
        return retry == null ? client : client.withInterceptors(retry);
    }

    /** This configuration's retry policy, or {@code null} for none. */
    Retry retry() {
        if (maxRetries == 0) {
            return null;
        }
        Retry.Builder retry = Retry.builder().maxRetries(maxRetries);
        if (retryInitialDelay != null) {
            retry.initialDelay(retryInitialDelay);
        }
        return retry.build();
    }

    // for LmClients: package-private accessors of what must not be public
    String apiKeyVariable() {
        return apiKeyVariable;
    }

    Secret apiKey() {
        return apiKey;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    Duration retryInitialDelay() {
        return retryInitialDelay;
    }

    /** A stable text of every setting (the key as a one-way hash), for the executor runtime's fingerprint. */
    String fingerprintText() {
        return "model=" + model + ";base=" + apiBase + ";keyVar=" + apiKeyVariable + ";key="
                + (apiKey == null ? "-" : apiKey.fingerprint()) + ";temperature=" + temperature + ";maxTokens="
                + maxTokens + ";extras=" + extras + ";retries=" + maxRetries + ";timeout=" + requestTimeout + ";retryDelay=" + retryInitialDelay;
    }

    /** The settings, with the key shown as where it comes from, never its value. */
    @Override
    public String toString() {
        String key = apiKey != null ? "<secret>" : apiKeyVariable != null ? "$" + apiKeyVariable : "<provider's variable>";
        return "LmConfig[model=" + model + (apiBase == null ? "" : ", apiBase=" + apiBase) + ", apiKey=" + key
                + (temperature == null ? "" : ", temperature=" + temperature)
                + (maxTokens == null ? "" : ", maxTokens=" + maxTokens)
                + (extras.isEmpty() ? "" : ", options=" + extras.keySet())
                + ", maxRetries=" + maxRetries
                + (requestTimeout == null ? "" : ", requestTimeout=" + requestTimeout) + "]";
    }

    /** Settings of {@link LmConfig}; each is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final String model;
        private String apiBase;
        private String apiKeyVariable;
        private Secret apiKey;
        private Double temperature;
        private Integer maxTokens;
        private final Map<String, Object> extras = new LinkedHashMap<>();
        private int maxRetries = 3;
        private Duration requestTimeout;
        private Duration retryInitialDelay;

        private Builder(String model) {
            Objects.requireNonNull(model, "model");
            if (model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank; name it as DSPy does, e.g. openai/gpt-4o-mini");
            }
            this.model = model.strip();
        }

        /**
         * The provider's endpoint, e.g. {@code http://vllm:8000/v1} (else the provider's variable,
         * such as {@code OPENAI_BASE_URL}, or its public endpoint).
         *
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder apiBase(String url) {
            Objects.requireNonNull(url, "url");
            try {
                URI uri = new URI(url);
                if (uri.getScheme() == null || uri.getHost() == null
                        || !List.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))) {
                    throw new URISyntaxException(url, "needs http(s) and a host");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("apiBase " + url + " is not a URL like http://localhost:8000/v1: "
                        + e.getReason(), e);
            }
            this.apiBase = url;
            return this;
        }

        /**
         * Reads the key from this environment variable on each executor (and on the driver for its
         * fail-fast check, unless only {@code spark.executorEnv.<NAME>} sets it); set it on a
         * cluster with {@code spark.executorEnv.<NAME>}. Replaces an explicit key.
         *
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder apiKeyFromEnv(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("apiKeyFromEnv needs a variable name, e.g. OPENAI_API_KEY");
            }
            this.apiKeyVariable = name.strip();
            this.apiKey = null;
            return this;
        }

        /**
         * An explicit key, held as a secret: it travels with the serialized job but never appears
         * in {@code toString}, plans, logs or errors. Replaces {@link #apiKeyFromEnv(String)}.
         *
         * @throws IllegalArgumentException if {@code key} is blank
         */
        public Builder apiKey(String key) {
            this.apiKey = Secret.of(key);
            this.apiKeyVariable = null;
            return this;
        }

        /** The sampling temperature (default: the provider's). @throws IllegalArgumentException if negative or NaN */
        public Builder temperature(double value) {
            if (!(value >= 0)) {
                throw new IllegalArgumentException("temperature must be 0 or more, got " + value);
            }
            this.temperature = value;
            return this;
        }

        /** The most tokens per completion (default: the provider's). @throws IllegalArgumentException if below 1 */
        public Builder maxTokens(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxTokens must be 1 or more, got " + value);
            }
            this.maxTokens = value;
            return this;
        }

        /**
         * Another request option sent verbatim, e.g. {@code option("top_p", 0.9)}; the value must be
         * serializable (strings, numbers, booleans, lists and maps of them).
         *
         * @throws IllegalArgumentException if the name is blank or the value not serializable
         */
        public Builder option(String wireName, Object value) {
            Objects.requireNonNull(wireName, "wireName");
            if (wireName.isBlank()) {
                throw new IllegalArgumentException("an option needs a name");
            }
            if (!(value instanceof Serializable)) {
                throw new IllegalArgumentException("option " + wireName + ": the value must be Serializable, got "
                        + (value == null ? "null" : value.getClass().getName()));
            }
            extras.put(wireName, value);
            return this;
        }

        /** Retries per LM call on rate limits, timeouts and server errors (default 3; 0 for none). */
        public Builder maxRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxRetries must be 0 or more, got " + value);
            }
            this.maxRetries = value;
            return this;
        }

        /** The timeout of one HTTP request (default: the client's). @throws IllegalArgumentException unless positive */
        public Builder requestTimeout(Duration value) {
            Objects.requireNonNull(value, "requestTimeout");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("requestTimeout must be positive, got " + value);
            }
            this.requestTimeout = value;
            return this;
        }

        /**
         * The first retry's backoff (default 1 second, doubling, with full jitter).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder retryInitialDelay(Duration value) {
            Objects.requireNonNull(value, "retryInitialDelay");
            if (value.isNegative()) {
                throw new IllegalArgumentException("retryInitialDelay must not be negative, got " + value);
            }
            this.retryInitialDelay = value;
            return this;
        }

        /** The configuration. */
        public LmConfig build() {
            return new LmConfig(this);
        }
    }

    /** Unmodifiable view for tests. */
    Map<String, Object> extras() {
        return Collections.unmodifiableMap(extras);
    }
}
