package dev.dspy4j.lm;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an LM returned: one or more choices, token usage, and the model that answered.
 *
 * @param choices the completions, at least one
 * @param usage tokens used
 * @param model the model that answered, as the provider reports it (may be {@code null})
 * @param cacheHit whether the response was served from a cache
 */
public record LmResponse(List<Choice> choices, Usage usage, @Nullable String model, boolean cacheHit) {

    public LmResponse {
        choices = List.copyOf(choices);
        Objects.requireNonNull(usage, "usage");
    }

    /** A response with one text choice and no usage. */
    public static LmResponse of(String text) {
        return new LmResponse(List.of(Choice.of(text)), Usage.ZERO, null, false);
    }

    /** A response with several text choices and no usage. */
    public static LmResponse ofTexts(List<String> texts) {
        return new LmResponse(texts.stream().map(Choice::of).toList(), Usage.ZERO, null, false);
    }

    /** The first choice's text. */
    public String text() {
        return choices.isEmpty() ? "" : choices.get(0).text();
    }
}
