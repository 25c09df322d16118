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
                instructions == null ? null : cleandoc(instructions.value()), fields);
    }

    private static void addComponents(Class<? extends Record> type, Field.Role role, List<Field> out) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            throw new SignatureException(type.getName() + " is not a record.");
        }
        for (RecordComponent component : components) {
            String name = JavaTypes.promptName(component);
            FieldType fieldType = JavaTypes.toFieldType(component.getGenericType(),
                    type.getSimpleName() + "." + component.getName());
            Desc desc = component.getAnnotation(Desc.class);
            Optional<Object> noDefault = fieldType.isOptional() && role == Field.Role.OUTPUT
                    ? Optional.of(Field.NONE) : Optional.empty();
            out.add(new Field(name, role, fieldType, desc == null ? null : desc.value(),
                    Names.inferPrefix(name) + ":", true, noDefault));
        }
    }

    /** Python's {@code inspect.cleandoc}: strips the common indentation and blank edge lines. */
    static String cleandoc(String text) {
        String[] lines = text.replace("\t", "        ").split("\n", -1);
        int margin = Integer.MAX_VALUE;
        for (int i = 1; i < lines.length; i++) {
            String stripped = lines[i].stripLeading();
            if (!stripped.isEmpty()) {
                margin = Math.min(margin, lines[i].length() - stripped.length());
            }
        }
        List<String> out = new ArrayList<>();
        out.add(lines[0].stripLeading());
        for (int i = 1; i < lines.length; i++) {
            out.add(margin == Integer.MAX_VALUE ? lines[i] : lines[i].substring(Math.min(margin, lines[i].length())));
        }
        while (!out.isEmpty() && out.get(0).isBlank()) {
            out.remove(0);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        return String.join("\n", out);
    }
}
