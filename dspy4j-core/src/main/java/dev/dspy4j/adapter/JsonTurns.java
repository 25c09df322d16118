package dev.dspy4j.adapter;

import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** JSONAdapter's turn texts: chat-style inputs, outputs as an indented JSON object. */
final class JsonTurns extends ChatTurns {

    static final JsonTurns JSON_INSTANCE = new JsonTurns();

    private static final Object REMINDER = new Object();

    @Override
    Object reminderKey() {
        return REMINDER;
    }

    @Override
    String outputReminder(Signature signature) {
        StringBuilder out = new StringBuilder("Respond with a JSON object in the following order of fields: ");
        List<Field> outputs = signature.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            if (i > 0) {
                out.append(", then ");
            }
            out.append('`').append(outputs.get(i).name()).append('`')
                    .append(AdapterText.reminderTypeHint(outputs.get(i).type()));
        }
        return out.append('.').toString();
    }

    @Override
    public String assistantContent(Signature signature, Map<String, ?> values, @Nullable String missingFieldMessage) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (Field field : signature.outputs()) {
            String name = field.name();
            object.put(name, values.containsKey(name) ? AdapterText.promptValue(field.type(), values.get(name))
                    : missingFieldMessage);
        }
        return PythonValues.jsonDumpsIndented(object);
    }

    /** The output part of the structure: {@code json.dumps({name: placeholder}, indent=2)}. */
    static String outputPlaceholders(List<Field> outputs) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (Field field : outputs) {
            object.put(field.name(), AdapterText.placeholder(field));
        }
        return PythonValues.jsonDumpsIndented(object);
    }
}
