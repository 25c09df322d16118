package dev.dspy4j.lm;

import java.util.Objects;

/**
 * One chat message sent to an LM.
 *
 * @param role who speaks
 * @param content the text
 */
public record Message(Role role, String content) {

    /** Who speaks a message. */
    public enum Role {
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
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /** A system message. */
    public static Message system(String content) {
        return new Message(Role.SYSTEM, content);
    }

    /** A user message. */
    public static Message user(String content) {
        return new Message(Role.USER, content);
    }

    /** An assistant message. */
    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content);
    }
}
