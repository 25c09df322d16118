package dev.dspy4j.module;

import dev.dspy4j.internal.python.PythonValues;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The code an LM wrote, cut out of its {@code generated_code} field by DSPy 3.3.1's rules, and
 * how its result is shown to the LM. Shared by {@link ProgramOfThought} and {@link CodeAct}.
 *
 * @param code the code to run (or, with an error, the text that could not be parsed)
 * @param error DSPy's parse error text, or null when the code can run
 */
record GeneratedCode(String code, @Nullable String error) {

    // DSPy's pattern: a python fence, lazily up to the first closing fence (the third backtick optional)
    private static final Pattern FENCE = Pattern.compile("```python[ \n](.*?)[ \n]```?", Pattern.DOTALL);
    // Python's \w is Unicode-aware
    private static final Pattern ASSIGNMENT = Pattern.compile("^(\\w+)\\s*=", Pattern.UNICODE_CHARACTER_CLASS);

    /**
     * Parses the LM's text: everything before the first {@code ---} and before the first blank
     * double line; the inside of the first {@code ```python} fence when there is one; a single line
     * with more than one {@code =} is an error; when the last of several lines assigns a name,
     * that name is appended as a final expression so its value becomes the output.
     */
    static GeneratedCode parse(@Nullable Object generated) {
        String text = generated == null ? "" : String.valueOf(generated);
        String code = cutAtFirst(cutAtFirst(text, "---"), "\n\n\n");
        Matcher fence = FENCE.matcher(code);
        String block = fence.find() ? fence.group(1) : code;
        if (block.isEmpty()) {
            return new GeneratedCode(code, "Error: Empty code after parsing.");
        }
        if (block.indexOf('\n') < 0 && block.chars().filter(c -> c == '=').count() > 1) {
            return new GeneratedCode(code, "Error: Code format is not correct.");
        }
        String[] lines = block.split("\n", -1);
        Matcher assignment = ASSIGNMENT.matcher(lines[lines.length - 1].strip());
        if (assignment.find() && lines.length > 1) {
            block = block + "\n" + assignment.group(1);
        }
        return new GeneratedCode(block, null);
    }

    private static String cutAtFirst(String text, String separator) {
        int at = text.indexOf(separator);
        return at < 0 ? text : text.substring(0, at);
    }

    /**
     * What the LM sees of a successful run, as DSPy shows it: Python's {@code json.dumps} (ASCII
     * only) of the output, or of the submitted outputs.
     */
    static String outputText(CodeResult result) {
        String json = PythonValues.jsonDumps(result.value());
        StringBuilder ascii = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                ascii.append(c);
            } else {
                ascii.append(String.format("\\u%04x", (int) c));
            }
        }
        return ascii.toString();
    }
}
