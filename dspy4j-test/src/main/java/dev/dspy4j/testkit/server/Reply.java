package dev.dspy4j.testkit.server;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link FakeLmServer} answers to one request, before it is put in the provider's wire
 * format: one or more choices (text, tool calls, finish reason) and the token usage to report.
 *
 * <p>When {@code usage} is {@code null} the server reports an estimate: one token per
 * whitespace-separated word of the request's messages and of the generated text. In the Anthropic
 * dialect, which has no {@code n}, only the first choice is sent.
 *
 * @param choices the completions, at least one
 * @param usage the usage to report, or {@code null} for the estimate
 */
public record Reply(List<Choice> choices, Usage usage) {

    public Reply {
        choices = List.copyOf(choices);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one choice");
        }
    }

    /** One text choice. */
    public static Reply text(String text) {
        return new Reply(List.of(Choice.of(text)), null);
    }

    /** Several text choices, in order. */
    public static Reply texts(String... texts) {
        return new Reply(Arrays.stream(texts).map(Choice::of).toList(), null);
    }

    /** A choice that only calls a tool ({@code finish_reason} {@code tool_calls}). */
    public static Reply toolCall(String id, String name, String argumentsJson) {
        return new Reply(List.of(new Choice("", List.of(ToolCall.parse(id, name, argumentsJson)), null, "tool_calls")),
                null);
    }

    /** This reply reporting exactly this usage. */
    public Reply withUsage(long promptTokens, long completionTokens) {
        return new Reply(choices, new Usage(promptTokens, completionTokens));
    }

    /** This reply with one more choice. */
    public Reply plus(Choice choice) {
        List<Choice> more = new ArrayList<>(choices);
        more.add(choice);
        return new Reply(more, usage);
    }

    /** The first choice's text. */
    public String firstText() {
        return choices.get(0).text();
    }
}
