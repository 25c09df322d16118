package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * DSPy's message layout, shared by the adapters: the system message, then demos (incomplete ones
 * first, with DSPy's notice), then the turns of a {@code History} input, then the final request.
 */
final class Conversation {

    /** The first line of an incomplete demo's user turn. */
    static final String INCOMPLETE_DEMO_PREFIX =
            "This is an example of the task, though some input or output fields are not supplied.";
    /** How an incomplete demo's missing output is written. */
    static final String NOT_SUPPLIED = "Not supplied for this particular example. ";

    private static final Object WITHOUT_HISTORY = new Object();

    private Conversation() {}

    /**
     * All messages of a call.
     *
     * @param signature the signature
     * @param systemMessage the (memoized) system message
     * @param demos the demos
     * @param inputs the call's inputs
     * @param writer the adapter's turn texts
     * @return the messages
     */
    static List<Message> format(Signature signature, Message.SystemMessage systemMessage, List<Example> demos,
                                Map<String, ?> inputs, TurnWriter writer) {
        return format(signature, systemMessage, demos, inputs, writer, false);
    }

    /**
     * All messages of a call, with the tool turns of a History written natively (assistant tool
     * calls and tool messages) when {@code nativeToolTurns}, as DSPy does whenever the adapter has
     * native function calling on (see {@link HistoryToolTurns}).
     */
    static List<Message> format(Signature signature, Message.SystemMessage systemMessage, List<Example> demos,
                                Map<String, ?> inputs, TurnWriter writer, boolean nativeToolTurns) {
        List<Message> messages = new ArrayList<>(2 + demos.size() * 2);
        messages.add(systemMessage);
        if (!demos.isEmpty()) {
            addDemos(messages, signature, demos, writer);
        }
        Field history = AdapterText.historyField(signature);
        String content;
        if (history == null) {
            content = writer.userContent(signature, inputs, "", true);
        } else {
            String name = history.name();
            Signature withoutHistory = signature.memo(WITHOUT_HISTORY, s -> s.delete(name));
            Map<String, Object> rest = new LinkedHashMap<>(inputs);
            if (rest.containsKey(name)) {
                addHistory(messages, withoutHistory, rest.remove(name), writer, nativeToolTurns);
            }
            content = writer.userContent(withoutHistory, rest, "", true);
        }
        if (!content.isEmpty()) {
            messages.add(CustomValues.userMessage(content));
        }
        return messages;
    }

    private static void addDemos(List<Message> messages, Signature signature, List<Example> demos, TurnWriter writer) {
        List<Map<String, Object>> complete = new ArrayList<>(demos.size());
        List<Map<String, Object>> incomplete = new ArrayList<>();
        for (Example demo : demos) {
            Map<String, Object> values = demo.toMap();
            boolean isComplete = true;
            for (Field field : signature.fields()) {
                if (values.get(field.name()) == null) {
                    isComplete = false;
                    break;
                }
            }
            if (isComplete) {
                complete.add(values);
            } else if (hasAny(values, signature.inputs()) && hasAny(values, signature.outputs())) {
                incomplete.add(values);
            }
        }
        for (Map<String, Object> demo : incomplete) {
            messages.add(CustomValues.userMessage(writer.userContent(signature, demo, INCOMPLETE_DEMO_PREFIX, false)));
            messages.add(Message.assistant(writer.assistantContent(signature, demo, NOT_SUPPLIED)));
        }
        for (Map<String, Object> demo : complete) {
            messages.add(CustomValues.userMessage(writer.userContent(signature, demo, "", false)));
            messages.add(Message.assistant(writer.assistantContent(signature, demo,
                    "Not supplied for this conversation history message. ")));
        }
    }

    private static boolean hasAny(Map<String, Object> values, List<Field> fields) {
        for (Field field : fields) {
            if (values.containsKey(field.name())) {
                return true;
            }
        }
        return false;
    }

    private static void addHistory(List<Message> messages, Signature signature, @Nullable Object history,
                                   TurnWriter writer, boolean nativeToolTurns) {
        for (Map<String, ?> turn : historyTurns(history)) {
            String user = writer.userContent(signature, turn, "", false);
            if (!user.isEmpty()) {
                messages.add(CustomValues.userMessage(user));
            }
            if (HistoryToolTurns.addIfToolTurn(messages, signature, turn, writer, nativeToolTurns)) {
                continue;
            }
            String assistant = writer.assistantContent(signature, turn, null);
            if (!assistant.isEmpty()) {
                messages.add(Message.assistant(assistant));
            }
        }
    }

    /** The turns of a History value: {@code {"messages": [...]}}, a list of maps, or {@code null}. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, ?>> historyTurns(@Nullable Object history) {
        if (history == null) {
            return List.of();
        }
        Object messages = history instanceof Map<?, ?> map ? map.get("messages") : history;
        if (messages == null) {
            return List.of();
        }
        if (!(messages instanceof Collection<?> list)) {
            throw new IllegalArgumentException("A History input must be {\"messages\": [{field: value, ...}, ...]}, not "
                    + history.getClass().getSimpleName());
        }
        List<Map<String, ?>> turns = new ArrayList<>(list.size());
        for (Object turn : list) {
            if (turn instanceof Map<?, ?> m) {
                turns.add((Map<String, ?>) m);
            } else if (turn instanceof Example e) {
                turns.add(e.toMap());
            } else {
                throw new IllegalArgumentException("Each History message must be a map of field values, not " + turn);
            }
        }
        return turns;
    }
}
