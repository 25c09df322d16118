package dev.dspy4j.lm;

import java.util.List;
import java.util.Objects;

/**
 * What is sent to an LM: the messages and the generation options. Immutable.
 *
 * @param messages the conversation, system message first
 * @param options generation options
 */
public record LmRequest(List<Message> messages, LmOptions options) {

    public LmRequest {
        messages = List.copyOf(messages);
        Objects.requireNonNull(options, "options");
    }

    /** A request with no options set. */
    public static LmRequest of(List<Message> messages) {
        return new LmRequest(messages, LmOptions.NONE);
    }

    /** This request with other options. */
    public LmRequest withOptions(LmOptions newOptions) {
        return new LmRequest(messages, newOptions);
    }
}
