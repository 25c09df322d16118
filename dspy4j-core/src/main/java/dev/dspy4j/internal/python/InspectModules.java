package dev.dspy4j.internal.python;

import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DSPy's {@code inspect_modules} and {@code get_field_description_string}, the module definitions
 * that Refine's and SIMBA's feedback prompts show the LM. The text is part of the prompt, so it
 * follows DSPy 3.3.1 character for character.
 */
public final class InspectModules {

    private static final String SEPARATOR = "-".repeat(80);

    private InspectModules() {
    }

    /** Each predictor's fields and instructions between dashed lines, in the map's order. */
    public static String moduleDefinitions(Map<String, Signature> signatures) {
        List<String> parts = new ArrayList<>();
        parts.add(SEPARATOR);
        signatures.forEach((name, signature) -> {
            parts.add("Module " + name);
            parts.add("\n\tInput Fields:");
            parts.add(indented(fieldDescriptions(signature.inputs())));
            parts.add("\tOutput Fields:");
            parts.add(indented(fieldDescriptions(signature.outputs())));
            parts.add("\tOriginal Instructions: " + indented(PythonText.dedent(signature.instructions())));
            parts.add(SEPARATOR);
        });
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(stripNewlines(part));
        }
        return out.toString();
    }

    /** {@code 1. `name` (type): description} per field, the block stripped. */
    public static String fieldDescriptions(List<Field> fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            out.append(i > 0 ? "\n" : "").append(i + 1).append(". `").append(field.name()).append("` (")
                    .append(field.type().pythonName()).append("): ").append(field.descriptionOrEmpty());
        }
        return PythonText.strip(out.toString());
    }

    /** {@code "\n\t\t".join([""] + text.splitlines())}. */
    private static String indented(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : PythonText.splitLines(text)) {
            out.append("\n\t\t").append(line);
        }
        return out.toString();
    }

    private static String stripNewlines(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '\n') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '\n') {
            end--;
        }
        return s.substring(start, end);
    }
}
