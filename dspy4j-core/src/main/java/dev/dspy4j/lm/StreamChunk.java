package dev.dspy4j.lm;

/**
 * A piece of a streamed completion, as it arrives.
 *
 * @param choice which completion the piece belongs to (0 unless {@code n > 1})
 * @param text newly generated text, possibly empty
 * @param reasoning newly generated native reasoning text, possibly empty
 */
public record StreamChunk(int choice, String text, String reasoning) {
    public StreamChunk {
        text = text == null ? "" : text;
        reasoning = reasoning == null ? "" : reasoning;
    }
}
