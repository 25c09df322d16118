package dev.dspy4j.internal.python;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Python's {@code json.loads} (strict JSON plus {@code NaN}, {@code Infinity}, {@code -Infinity};
 * no control characters inside strings; a repeated key keeps its first position and last value).
 */
final class StrictJson {

    /** Returned by {@link #tryParse} when the text is not valid JSON. */
    static final Object INVALID = new Object();

    private final String s;
    private final int n;
    private int i;

    private StrictJson(String s) {
        this.s = s;
        this.n = s.length();
    }

    /** The value of {@code text}, or {@link #INVALID}. */
    static @Nullable Object tryParse(String text) {
        StrictJson parser = new StrictJson(text);
        try {
            parser.skipWhitespace();
            Object value = parser.value();
            parser.skipWhitespace();
            return parser.i == parser.n ? value : INVALID;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return INVALID;
        }
    }

    private @Nullable Object value() {
        if (i >= n) {
            throw new IllegalArgumentException("end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{' -> {
                return object();
            }
            case '[' -> {
                return array();
            }
            case '"' -> {
                return string();
            }
            case 't' -> {
                return word("true", Boolean.TRUE);
            }
            case 'f' -> {
                return word("false", Boolean.FALSE);
            }
            case 'n' -> {
                return word("null", null);
            }
            case 'N' -> {
                return word("NaN", Double.NaN);
            }
            case 'I' -> {
                return word("Infinity", Double.POSITIVE_INFINITY);
            }
            default -> {
                if (c == '-' && s.startsWith("-Infinity", i)) {
                    i += 9;
                    return Double.NEGATIVE_INFINITY;
                }
                return number();
            }
        }
    }

    private @Nullable Object word(String word, @Nullable Object value) {
        if (!s.startsWith(word, i)) {
            throw new IllegalArgumentException(word);
        }
        i += word.length();
        return value;
    }

    private Map<String, Object> object() {
        i++;
        Map<String, Object> out = new LinkedHashMap<>();
        skipWhitespace();
        if (s.charAt(i) == '}') {
            i++;
            return out;
        }
        while (true) {
            skipWhitespace();
            if (s.charAt(i) != '"') {
                throw new IllegalArgumentException("key");
            }
            String key = string();
            skipWhitespace();
            if (s.charAt(i) != ':') {
                throw new IllegalArgumentException(":");
            }
            i++;
            skipWhitespace();
            out.put(key, value());
            skipWhitespace();
            char c = s.charAt(i++);
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException(",");
            }
        }
    }

    private List<Object> array() {
        i++;
        List<Object> out = new ArrayList<>();
        skipWhitespace();
        if (s.charAt(i) == ']') {
            i++;
            return out;
        }
        while (true) {
            skipWhitespace();
            out.add(value());
            skipWhitespace();
            char c = s.charAt(i++);
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException(",");
            }
        }
    }

    private String string() {
        i++;
        int start = i;
        while (true) {
            char c = s.charAt(i);
            if (c == '"') {
                String plain = s.substring(start, i);
                i++;
                return plain;
            }
            if (c == '\\') {
                break;
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character");
            }
            i++;
        }
        StringBuilder out = new StringBuilder(s.length() - start);
        out.append(s, start, i);
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 > n || !JsonRepair.isHex(s, i, 4)) {
                        throw new IllegalArgumentException("\\u");
                    }
                    out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("escape");
            }
        }
    }

    private Object number() {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        if (i < n && s.charAt(i) == '0') {
            i++;
        } else if (i < n && s.charAt(i) >= '1' && s.charAt(i) <= '9') {
            while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
        } else {
            throw new IllegalArgumentException("number");
        }
        boolean isFloat = false;
        if (i < n && s.charAt(i) == '.' && i + 1 < n && isAsciiDigit(s.charAt(i + 1))) {
            isFloat = true;
            i++;
            while (i < n && isAsciiDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int mark = i;
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (i < n && isAsciiDigit(s.charAt(i))) {
                isFloat = true;
                while (i < n && isAsciiDigit(s.charAt(i))) {
                    i++;
                }
            } else {
                i = mark;
            }
        }
        String text = s.substring(start, i);
        return isFloat ? (Object) Double.parseDouble(text) : JsonRepair.integer(text);
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        while (i < n) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }
}
