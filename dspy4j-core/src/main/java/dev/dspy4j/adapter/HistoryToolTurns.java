package dev.dspy4j.adapter;

import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.tool.ToolCalls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The assistant side of a {@code History} message that holds a {@code ToolCalls} value, as DSPy
 * writes it (reference §12):
 * <ul>
 *   <li>text protocol, with results: the assistant turn with the calls (results left out), then a
 *       user turn {@code [[ ## tool_call_results ## ]]} with the results as JSON;</li>
 *   <li>native function calling: an assistant message with the remaining text outputs (none:
 *       {@code null} content) and the calls, then one tool message per result. Every call needs an
 *       id and the results must answer the calls in order; otherwise the calls and results are
 *       left out, as DSPy silently does.</li>
 * </ul>
 * Without results, a text-protocol turn is an ordinary turn.
 */
final class HistoryToolTurns {

    /** DSPy's {@code Signature({"tool_call_results": (ToolCallResults, InputField())})}. */
    private static final Signature RESULTS = Signature.of(null,
            List.of(Field.input("tool_call_results", FieldType.ANY)));

    private HistoryToolTurns() {}

    /**
     * Adds the assistant side of {@code turn} if it is a tool turn.
     *
     * @return whether it was (otherwise the caller writes an ordinary assistant turn)
     * @throws IllegalArgumentException if a value that looks like tool calls cannot be read as them
     */
    static boolean addIfToolTurn(List<Message> messages, Signature signature, Map<String, ?> turn, TurnWriter writer,
                                 boolean nativeToolTurns) {
        String key = toolCallsKey(turn);
        if (key == null) {
            return false;
        }
        ToolCalls calls = ToolCalls.from(turn.get(key));
        if (nativeToolTurns) {
            addNative(messages, signature, turn, writer, calls);
            return true;
        }
        if (!calls.hasResults()) {
            return false;
        }
        Map<String, Object> values = new LinkedHashMap<>(turn);
        values.put(key, calls.withResults(List.of()));
        String assistant = writer.assistantContent(signature, values, null);
        if (!assistant.isEmpty()) {
            messages.add(Message.assistant(assistant));
        }
        messages.add(CustomValues.userMessage(writer.userContent(RESULTS, Map.of("tool_call_results", calls.resultsValue()), "",
                false)));
        return true;
    }

    /** DSPy's choice: the first value that is a ToolCalls, or a map with a {@code tool_calls} key. */
    private static @Nullable String toolCallsKey(Map<String, ?> turn) {
        for (Map.Entry<String, ?> entry : turn.entrySet()) {
            if (entry.getValue() instanceof ToolCalls
                    || (entry.getValue() instanceof Map<?, ?> map && map.containsKey("tool_calls"))) {
                return entry.getKey();
            }
        }
        return null;
    }

    private static void addNative(List<Message> messages, Signature signature, Map<String, ?> turn, TurnWriter writer,
                                  ToolCalls calls) {
        Signature content = signature;
        for (Field field : signature.outputs()) {
            if (JsonSchemas.isToolCalls(field.type()) || turn.get(field.name()) == null) {
                content = content.delete(field.name());
            }
        }
        String text = content.outputs().isEmpty() ? "" : writer.assistantContent(content, turn, null);
        boolean withResults = calls.hasResults() && resultsAnswerCalls(calls);
        if (!text.isEmpty() || withResults) {
            List<ToolCall> wire = new ArrayList<>(calls.calls().size());
            if (withResults) {
                for (ToolCalls.Call call : calls.calls()) {
                    wire.add(new ToolCall(Objects.requireNonNull(call.id()), call.name(), call.args(), PythonValues.jsonDumps(call.args()), true));
                }
            }
            List<ContentPart> parts = text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text));
            messages.add(new Message.AssistantMessage(parts, wire, null));
        }
        if (withResults) {
            for (ToolCalls.Result result : calls.results()) {
                Object value = result.value();
                messages.add(Message.toolResult(Objects.requireNonNull(result.callId()), result.name(),
                        value instanceof String s ? s : PythonValues.jsonDumps(PythonValues.toJsonable(value))));
            }
        }
    }

    private static boolean resultsAnswerCalls(ToolCalls calls) {
        if (calls.calls().size() != calls.results().size()) {
            return false;
        }
        for (int i = 0; i < calls.calls().size(); i++) {
            String id = calls.calls().get(i).id();
            if (id == null || id.isEmpty() || !id.equals(calls.results().get(i).callId())) {
                return false;
            }
        }
        return true;
    }
}
