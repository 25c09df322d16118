package dev.dspy4j.adapter;

import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** ChatAdapter's turn texts: {@code [[ ## name ## ]]} sections and the completed marker. */
class ChatTurns implements TurnWriter {

    static final ChatTurns INSTANCE = new ChatTurns();

    private static final Object REMINDER = new Object();

    @Override
    public String userContent(Signature signature, Map<String, ?> values, String prefix, boolean mainRequest) {
        StringBuilder out = new StringBuilder(128);
        out.append(prefix);
        for (Field field : signature.inputs()) {
            String name = field.name();
            if (values.containsKey(name)) {
                out.append("\n\n");
                appendSection(out, name, AdapterText.formatValue(field.type(), values.get(name)));
            }
        }
        if (mainRequest) {
            out.append("\n\n").append(signature.memo(reminderKey(), this::outputReminder));
        }
        return PythonText.strip(out.toString());
    }

    /** The memo key of this adapter's reminder (one per adapter kind). */
    Object reminderKey() {
        return REMINDER;
    }

    /** The output reminder that ends the final user message. */
    String outputReminder(Signature signature) {
        StringBuilder out = new StringBuilder("Respond with the corresponding output fields, starting with the field ");
        List<Field> outputs = signature.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            if (i > 0) {
                out.append(", then ");
            }
            out.append("`[[ ## ").append(outputs.get(i).name()).append(" ## ]]`")
                    .append(AdapterText.reminderTypeHint(outputs.get(i).type()));
        }
        return out.append(", and then ending with the marker for `[[ ## completed ## ]]`.").toString();
    }

    @Override
    public String assistantContent(Signature signature, Map<String, ?> values, @Nullable String missingFieldMessage) {
        StringBuilder out = new StringBuilder(128);
        List<Field> outputs = signature.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            Field field = outputs.get(i);
            if (i > 0) {
                out.append("\n\n");
            }
            Object value = values.containsKey(field.name()) ? values.get(field.name()) : missingFieldMessage;
            appendSection(out, field.name(), AdapterText.formatValue(field.type(), value));
        }
        return PythonText.strip(out.toString()) + "\n\n[[ ## completed ## ]]\n";
    }

    static void appendSection(StringBuilder out, String name, String value) {
        out.append("[[ ## ").append(name).append(" ## ]]\n").append(value);
    }

    /** The {@code [[ ## name ## ]]\n{placeholder}} sections of some fields, joined and stripped. */
    static String placeholderSections(List<Field> fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append("\n\n");
            }
            appendSection(out, fields.get(i).name(), AdapterText.placeholder(fields.get(i)));
        }
        return PythonText.strip(out.toString());
    }
}
