package dev.dspy4j.adapter;

import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.signature.Code;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.tool.ToolCalls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The prompt text every DSPy adapter shares (reference §3.3): the numbered field lists, the
 * {@code {name}} placeholders with their type notes, the task line, and the type hint of the
 * output reminder; plus DSPy's filling of missing optional outputs.
 *
 * <p>Stateless and thread-safe.
 */
final class AdapterText {

    /** Eight spaces: the indent of type notes and of the task lines. */
    static final String INDENT = "        ";

    /** DSPy's {@code ToolCalls.description()}, shown under a field of that type. */
    static final String TOOL_CALLS_DESCRIPTION = "Tool calls must be a JSON object with `tool_calls`, a list of calls."
            + " Each call must include `name` and `args`. Example: {\"tool_calls\": [{\"name\": \"search\","
            + " \"args\": {\"query\": \"cats\"}}]}";

    private AdapterText() {}

    /**
     * The numbered list of fields: {@code 1. `name` (Type): description}, one per line, the whole
     * block stripped (so every line but the last ends in {@code ": "} when it has no description).
     *
     * @param fields the inputs or the outputs
     * @return the block
     */
    public static String fieldDescriptions(List<Field> fields) {
        StringBuilder out = new StringBuilder(fields.size() * 32);
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            if (i > 0) {
                out.append('\n');
            }
            out.append(i + 1).append(". `").append(field.name()).append("` (").append(field.type().pythonName())
                    .append("): ").append(field.descriptionOrEmpty());
            if (JsonSchemas.isToolCalls(field.type())) {
                out.append("\n    Type description of ToolCalls: ").append(TOOL_CALLS_DESCRIPTION);
            }
            out.append(TypeDescriptions.lines(field.type()));
            for (dev.dspy4j.signature.CustomType<?> custom : CustomValues.customTypesIn(field.type())) {
                if (!custom.description().isEmpty()) {
                    out.append("\n    Type description of ").append(custom.name()).append(": ")
                            .append(custom.description());
                }
            }
        }
        return PythonText.strip(out.toString());
    }

    /**
     * DSPy's {@code format_field_description} for chat-style adapters:
     * {@code Your input fields are:\n...\nYour output fields are:\n...}.
     */
    public static String inputOutputDescriptions(Signature signature) {
        return "Your input fields are:\n" + fieldDescriptions(signature.inputs())
                + "\nYour output fields are:\n" + fieldDescriptions(signature.outputs());
    }

    /**
     * The placeholder of a field in the structure: {@code {name}}, followed for outputs by eight
     * spaces and {@code # note: the value you produce ...} when the type has a note.
     *
     * @param field the field
     * @return the placeholder text
     */
    public static String placeholder(Field field) {
        String note = field.isInput() ? "" : typeNote(field.type());
        return note.isEmpty() ? "{" + field.name() + "}" : "{" + field.name() + "}" + INDENT + "# note: the value you produce " + note;
    }

    /**
     * The note for an output type, without the {@code # note: the value you produce } lead-in:
     * empty for {@code str}, {@code must be True or False}, {@code must be a single int value},
     * {@code must be one of: a; b} (enums), {@code must exactly match (no extra characters) one
     * of: a; b} (literals), else {@code must adhere to the JSON schema: {...}}.
     */
    public static String typeNote(FieldType type) {
        return switch (type) {
            case FieldType.StrType t -> "";
            case FieldType.BoolType t -> "must be True or False";
            case FieldType.IntType t -> "must be a single int value";
            case FieldType.FloatType t -> "must be a single float value";
            case FieldType.EnumType e -> "must be one of: " + String.join("; ", e.members().values());
            case FieldType.LiteralType l -> {
                StringBuilder out = new StringBuilder("must exactly match (no extra characters) one of: ");
                for (int i = 0; i < l.values().size(); i++) {
                    if (i > 0) {
                        out.append("; ");
                    }
                    out.append(PythonValues.str(l.values().get(i)));
                }
                yield out.toString();
            }
            case FieldType.SpecialType s when s.kind() == FieldType.SpecialType.Kind.REASONING -> "";
            case FieldType.CodeType c -> ""; // DSPy: its type description already says how to write it
            case FieldType.SpecialType s when s.kind() == FieldType.SpecialType.Kind.CITATIONS ->
                    "must adhere to the JSON schema: " + TypeDescriptions.CITATIONS_SCHEMA;
            default -> "must adhere to the JSON schema: " + JsonSchemas.promptSchemaText(type);
        };
    }

    /**
     * DSPy's {@code format_task_description}: {@code In adhering to this structure, your
     * objective is: } and then each line of the dedented instructions on its own line, indented
     * by eight spaces.
     */
    public static String taskDescription(Signature signature) {
        StringBuilder out = new StringBuilder("In adhering to this structure, your objective is: ");
        for (String line : PythonText.splitLines(PythonText.dedent(signature.instructions()))) {
            out.append('\n').append(INDENT).append(line);
        }
        return out.toString();
    }

    /**
     * The type hint after a field in the output reminder: empty for {@code str}, the
     * {@code ToolCalls} JSON shape, else {@code  (must be formatted as a valid Python T)}.
     */
    public static String reminderTypeHint(FieldType type) {
        if (type instanceof FieldType.StrType) {
            return "";
        }
        if (JsonSchemas.isToolCalls(type)) {
            return " (must be a JSON object like {\"tool_calls\": [{\"name\": \"...\", \"args\": {...}}]})";
        }
        return " (must be formatted as a valid Python " + type.pythonName() + ")";
    }

    /**
     * DSPy's {@code apply_output_field_defaults}: the parsed outputs in signature order, with a
     * missing output taking its default value, else a value from its default factory, else
     * {@code null} if its type is optional. Required outputs that are missing stay missing.
     *
     * @param signature the signature
     * @param parsed the parsed outputs
     * @return a new map in output order
     */
    public static Map<String, Object> withOutputDefaults(Signature signature, Map<String, Object> parsed) {
        List<Field> outputs = signature.outputs();
        Map<String, Object> out = new LinkedHashMap<>(outputs.size() * 2);
        for (Field field : outputs) {
            String name = field.name();
            if (parsed.containsKey(name)) {
                out.put(name, parsed.get(name));
            } else if (field.hasDefault()) {
                out.put(name, field.defaultOrNull());
            } else if (field.hasDefaultFactory()) {
                out.put(name, field.defaultFactory().get().get());
            } else if (field.type().isOptional()) {
                out.put(name, null);
            }
        }
        return out;
    }

    /**
     * A field's value as it is written into a prompt: a {@code ToolCalls} value (or anything
     * {@link ToolCalls#from(Object)} reads) as {@code {"tool_calls": [{"name", "args"}]}}, without
     * ids or results, as DSPy writes it; values of custom types (media, user-defined) in their
     * prompt form ({@link CustomValues#prepare}); any other value as it is.
     */
    static @Nullable Object promptValue(FieldType type, @Nullable Object value) {
        if (type instanceof FieldType.CodeType code && value instanceof String text) {
            return Code.fromText(code.language(), text); // DSPy's Code takes a fenced string's code
        }
        if (value == null) {
            return null;
        }
        if (!JsonSchemas.isToolCalls(type)) {
            return CustomValues.prepare(type, value);
        }
        try {
            return ToolCalls.from(value).promptValue();
        } catch (IllegalArgumentException e) {
            return value; // not a tool-call value (e.g. a demo's placeholder text): shown as given
        }
    }

    /** {@link PythonValues#formatFieldValue} of the field's {@link #promptValue}. */
    static String formatValue(FieldType type, @Nullable Object value) {
        return PythonValues.formatFieldValue(type, promptValue(type, value));
    }

    /** The first input field of type {@code History}, or {@code null}. */
    static @Nullable Field historyField(Signature signature) {
        for (Field field : signature.inputs()) {
            if (field.type() instanceof FieldType.SpecialType s && s.kind() == FieldType.SpecialType.Kind.HISTORY) {
                return field;
            }
        }
        return null;
    }
}
