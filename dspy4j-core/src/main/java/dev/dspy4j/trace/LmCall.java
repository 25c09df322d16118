package dev.dspy4j.trace;

import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.Usage;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One finished LM call as {@link LmHistory} keeps it: DSPy's history entry. Immutable.
 *
 * <p>{@code options} holds the generation options under their wire names (DSPy's
 * {@code kwargs}). Requests never carry credentials, and as a second line of defence the
 * canonical constructor drops any option whose name is credential- or endpoint-like
 * ({@code api_*}, {@code base_url}, {@code headers}, {@code extra_headers},
 * {@code authorization}, {@code x-api-key}, {@code apikey}), as DSPy drops {@code api_*} keys.
 *
 * @param timestamp when the call finished, from the history's clock
 * @param model the model name: the LM's own when recorded in an LM's chain, the one the provider
 *     reported when recorded as a listener ({@code "unknown"} if none)
 * @param responseModel the model the provider reported, or {@code null}
 * @param messages the messages sent
 * @param options the options sent, by wire name, in the order sent
 * @param outputs the text of each choice, in order
 * @param usage the tokens the response reports (for a cache hit, the original call's)
 * @param cost US dollars paid for this call: zero for a cache hit, {@code null} if the model is
 *     not in the price table
 * @param cacheHit whether a cache answered
 * @param uuid a random id for this entry
 */
public record LmCall(OffsetDateTime timestamp, String model, @Nullable String responseModel, List<Message> messages,
                     Map<String, Object> options, List<String> outputs, Usage usage, @Nullable BigDecimal cost,
                     boolean cacheHit, UUID uuid) {

    private static final Set<String> HIDDEN_OPTIONS =
            Set.of("base_url", "headers", "extra_headers", "authorization", "x-api-key", "apikey");

    /**
     * Copies the collections and drops credential-like options.
     *
     * @throws NullPointerException if anything but {@code responseModel} or {@code cost} is
     *     {@code null}
     */
    public LmCall {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        Map<String, Object> kept = new LinkedHashMap<>();
        options.forEach((name, value) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.startsWith("api_") && !HIDDEN_OPTIONS.contains(lower)) {
                kept.put(name, value);
            }
        });
        options = Collections.unmodifiableMap(kept);
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(uuid, "uuid");
    }

    /** The cost, if the model is priced. */
    public Optional<BigDecimal> costIfKnown() {
        return Optional.ofNullable(cost);
    }

    /** The first choice's text ({@code ""} if there were none). */
    public String text() {
        return outputs.isEmpty() ? "" : outputs.get(0);
    }

    /** A one-line summary without message contents. */
    @Override
    public String toString() {
        return "LmCall[" + timestamp + " " + model + ", " + messages.size() + " messages, " + outputs.size()
                + " outputs, " + usage.promptTokens() + "+" + usage.completionTokens() + " tokens"
                + (cacheHit ? ", cache hit" : "") + ", " + uuid + "]";
    }
}
