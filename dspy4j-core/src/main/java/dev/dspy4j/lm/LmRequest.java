package dev.dspy4j.lm;

import java.util.List;
import java.util.Objects;

/**
 * What is sent to an LM, provider-neutral: the messages, the tools offered with the tool choice,
 * the response format, and the generation options. Immutable; derive variants with the
 * {@code with*} methods. The HTTP clients translate it into each provider's wire format.
 *
 * @param messages the conversation, system message first
 * @param tools tools offered for native function calling, possibly none
 * @param toolChoice whether and which tool the model must call ({@link ToolChoice#AUTO} by default)
 * @param responseFormat the shape of the reply ({@link ResponseFormat#TEXT} by default)
 * @param options generation options
 */
public record LmRequest(List<Message> messages, List<ToolSpec> tools, ToolChoice toolChoice,
                        ResponseFormat responseFormat, LmOptions options) {

    public LmRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
        Objects.requireNonNull(responseFormat, "responseFormat");
        Objects.requireNonNull(options, "options");
    }

    /** A request of messages and options, with no tools and a text reply. */
    public LmRequest(List<Message> messages, LmOptions options) {
        this(messages, List.of(), ToolChoice.AUTO, ResponseFormat.TEXT, options);
    }

    /** A request with no options set. */
    public static LmRequest of(List<Message> messages) {
        return new LmRequest(messages, LmOptions.NONE);
    }

    /** This request with other messages. */
    public LmRequest withMessages(List<Message> newMessages) {
        return new LmRequest(newMessages, tools, toolChoice, responseFormat, options);
    }

    /** This request with other options. */
    public LmRequest withOptions(LmOptions newOptions) {
        return new LmRequest(messages, tools, toolChoice, responseFormat, newOptions);
    }

    /** This request offering other tools. */
    public LmRequest withTools(List<ToolSpec> newTools) {
        return new LmRequest(messages, newTools, toolChoice, responseFormat, options);
    }

    /** This request with another tool choice. */
    public LmRequest withToolChoice(ToolChoice newChoice) {
        return new LmRequest(messages, tools, newChoice, responseFormat, options);
    }

    /** This request with another response format. */
    public LmRequest withResponseFormat(ResponseFormat newFormat) {
        return new LmRequest(messages, tools, toolChoice, newFormat, options);
    }

    /** Whether any message holds a part other than text (an image, audio or a file). */
    public boolean hasMedia() {
        for (Message message : messages) {
            if (!message.isTextOnly()) {
                return true;
            }
        }
        return false;
    }
}
