package dev.dspy4j.lm;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A response that is already complete, streamed as one chunk per choice. */
final class CompletedStream implements LmStream {

    private final LmResponse response;
    private int next;

    CompletedStream(LmResponse response) {
        this.response = Objects.requireNonNull(response, "response");
    }

    @Override
    public @Nullable StreamChunk next() {
        if (next >= response.choices().size()) {
            next = response.choices().size() + 1;
            return null;
        }
        Choice choice = response.choices().get(next);
        return new StreamChunk(next++, choice.text(), Objects.requireNonNullElse(choice.reasoningContent(), ""));
    }

    @Override
    public LmResponse response() {
        if (next <= response.choices().size()) {
            throw new IllegalStateException("The stream has not ended yet; read it until next() returns null");
        }
        return response;
    }

    @Override
    public void close() {
        next = Math.max(next, response.choices().size() + 1);
    }
}
