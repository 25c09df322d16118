package dev.dspy4j.lm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * DSPy-style entry point to the HTTP clients: {@code Lms.of("openai/gpt-4o-mini")} is
 * {@code dspy.LM("openai/gpt-4o-mini")}. Models starting with {@code anthropic/} get an
 * {@link AnthropicLm}, all others an {@link OpenAiLm} (see its table of prefixes). Keys and base
 * URLs come from the provider's environment variables; use the builders for anything else.
 *
 * <pre>{@code
 * StreamingLm lm = Lms.of(System.getenv().getOrDefault("DSPY4J_MODEL", "openai/gpt-4o-mini"));
 * Module loaded = program.load(path, Lms::fromSavedState);
 * }</pre>
 */
public final class Lms {

    private static final Set<String> NOT_OPTIONS = Set.of("model", "model_type", "cache", "num_retries",
            "finetuning_model", "launch_kwargs", "train_kwargs", "callbacks", "provider", "use_developer_role");

    private Lms() {
    }

    /**
     * The client for a DSPy model name, configured from {@link System#getenv()}.
     *
     * @throws LmException.Configuration if the prefix is unknown or a needed key or base URL is
     *     missing (the message names the variable to set)
     */
    public static StreamingLm of(String model) {
        return of(model, System.getenv());
    }

    /**
     * The client for a DSPy model name, configured from {@code environment}.
     *
     * @throws LmException.Configuration as {@link #of(String)}
     */
    public static StreamingLm of(String model, Map<String, String> environment) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(environment, "environment");
        if (model.strip().startsWith("anthropic/")) {
            return AnthropicLm.builder().model(model).environment(environment).build();
        }
        return OpenAiLm.builder().model(model).environment(environment).build();
    }

    /**
     * The client for a saved {@code lm} entry ({@link LM#savedState()} or DSPy's
     * {@code LM.dump_state()}): the model plus its options ({@code temperature},
     * {@code max_tokens} or {@code max_completion_tokens}, {@code n}, {@code stop}, {@code seed},
     * {@code response_format}, {@code rollout_id}; other keys become extras), configured from
     * {@link System#getenv()}. Suits {@code Module.load(path, Lms::fromSavedState)}.
     *
     * @throws IllegalArgumentException if the entry has no model or an option of the wrong type
     * @throws LmException.Configuration as {@link #of(String)}
     */
    public static StreamingLm fromSavedState(Map<String, ?> state) {
        Object model = state.get("model");
        if (!(model instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("the saved lm entry has no model name: " + state.keySet());
        }
        LmOptions options = options(state);
        if (name.strip().startsWith("anthropic/")) {
            return AnthropicLm.builder().model(name).defaults(options).build();
        }
        return OpenAiLm.builder().model(name).defaults(options).build();
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
                    case "response_format" -> options.withResponseFormat(stringKeys((Map<?, ?>) value));
                    default -> options.withExtra(key, value);
                };
            } catch (ClassCastException e) {
                throw new IllegalArgumentException("the saved lm option " + key + " has the wrong type: "
                        + value.getClass().getSimpleName(), e);
            }
        }
        return options;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** What the HTTP clients save: model, {@code model_type: chat}, the default options by wire name. */
    static Map<String, Object> savedState(String model, LmOptions defaults) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("model", model);
        state.put("model_type", "chat");
        state.putAll(defaults.toWireMap());
        if (defaults.rolloutId() != null) {
            state.put("rollout_id", defaults.rolloutId());
        }
        return state;
    }
}
