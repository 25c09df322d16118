package dev.dspy4j.lm;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation with an LM. A closed set: {@link SystemMessage},
 * {@link UserMessage}, {@link AssistantMessage} (text, tool calls and native reasoning) and
 * {@link ToolMessage} (a tool's result for one call). Content is a list of {@link ContentPart}s;
 * most messages hold a single text part, which {@link #text()} returns.
 *
 * <p>Messages are provider-neutral values: the HTTP clients translate them into each provider's
 * wire shape. Immutable.
 */
public sealed interface Message {

    /** Who speaks a message. */
    enum Role {
        /** Instructions to the model. */
        SYSTEM,
        /** The caller. */
        USER,
        /** The model. */
        ASSISTANT,
        /** A tool's result. */
        TOOL;

        /** The lower-case wire name: {@code system}, {@code user}, ... */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who speaks this message. */
    Role role();

    /** The content parts, in order (possibly empty for an assistant message that only calls tools). */
    List<ContentPart> content();

    /** The text of every text part, concatenated (other parts are skipped). */
    default String text() {
        List<ContentPart> parts = content();
        if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text only) {
            return only.text();
        }
        StringBuilder out = new StringBuilder();
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Text t) {
                out.append(t.text());
            }
        }
        return out.toString();
    }

    /** Whether every part is text, so the content can be sent as a plain string. */
    default boolean isTextOnly() {
        for (ContentPart part : content()) {
            if (!(part instanceof ContentPart.Text)) {
                return false;
            }
        }
        return true;
    }

    /** A system message with text. */
    static SystemMessage system(String text) {
        return new SystemMessage(List.of(new ContentPart.Text(text)));
    }

    /** A user message with text. */
    static UserMessage user(String text) {
        return new UserMessage(List.of(new ContentPart.Text(text)));
    }

    /** A user message with parts (text, images, audio, files). */
    static UserMessage user(List<? extends ContentPart> parts) {
        return new UserMessage(List.copyOf(parts));
    }

    /** An assistant message with text. */
    static AssistantMessage assistant(String text) {
        return new AssistantMessage(List.of(new ContentPart.Text(text)), List.of(), null);
    }

    /** An assistant message that calls tools (with optional text; {@code ""} for none). */
    static AssistantMessage assistant(String text, List<ToolCall> toolCalls) {
        List<ContentPart> parts = text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text));
        return new AssistantMessage(parts, toolCalls, null);
    }

    /** A tool's result for a call, as text. */
    static ToolMessage toolResult(String callId, String text) {
        return new ToolMessage(callId, List.of(new ContentPart.Text(text)));
    }

    /** A tool's result for a call, as text, naming the tool (OpenAI's optional {@code name}). */
    static ToolMessage toolResult(String callId, String toolName, String text) {
        return new ToolMessage(callId, List.of(new ContentPart.Text(text)), toolName);
    }

    /**
     * Instructions to the model.
     *
     * @param content the parts (text, for every provider in practice)
     */
    record SystemMessage(List<ContentPart> content) implements Message {
        public SystemMessage {
            content = List.copyOf(content);
        }

        @Override
        public Role role() {
            return Role.SYSTEM;
        }
    }

    /**
     * The caller's turn.
     *
     * @param content text, images, audio and files in order
     */
    record UserMessage(List<ContentPart> content) implements Message {
        public UserMessage {
            content = List.copyOf(content);
        }

        @Override
        public Role role() {
            return Role.USER;
        }
    }

    /**
     * The model's turn: text, tool calls, and native reasoning when the provider returns it.
     *
     * @param content the text parts (empty when the model only called tools)
     * @param toolCalls the tools the model called, possibly none
     * @param reasoning the provider's native reasoning text, or {@code null}
     */
    record AssistantMessage(List<ContentPart> content, List<ToolCall> toolCalls, @Nullable String reasoning)
            implements Message {
        public AssistantMessage {
            content = List.copyOf(content);
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }

        @Override
        public Role role() {
            return Role.ASSISTANT;
        }
    }

    /**
     * A tool's result, answering one tool call of the previous assistant message.
     *
     * @param callId the id of the {@link ToolCall} answered
     * @param content the result (usually text)
     * @param name the tool's name, or {@code null}; sent as OpenAI's optional {@code name} (DSPy
     *     sends it when it replays a History's tool results), not sent to Anthropic
     */
    record ToolMessage(String callId, List<ContentPart> content, @Nullable String name) implements Message {
        public ToolMessage {
            Objects.requireNonNull(callId, "callId");
            content = List.copyOf(content);
        }

        /** A result that does not name its tool. */
        public ToolMessage(String callId, List<ContentPart> content) {
            this(callId, content, null);
        }

        @Override
        public Role role() {
            return Role.TOOL;
        }
    }
}
