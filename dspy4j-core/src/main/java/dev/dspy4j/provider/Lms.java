package dev.dspy4j.provider;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.LmCache;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * DSPy-style entry point to the HTTP clients: {@code Lms.of("openai/gpt-4o-mini")} is
 * {@code dspy.LM("openai/gpt-4o-mini")}. Models starting with {@code anthropic/} get an
 * {@link AnthropicLm}, all others an {@link OpenAiLm} (see its table of prefixes). Keys and base
 * URLs come from the provider's environment variables; use the client builders for anything else.
 *
 * <p><b>Defaults, as {@code dspy.LM}'s:</b> the client sits behind {@link Retry#defaults()} (3
 * retries with jittered backoff, honouring Retry-After) and an in-memory cache
 * ({@link MemoryCache}, {@value MemoryCache#DEFAULT_MAX_ENTRIES} entries), in that order: a call
 * is retried around the cache, so a retry may be answered by it. Turn either off, or add a disk
 * cache, with {@link #builder(String)}; {@link #client(String)} gives the bare client.
 *
 * <pre>{@code
 * Lm lm = Lms.of(System.getenv().getOrDefault("DSPY4J_MODEL", "openai/gpt-4o-mini"));
 * Lm noCache = Lms.builder("openai/gpt-4o-mini").cache(false).build();
 * Module loaded = program.load(path, Lms::fromSavedState);
 * }</pre>
 *
 * <p>Every LM call made in a program goes through, in order: the context's interceptors
 * ({@code DspyContext.withInterceptors}: usage, history, budgets), then the LM's own (here: retry,
 * cache), then the client.
 */
public final class Lms {

    private static final Set<String> NOT_OPTIONS = Set.of("model", "model_type", "cache", "num_retries",
            "finetuning_model", "launch_kwargs", "train_kwargs", "callbacks", "provider", "use_developer_role");

    private Lms() {
    }

    /**
     * The client for a DSPy model name, configured from {@link System#getenv()}, behind the
     * default retry and in-memory cache.
     *
     * @throws LmException.Configuration if the prefix is unknown or a needed key or base URL is
     *     missing (the message names the variable to set)
     */
    public static Lm of(String model) {
        return builder(model).build();
    }

    /**
     * The client for a DSPy model name, configured from {@code environment}, behind the default
     * retry and in-memory cache.
     *
     * @throws LmException.Configuration as {@link #of(String)}
     */
    public static Lm of(String model, Map<String, String> environment) {
        return builder(model).environment(environment).build();
    }

    /**
     * The bare client for a DSPy model name, configured from {@link System#getenv()}: no retry, no
     * cache.
     *
     * @throws LmException.Configuration as {@link #of(String)}
     */
    public static Lm client(String model) {
        return builder(model).retry(false).cache(false).build();
    }

    /**
     * The bare client for a DSPy model name, configured from {@code environment}.
     *
     * @throws LmException.Configuration as {@link #of(String)}
     */
    public static Lm client(String model, Map<String, String> environment) {
        return builder(model).environment(environment).retry(false).cache(false).build();
    }

    /** A builder for the client of a DSPy model name, starting from {@link #of(String)}'s defaults. */
    public static Builder builder(String model) {
        return new Builder(Objects.requireNonNull(model, "model"));
    }

    /** Settings of {@link Lms#builder(String)}; not thread-safe, the LM it builds is. */
    public static final class Builder {
        private final String model;
        private Map<String, String> environment = System.getenv();
        private LmOptions options = LmOptions.NONE;
        private @Nullable Retry retry = Retry.defaults();
        private @Nullable LmCache cache = null;
        private boolean cached = true;   // with cache == null: the default in-memory cache
        private @Nullable String apiKey;
        private @Nullable String baseUrl;
        private @Nullable Duration timeout;

        private Builder(String model) {
            this.model = model;
        }

        /** Where keys and base URLs are read from ({@link System#getenv()} by default). */
        public Builder environment(Map<String, String> value) {
            this.environment = Objects.requireNonNull(value, "environment");
            return this;
        }

        /** Options every request starts from. */
        public Builder options(LmOptions value) {
            this.options = Objects.requireNonNull(value, "options");
            return this;
        }

        /**
         * The API key, instead of the provider's environment variable. It never shows in
         * {@code toString}, logs or errors.
         *
         * @throws IllegalArgumentException (from {@link #build()}) if blank
         */
        public Builder apiKey(String value) {
            this.apiKey = Objects.requireNonNull(value, "apiKey");
            return this;
        }

        /**
         * The API root, instead of the provider's environment variable or public endpoint: for
         * OpenAI-compatible providers including {@code /v1}, for Anthropic without it.
         *
         * @throws IllegalArgumentException (from {@link #build()}) if not an absolute http(s) URL
         */
        public Builder baseUrl(String value) {
            this.baseUrl = Objects.requireNonNull(value, "baseUrl");
            return this;
        }

        /**
         * The whole-call deadline of each attempt (default 10 minutes, as the clients' own).
         *
         * @throws IllegalArgumentException (from {@link #build()}) if not positive
         */
        public Builder timeout(Duration value) {
            this.timeout = Objects.requireNonNull(value, "timeout");
            return this;
        }

        /** The retry policy ({@link Retry#defaults()} unless set). */
        public Builder retry(Retry value) {
            this.retry = Objects.requireNonNull(value, "retry (use retry(false) for none)");
            return this;
        }

        /** Retries with the default policy on ({@code true}, the default) or none at all ({@code false}). */
        public Builder retry(boolean enabled) {
            this.retry = enabled ? Retry.defaults() : null;
            return this;
        }

        /** The in-memory cache on ({@code true}, the default) or no cache at all ({@code false}). */
        public Builder cache(boolean enabled) {
            this.cached = enabled;
            this.cache = null;
            return this;
        }

        /** Another cache instead of the in-memory one, e.g. {@code TieredCache.defaults()} (memory, then disk). */
        public Builder cache(LmCache value) {
            this.cache = Objects.requireNonNull(value, "cache");
            this.cached = true;
            return this;
        }

        /**
         * The client behind the chosen retry and cache.
         *
         * @throws LmException.Configuration as {@link Lms#of(String)}
         */
        public Lm build() {
            Lm client = model.strip().startsWith("anthropic/") ? configure(AnthropicLm.builder()).build()
                    : configure(OpenAiLm.builder()).build();
            List<LmInterceptor> chain = new ArrayList<>(2);
            if (retry != null) {
                chain.add(retry);
            }
            if (cached) {
                chain.add(new CacheInterceptor(cache != null ? cache : new MemoryCache(MemoryCache.DEFAULT_MAX_ENTRIES)));
            }
            return client.withInterceptors(chain.toArray(LmInterceptor[]::new));
        }

        private <B extends HttpChatLm.LmBuilder<B>> B configure(B builder) {
            builder.model(model).environment(environment).options(options);
            if (apiKey != null) {
                builder.apiKey(apiKey);
            }
            if (baseUrl != null) {
                builder.baseUrl(baseUrl);
            }
            if (timeout != null) {
                builder.timeout(timeout);
            }
            return builder;
        }
    }

    /**
     * The client for a saved {@code lm} entry ({@link Lm#savedState()} or DSPy's
     * {@code LM.dump_state()}): the model plus its options ({@code temperature},
     * {@code max_tokens} or {@code max_completion_tokens}, {@code n}, {@code stop}, {@code seed},
     * {@code rollout_id}; other keys, {@code response_format} included, become extras sent verbatim), configured from
     * {@link System#getenv()}, behind the default retry and in-memory cache. Suits
     * {@code Module.load(path, Lms::fromSavedState)}.
     *
     * @throws IllegalArgumentException if the entry has no model or an option of the wrong type
     * @throws LmException.Configuration as {@link #of(String)}
     */
    public static Lm fromSavedState(Map<String, ?> state) {
        Object model = state.get("model");
        if (!(model instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("the saved lm entry has no model name: " + state.keySet());
        }
        return builder(name).options(options(state)).build();
    }

    private static LmOptions options(Map<String, ?> state) {
        LmOptions options = LmOptions.NONE;
        for (Map.Entry<String, ?> entry : state.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (value == null || NOT_OPTIONS.contains(key)) {
                continue;
            }
            try {
                options = switch (key) {
                    case "temperature" -> options.withTemperature(((Number) value).doubleValue());
                    case "max_tokens", "max_completion_tokens" -> options.withMaxTokens(((Number) value).intValue());
                    case "n" -> options.withN(((Number) value).intValue());
                    case "seed" -> options.withSeed(((Number) value).longValue());
                    case "rollout_id" -> options.withRolloutId(((Number) value).intValue());
                    case "stop" -> options.withStop(value instanceof List<?> list
                            ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(value)));
                    default -> options.withExtra(key, value);
                };
            } catch (ClassCastException e) {
                throw new IllegalArgumentException("the saved lm option " + key + " has the wrong type: "
                        + value.getClass().getSimpleName(), e);
            }
        }
        return options;
    }

    /** What the HTTP clients save: model, {@code model_type: chat}, the default options by wire name. */
    static Map<String, Object> savedState(String model, LmOptions options) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("model", model);
        state.put("model_type", "chat");
        state.putAll(options.toWireMap());
        if (options.rolloutId() != null) {
            state.put("rollout_id", options.rolloutId());
        }
        return state;
    }
}
