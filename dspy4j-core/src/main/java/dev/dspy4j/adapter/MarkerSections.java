package dev.dspy4j.adapter;

import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits a ChatAdapter reply into its {@code [[ ## name ## ]]} sections, as DSPy does: a line whose
 * stripped text starts with a marker opens a section (text after the marker on that line is kept),
 * each section's lines are joined by {@code \n} and stripped, and the first occurrence of each
 * output name wins. No regular expressions: this runs on every call.
 */
final class MarkerSections {

    private static final String OPEN = "[[ ## ";
    private static final String CLOSE = " ## ]]";

    private MarkerSections() {}

    /** The sections named after outputs of {@code signature}, in the order they appear. */
    static Map<String, String> read(String completion, Signature signature) {
        String text = normalizeLineBreaks(completion);
        Map<String, String> sections = new LinkedHashMap<>(8);
        int n = text.length();
        String current = null;
        String firstLine = ""; // read only once current is set
        int bodyStart = 0;
        int lineStart = 0;
        while (lineStart <= n) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = n;
            }
            int s = lineStart;
            while (s < lineEnd && PythonText.isSpace(text.charAt(s))) {
                s++;
            }
            int nameEnd = markerNameEnd(text, s, lineEnd);
            if (nameEnd > 0) {
                if (current != null) {
                    addSection(sections, signature, current, firstLine, text, bodyStart, lineStart);
                }
                current = text.substring(s + OPEN.length(), nameEnd);
                // DSPy slices the unstripped line at the marker's end within the stripped line
                int markerLength = nameEnd + CLOSE.length() - s;
                int restFrom = Math.min(lineStart + markerLength, lineEnd);
                firstLine = PythonText.strip(text.substring(restFrom, lineEnd));
                bodyStart = lineEnd + 1;
            }
            if (lineEnd == n) {
                break;
            }
            lineStart = lineEnd + 1;
        }
        if (current != null) {
            addSection(sections, signature, current, firstLine, text, bodyStart, n + 1);
        }
        return sections;
    }

    private static void addSection(Map<String, String> sections, Signature signature, String name, String firstLine,
                                   String text, int bodyStart, int nextLineStart) {
        if (sections.containsKey(name) || !signature.hasField(name) || signature.field(name).isInput()) {
            return;
        }
        int bodyEnd = Math.max(bodyStart, Math.min(text.length(), nextLineStart - 1));
        String body = bodyStart >= text.length() ? "" : text.substring(Math.min(bodyStart, text.length()), bodyEnd);
        String value;
        if (firstLine.isEmpty()) {
            value = PythonText.strip(body);
        } else if (bodyStart > text.length()) {
            value = firstLine;
        } else {
            value = PythonText.strip(firstLine + "\n" + body);
        }
        sections.put(name, value);
    }

    /** The end of the marker's name if a marker starts at {@code at}, else -1. */
    private static int markerNameEnd(String text, int at, int lineEnd) {
        if (!text.startsWith(OPEN, at)) {
            return -1;
        }
        int i = at + OPEN.length();
        int nameStart = i;
        while (i < lineEnd && isWordChar(text.charAt(i))) {
            i++;
        }
        if (i == nameStart || !text.startsWith(CLOSE, i) || i + CLOSE.length() > lineEnd) {
            return -1;
        }
        return i;
    }

    /** Python's {@code \w} (Unicode word characters). */
    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Python's line breaks other than {@code \n} (see {@link PythonText#isLineBreak}). */
    private static final char[] OTHER_LINE_BREAKS = {'\r', 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029};

    /** Rewrites every Python line break ({@code \r\n}, {@code \r}, U+2028, ...) as {@code \n}. */
    private static String normalizeLineBreaks(String text) {
        // one indexOf per kind of break rather than a check per character: indexOf is a tight loop
        // (immediate for U+2028 in a Latin-1 string), and an intrinsic once compiled
        for (char c : OTHER_LINE_BREAKS) {
            if (text.indexOf(c) >= 0) {
                return String.join("\n", PythonText.splitLines(text));
            }
        }
        return text;
    }
}
