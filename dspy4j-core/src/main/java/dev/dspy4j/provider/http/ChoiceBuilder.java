package dev.dspy4j.provider.http;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Citation;
import dev.dspy4j.lm.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Assembles one choice from streamed pieces: text, reasoning, tool-call fragments, citations, finish reason. */
final class ChoiceBuilder {

    private final StringBuilder text = new StringBuilder();
    private @Nullable StringBuilder reasoning;
    private final List<Tool> tools = new ArrayList<>();
    private final List<Citation> citations = new ArrayList<>();
    @Nullable String finishReason;

    /** A tool call being assembled; {@code key} is the provider's index for it. */
    static final class Tool {
        final int key;
        @Nullable String id;
        @Nullable String name;
        final StringBuilder arguments = new StringBuilder();

        Tool(int key) {
            this.key = key;
        }
    }

    void appendText(String piece) {
        text.append(piece);
    }

    void appendReasoning(String piece) {
        if (reasoning == null) {
            reasoning = new StringBuilder();
        }
        reasoning.append(piece);
    }

    void addCitation(Citation citation) {
        citations.add(citation);
    }

    /** The tool call with this provider index, created on first use. */
    Tool tool(int key) {
        for (Tool tool : tools) {
            if (tool.key == key) {
                return tool;
            }
        }
        Tool tool = new Tool(key);
        tools.add(tool);
        return tool;
    }

    boolean hasTool(int key) {
        return tools.stream().anyMatch(t -> t.key == key);
    }

    Choice build() {
        List<ToolCall> calls = new ArrayList<>(tools.size());
        for (Tool tool : tools) {
            String args = tool.arguments.isEmpty() ? "{}" : tool.arguments.toString();
            calls.add(ToolCall.parse(tool.id, tool.name == null ? "" : tool.name, args));
        }
        return new Choice(text.toString(), calls, reasoning == null ? null : reasoning.toString(), finishReason,
                citations);
    }

    /** Builders for choices {@code 0..n-1}, growing as higher indexes arrive. */
    static ChoiceBuilder at(List<ChoiceBuilder> builders, int index) {
        while (builders.size() <= index) {
            builders.add(new ChoiceBuilder());
        }
        return builders.get(index);
    }
}
