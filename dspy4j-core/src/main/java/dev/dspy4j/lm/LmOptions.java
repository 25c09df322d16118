package dev.dspy4j.lm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Generation options sent with a request. Unset options are {@code null} and are not sent, so the
 * provider's defaults apply (as in DSPy 3.3, where temperature and max tokens default to None).
 *
 * <p>Provider-specific parameters with no typed option go in {@link #extra()}, the one escape
 * hatch, under their wire names (e.g. {@code reasoning_effort}). An extra set to
 * {@link ExplicitNone#VALUE} is Python's {@code None}: set, so nothing fills it in, but never sent. Tools, the tool choice and the
 * response format are typed parts of {@link LmRequest}, not options. Immutable; derive variants with
 * the {@code with*} methods and combine layers with {@link #overriddenBy(LmOptions)}.
 *
 * @param temperature sampling temperature
 * @param maxTokens maximum tokens to generate
 * @param n number of completions
 * @param stop stop sequences
 * @param seed sampling seed
 * @param rolloutId distinguishes otherwise identical requests in the cache key (DSPy's
 *     {@code rollout_id}); never sent to the provider
 * @param cache {@code false} to bypass caches for this request; {@code null} means the default
 *     (cached)
 * @param extra other provider parameters by wire name
 */
public record LmOptions(
        @Nullable Double temperature,
        @Nullable Integer maxTokens,
        @Nullable Integer n,
        @Nullable List<String> stop,
        @Nullable Long seed,
        @Nullable Integer rolloutId,
        @Nullable Boolean cache,
        Map<String, Object> extra) {

    /** No options set. */
    public static final LmOptions NONE = new LmOptions(null, null, null, null, null, null, null, Map.of());

    public LmOptions {
        if (temperature != null && (temperature < 0 || temperature.isNaN())) {
            throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        }
        if (n != null && n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        stop = stop == null ? null : List.copyOf(stop);
        extra = extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** These options with a temperature. */
    public LmOptions withTemperature(@Nullable Double value) {
        return new LmOptions(value, maxTokens, n, stop, seed, rolloutId, cache, extra);
    }

    /** These options with a token limit. */
    public LmOptions withMaxTokens(@Nullable Integer value) {
        return new LmOptions(temperature, value, n, stop, seed, rolloutId, cache, extra);
    }

    /** These options with a number of completions. */
    public LmOptions withN(@Nullable Integer value) {
        return new LmOptions(temperature, maxTokens, value, stop, seed, rolloutId, cache, extra);
    }

    /** These options with stop sequences. */
    public LmOptions withStop(@Nullable List<String> value) {
        return new LmOptions(temperature, maxTokens, n, value, seed, rolloutId, cache, extra);
    }

    /** These options with a seed. */
    public LmOptions withSeed(@Nullable Long value) {
        return new LmOptions(temperature, maxTokens, n, stop, value, rolloutId, cache, extra);
    }

    /** These options with a rollout id (part of the cache key, never sent). */
    public LmOptions withRolloutId(@Nullable Integer value) {
        return new LmOptions(temperature, maxTokens, n, stop, seed, value, cache, extra);
    }

    /** These options with caching on ({@code true}), off ({@code false}) or the default ({@code null}). */
    public LmOptions withCache(@Nullable Boolean value) {
        return new LmOptions(temperature, maxTokens, n, stop, seed, rolloutId, value, extra);
    }

    /** Whether caches may serve or store this request (true unless {@code cache} is {@code false}). */
    public boolean cacheEnabled() {
        return cache == null || cache;
    }

    /** These options with one extra provider parameter; a {@code null} value removes it. */
    public LmOptions withExtra(String wireName, @Nullable Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(extra);
        if (value == null) {
            copy.remove(wireName);
        } else {
            copy.put(Objects.requireNonNull(wireName, "wireName"), value);
        }
        return new LmOptions(temperature, maxTokens, n, stop, seed, rolloutId, cache, copy);
    }

    /**
     * These options with an extra parameter set to Python's {@code None} ({@link ExplicitNone#VALUE}):
     * it counts as set, so defaults do not fill it in, but the HTTP clients do not send it. E.g.
     * {@code withExtraNone("reasoning_effort")} is DSPy's {@code reasoning_effort=None}, which keeps a
     * {@code Reasoning} output in the prompt instead of turning on the model's native reasoning.
     */
    public LmOptions withExtraNone(String wireName) {
        return withExtra(wireName, ExplicitNone.VALUE);
    }

    /** Whether the extra parameter is set, to a value or to {@link ExplicitNone#VALUE}. */
    public boolean hasExtra(String wireName) {
        return extra.containsKey(wireName);
    }

    /** The value of an extra parameter set to Python's {@code None}: see {@link #withExtraNone}. */
    public enum ExplicitNone {
        /** The one value. */
        VALUE;

        /** {@code None}, as Python prints it. */
        @Override
        public String toString() {
            return "None";
        }
    }

    /** Options where every option set in {@code over} replaces the one here. */
    public LmOptions overriddenBy(LmOptions over) {
        if (over == null || over == NONE) {
            return this;
        }
        if (this == NONE) {
            return over;
        }
        Map<String, Object> mergedExtra = new LinkedHashMap<>(extra);
        mergedExtra.putAll(over.extra);
        return new LmOptions(
                over.temperature != null ? over.temperature : temperature,
                over.maxTokens != null ? over.maxTokens : maxTokens,
                over.n != null ? over.n : n,
                over.stop != null ? over.stop : stop,
                over.seed != null ? over.seed : seed,
                over.rolloutId != null ? over.rolloutId : rolloutId,
                over.cache != null ? over.cache : cache,
                mergedExtra);
    }

    /** The number of completions requested, 1 when unset. */
    public int nOrOne() {
        return n == null ? 1 : n;
    }

    /**
     * The options as DSPy's keyword arguments (wire names, set options only, in a stable order):
     * {@code temperature}, {@code max_tokens}, {@code n}, {@code stop}, {@code seed},
     * then the extras ({@link ExplicitNone#VALUE} as {@code null}). {@code rollout_id} and {@code cache} are not
     * included: they steer caching and are never sent to a provider.
     */
    public Map<String, Object> toWireMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (temperature != null) {
            out.put("temperature", temperature);
        }
        if (maxTokens != null) {
            out.put("max_tokens", maxTokens);
        }
        if (n != null) {
            out.put("n", n);
        }
        if (stop != null) {
            out.put("stop", stop);
        }
        if (seed != null) {
            out.put("seed", seed);
        }
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            out.put(e.getKey(), e.getValue() == ExplicitNone.VALUE ? null : e.getValue());
        }
        return out;
    }
}
