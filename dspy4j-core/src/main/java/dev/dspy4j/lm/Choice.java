package dev.dspy4j.lm;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One completion in an LM response.
 *
 * @param text the generated text ({@code ""} when the model only called tools)
 * @param toolCalls native tool calls, possibly empty
 * @param reasoningContent the provider's native reasoning text, or {@code null}
 * @param finishReason why generation stopped ({@code stop}, {@code length}, ...), or {@code null}
 * @param citations the passages of the request's documents the reply cites (Anthropic's citations
 *     API), in reply order; empty when the provider returned none
 */
public record Choice(
        String text, List<ToolCall> toolCalls, @Nullable String reasoningContent, @Nullable String finishReason,
        List<Citation> citations) {

    public Choice {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        citations = citations == null ? List.of() : List.copyOf(citations);
    }

    /** A completion without citations. */
    public Choice(String text, List<ToolCall> toolCalls, @Nullable String reasoningContent,
                  @Nullable String finishReason) {
        this(text, toolCalls, reasoningContent, finishReason, List.of());
    }

    /** This completion as the assistant message that continues the conversation. */
    public Message.AssistantMessage message() {
        List<ContentPart> parts = text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text));
        return new Message.AssistantMessage(parts, toolCalls, reasoningContent);
    }

    /** A plain text completion. */
    public static Choice of(String text) {
        return new Choice(text, List.of(), null, "stop");
    }
}
