package dev.dspy4j.signature;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds signatures from annotated Java records. */
final class RecordSignatures {

    private RecordSignatures() {}

    static Signature fromRecords(Class<? extends Record> inputs, Class<? extends Record> outputs) {
        Instructions onInputs = inputs.getAnnotation(Instructions.class);
        Instructions onOutputs = outputs.getAnnotation(Instructions.class);
        if (onInputs != null && onOutputs != null) {
            throw new SignatureException("Both " + inputs.getSimpleName() + " and " + outputs.getSimpleName()
                    + " carry @Instructions; keep it on one of them.");
        }
        Instructions instructions = onOutputs != null ? onOutputs : onInputs;
        List<Field> fields = new ArrayList<>();
        addComponents(inputs, Field.Role.INPUT, fields);
        addComponents(outputs, Field.Role.OUTPUT, fields);
        return Signature.named(outputs.getSimpleName(),
                instructions == null ? null : trimBlankLines(instructions.value()), fields);
    }

    private static void addComponents(Class<? extends Record> type, Field.Role role, List<Field> out) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            throw new SignatureException(type.getName() + " is not a record.");
        }
        for (RecordComponent component : components) {
            String name = JavaTypes.promptName(component);
            FieldType fieldType = JavaTypes.componentType(component, type.getSimpleName() + "." + component.getName());
            Desc desc = component.getAnnotation(Desc.class);
            Optional<Object> noDefault = fieldType.isOptional() && role == Field.Role.OUTPUT
                    ? Optional.of(Field.NONE) : Optional.empty();
            out.add(new Field(name, role, fieldType, desc == null ? null : desc.value(),
                    Names.inferPrefix(name) + ":", true, noDefault));
        }
    }

    /**
     * Trims blank lines at both ends (a text block's closing newline included). Indentation is
     * kept as written: Java text blocks already remove the common indentation, which is what
     * Python's {@code inspect.cleandoc} does for docstrings.
     */
    static String trimBlankLines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        while (!lines.isEmpty() && lines.get(0).isBlank()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return String.join("\n", lines);
    }
}
