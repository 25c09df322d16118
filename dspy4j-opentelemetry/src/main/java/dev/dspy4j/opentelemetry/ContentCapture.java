package dev.dspy4j.opentelemetry;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ToolCall;
import java.util.List;

/**
 * Prompt and completion text as the GenAI conventions' {@code gen_ai.input.messages} and
 * {@code gen_ai.output.messages} JSON, each text part cut to a limit. Reads message text and tool
 * call names and arguments only: an LM's configuration (its API key included) is never seen here.
 */
final class ContentCapture {

    static final String TRUNCATED = "...[truncated]";

    private final int limit;

    ContentCapture(int limit) {
        this.limit = limit;
    }

    String inputMessages(List<Message> messages) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Message message = messages.get(i);
            switch (message) {
                case Message.SystemMessage system -> textMessage(out, "system", system.text());
                case Message.UserMessage user -> textMessage(out, "user", user.text());
                case Message.AssistantMessage assistant -> assistantMessage(out, assistant.text(),
                        assistant.toolCalls(), null);
                case Message.ToolMessage tool -> {
                    out.append("{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":");
                    string(out, tool.callId());
                    out.append(",\"response\":");
                    string(out, cut(tool.text()));
                    out.append("}]}");
                }
            }
        }
        return out.append(']').toString();
    }

    String outputMessages(LmResponse response) {
        StringBuilder out = new StringBuilder("[");
        List<Choice> choices = response.choices();
        for (int i = 0; i < choices.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Choice choice = choices.get(i);
            assistantMessage(out, choice.text(), choice.toolCalls(), choice.finishReason());
        }
        return out.append(']').toString();
    }

    private void textMessage(StringBuilder out, String role, String text) {
        out.append("{\"role\":\"").append(role).append("\",\"parts\":[");
        textPart(out, text);
        out.append("]}");
    }

    private void assistantMessage(StringBuilder out, String text, List<ToolCall> toolCalls,
                                  @org.jspecify.annotations.Nullable String finishReason) {
        out.append("{\"role\":\"assistant\",\"parts\":[");
        boolean first = true;
        if (!text.isEmpty() || toolCalls.isEmpty()) {
            textPart(out, text);
            first = false;
        }
        for (ToolCall call : toolCalls) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append("{\"type\":\"tool_call\",\"id\":");
            string(out, call.id());
            out.append(",\"name\":");
            string(out, call.name());
            out.append(",\"arguments\":");
            string(out, cut(call.argumentsJson()));
            out.append('}');
        }
        out.append(']');
        if (finishReason != null) {
            out.append(",\"finish_reason\":");
            string(out, finishReason);
        }
        out.append('}');
    }

    private void textPart(StringBuilder out, String text) {
        out.append("{\"type\":\"text\",\"content\":");
        string(out, cut(text));
        out.append('}');
    }

    String cut(String text) {
        return text.length() <= limit ? text : text.substring(0, limit) + TRUNCATED;
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
