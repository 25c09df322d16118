package dev.dspy4j.streaming;

/**
 * A JSONAdapter field as the completion grows: the value of the key {@code "field"} in the
 * top-level object. A string value streams unescaped (its chunks concatenate to the parsed
 * string); any other value streams as its JSON text. Keys inside nested values or inside strings
 * are not mistaken for the field.
 */
final class JsonFields {

    private JsonFields() {}

    static FieldFormat.Progress progress(String text, String field, boolean ended) {
        int depth = 0;
        boolean expectKey = false;
        boolean afterTargetKey = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                int end = stringEnd(text, i);
                if (end < 0) {
                    return FieldFormat.Progress.NOT_STARTED;
                }
                if (depth == 1 && expectKey) {
                    afterTargetKey = field.equals(unescape(text, i + 1, end, true).value());
                    expectKey = false;
                }
                i = end + 1;
                continue;
            }
            if (c == ':' && depth == 1 && afterTargetKey) {
                return value(text, i + 1, ended);
            }
            if (c == '{' || c == '[') {
                depth++;
                expectKey = c == '{' && depth == 1;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 1) {
                expectKey = true;
                afterTargetKey = false;
            }
            i++;
        }
        return FieldFormat.Progress.NOT_STARTED;
    }

    private static FieldFormat.Progress value(String text, int from, boolean ended) {
        int i = from;
        while (i < text.length() && Texts.isSpace(text.charAt(i))) {
            i++;
        }
        if (i >= text.length()) {
            return new FieldFormat.Progress("", true, ended);
        }
        if (text.charAt(i) == '"') {
            int end = stringEnd(text, i);
            Unescaped value = unescape(text, i + 1, end < 0 ? text.length() : end, end >= 0 || ended);
            return new FieldFormat.Progress(value.value(), true, end >= 0 || ended);
        }
        int depth = 0;
        int start = i;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                int end = stringEnd(text, i);
                if (end < 0) {
                    break;
                }
                i = end + 1;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && depth > 0) {
                depth--;
            } else if (depth == 0 && (c == ',' || c == '}')) {
                return new FieldFormat.Progress(Texts.rstrip(text.substring(start, i)), true, true);
            }
            i++;
        }
        return new FieldFormat.Progress(Texts.rstrip(text.substring(start, i)), true, ended);
    }

    /** The index of the quote closing the string opened at {@code open}, or -1 if not yet there. */
    private static int stringEnd(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private record Unescaped(String value) {}

    private static int hex(String digits) {
        int code = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            code = code * 16 + digit;
        }
        return code;
    }

    /** JSON string content unescaped; an escape cut off at the end is held back unless complete. */
    private static Unescaped unescape(String text, int from, int to, boolean complete) {
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= to) {
                break;
            }
            char e = text.charAt(i + 1);
            if (e == 'u') {
                if (i + 6 > to) {
                    break;
                }
                int code = hex(text.substring(i + 2, i + 6));
                if (code < 0) {
                    out.append(text, i, i + 6); // not an escape JSON allows: kept as written
                } else {
                    out.append((char) code);
                }
                i += 6;
                continue;
            }
            out.append(switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> e;
            });
            i += 2;
        }
        String value = out.toString();
        // a high surrogate may wait for its pair
        if (!complete && !value.isEmpty() && Character.isHighSurrogate(value.charAt(value.length() - 1))) {
            value = value.substring(0, value.length() - 1);
        }
        return new Unescaped(value);
    }
}
