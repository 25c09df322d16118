package dev.dspy4j.internal.python;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's string primitives that DSPy's prompt code relies on, with Python's exact definitions:
 * {@code str.isspace}, {@code str.strip}, {@code str.splitlines} and {@code textwrap.dedent}. Java's
 * own {@code strip()} and {@code lines()} disagree with Python on a few characters (e.g. U+00A0),
 * which would change prompts.
 */
public final class PythonText {

    private PythonText() {}

    /** Python's {@code str.isspace()} for one character. */
    public static boolean isSpace(char c) {
        if (c <= ' ') {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
        }
        return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a)
                || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
    }

    /** Python's {@code str.strip()}. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    /** Whether a character ends a line for Python's {@code str.splitlines()}. */
    public static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e
                || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    /** Python's {@code str.splitlines()} (no trailing empty line; {@code \r\n} is one break). */
    public static List<String> splitLines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (isLineBreak(c)) {
                lines.add(s.substring(start, i));
                i += (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < n) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    /**
     * Python's {@code textwrap.dedent}: removes the longest common leading run of spaces and tabs
     * from every line that has non-blank text; lines of only spaces and tabs become empty.
     */
    public static String dedent(String text) {
        String[] lines = text.split("\n", -1);
        String margin = null;
        for (String line : lines) {
            int indent = 0;
            while (indent < line.length() && (line.charAt(indent) == ' ' || line.charAt(indent) == '\t')) {
                indent++;
            }
            if (indent == line.length()) {
                continue;
            }
            String lead = line.substring(0, indent);
            if (margin == null) {
                margin = lead;
            } else {
                int common = 0;
                int max = Math.min(margin.length(), lead.length());
                while (common < max && margin.charAt(common) == lead.charAt(common)) {
                    common++;
                }
                margin = margin.substring(0, common);
            }
        }
        if (margin == null) {
            margin = "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            String line = lines[i];
            if (isBlankSpaceOrTab(line)) {
                continue;
            }
            out.append(line, margin.length(), line.length());
        }
        return out.toString();
    }

    private static boolean isBlankSpaceOrTab(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** pydantic's default field title: Python's {@code str.title()} of the name, with {@code _} as spaces. */
    public static String fieldTitle(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean previousCased = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean cased = Character.isUpperCase(c) || Character.isLowerCase(c);
            out.append(cased ? (previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
            previousCased = cased;
        }
        return out.toString().replace('_', ' ');
    }
}
