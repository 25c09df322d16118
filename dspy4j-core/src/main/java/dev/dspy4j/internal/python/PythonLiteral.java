package dev.dspy4j.internal.python;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A reader for Python literals, the subset of {@code ast.literal_eval} an LM's answer may use.
 * Tuples and sets become lists. Anything else (names, calls, operators) is rejected.
 */
final class PythonLiteral {

    private final String s;
    private final int n;
    private int i;
    private int depth;

    PythonLiteral(String text) {
        this.s = text;
        this.n = text.length();
    }

    @Nullable Object parseWhole() {
        // literal_eval strips leading spaces and tabs; the rest must be one expression
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        Object value = expression();
        skipSpace();
        if (i != n) {
            throw fail();
        }
        return value;
    }

    private IllegalArgumentException fail() {
        return new IllegalArgumentException("malformed node or string: " + PythonValues.repr(s));
    }

    private @Nullable Object expression() {
        skipSpace();
        if (i >= n) {
            throw fail();
        }
        char c = s.charAt(i);
        if (c == '-' || c == '+') {
            i++;
            Object operand = expression();
            if (operand instanceof Long l) {
                return c == '-' ? -l : l;
            }
            if (operand instanceof BigInteger b) {
                return c == '-' ? b.negate() : b;
            }
            if (operand instanceof Double d) {
                return c == '-' ? -d : d;
            }
            throw fail();
        }
        if (c == '[') {
            i++;
            return sequence(']');
        }
        if (c == '(') {
            i++;
            return sequence(')');
        }
        if (c == '{') {
            i++;
            return braces();
        }
        if (c == '"' || c == '\'' || ((c == 'r' || c == 'R' || c == 'b' || c == 'u' || c == 'U')
                && i + 1 < n && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\''))) {
            return strings();
        }
        if (Character.isDigit(c) || c == '.') {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = i;
            while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            return switch (s.substring(start, i)) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> null;
                default -> throw fail();
            };
        }
        throw fail();
    }

    private Object sequence(char close) {
        depth++;
        List<Object> out = new ArrayList<>();
        boolean sawComma = false;
        while (true) {
            skipSpace();
            if (i < n && s.charAt(i) == close) {
                i++;
                depth--;
                // (x) is just x; (x,) and [x] are sequences
                return close == ')' && out.size() == 1 && !sawComma ? out.get(0) : out;
            }
            out.add(expression());
            skipSpace();
            if (i < n && s.charAt(i) == ',') {
                sawComma = true;
                i++;
            } else if (i >= n || s.charAt(i) != close) {
                throw fail();
            }
        }
    }

    private Object braces() {
        depth++;
        skipSpace();
        if (i < n && s.charAt(i) == '}') {
            i++;
            depth--;
            return new LinkedHashMap<String, Object>();
        }
        Object first = expression();
        skipSpace();
        if (i < n && s.charAt(i) == ':') {
            Map<Object, Object> out = new LinkedHashMap<>();
            i++;
            out.put(first, expression());
            while (true) {
                skipSpace();
                if (i < n && s.charAt(i) == ',') {
                    i++;
                    skipSpace();
                }
                if (i < n && s.charAt(i) == '}') {
                    i++;
                    depth--;
                    return stringKeys(out);
                }
                Object key = expression();
                skipSpace();
                if (i >= n || s.charAt(i) != ':') {
                    throw fail();
                }
                i++;
                out.put(key, expression());
            }
        }
        List<Object> set = new ArrayList<>();
        set.add(first);
        while (true) {
            skipSpace();
            if (i < n && s.charAt(i) == ',') {
                i++;
                skipSpace();
            }
            if (i < n && s.charAt(i) == '}') {
                i++;
                depth--;
                return set;
            }
            Object item = expression();
            if (!set.contains(item)) {
                set.add(item);
            }
        }
    }

    private static Map<String, Object> stringKeys(Map<Object, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            Object key = e.getKey();
            out.put(key instanceof String str ? str : PythonValues.str(key), e.getValue());
        }
        return out;
    }

    private String strings() {
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (true) {
            skipSpace();
            if (i >= n) {
                break;
            }
            boolean raw = false;
            char c = s.charAt(i);
            if (c == 'r' || c == 'R' || c == 'b' || c == 'u' || c == 'U') {
                if (i + 1 < n && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\'')) {
                    raw = c == 'r' || c == 'R';
                    i++;
                    c = s.charAt(i);
                } else {
                    break;
                }
            }
            if (c != '"' && c != '\'') {
                break;
            }
            any = true;
            boolean triple = s.startsWith(String.valueOf(c).repeat(3), i);
            String close = triple ? String.valueOf(c).repeat(3) : String.valueOf(c);
            i += close.length();
            while (true) {
                if (i >= n) {
                    throw fail();
                }
                if (s.startsWith(close, i)) {
                    i += close.length();
                    break;
                }
                char ch = s.charAt(i);
                if (!triple && ch == '\n') {
                    throw fail();
                }
                if (ch == '\\' && i + 1 < n) {
                    char e = s.charAt(i + 1);
                    if (raw) {
                        out.append(ch).append(e);
                        i += 2;
                        continue;
                    }
                    i += 2;
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'v' -> out.append('\u000b');
                        case 'a' -> out.append('\u0007');
                        case '0' -> out.append('\0');
                        case '\\', '\'', '"' -> out.append(e);
                        case '\n' -> { }
                        case 'x' -> out.append(hex(2));
                        case 'u' -> out.append(hex(4));
                        case 'U' -> out.appendCodePoint(Integer.parseInt(hexText(8), 16));
                        default -> out.append('\\').append(e);
                    }
                    continue;
                }
                out.append(ch);
                i++;
            }
        }
        if (!any) {
            throw fail();
        }
        return out.toString();
    }

    private char hex(int count) {
        return (char) Integer.parseInt(hexText(count), 16);
    }

    private String hexText(int count) {
        if (i + count > n || !JsonRepair.isHex(s, i, count)) {
            throw fail();
        }
        String text = s.substring(i, i + count);
        i += count;
        return text;
    }

    private Object number() {
        int start = i;
        if (s.startsWith("0x", i) || s.startsWith("0X", i) || s.startsWith("0o", i) || s.startsWith("0O", i)
                || s.startsWith("0b", i) || s.startsWith("0B", i)) {
            char kind = Character.toLowerCase(s.charAt(i + 1));
            i += 2;
            int digitsStart = i;
            while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String digits = s.substring(digitsStart, i).replace("_", "");
            int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
            try {
                BigInteger value = new BigInteger(digits, radix);
                return value.bitLength() < 64 ? (Object) value.longValue() : value;
            } catch (NumberFormatException e) {
                throw fail();
            }
        }
        boolean isFloat = false;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isDigit(c) || c == '_') {
                i++;
            } else if (c == '.') {
                isFloat = true;
                i++;
            } else if ((c == 'e' || c == 'E') && i + 1 < n) {
                isFloat = true;
                i++;
                if (s.charAt(i) == '+' || s.charAt(i) == '-') {
                    i++;
                }
            } else {
                break;
            }
        }
        String text = s.substring(start, i);
        if (text.startsWith("_") || text.endsWith("_") || text.contains("__") || text.contains("_.")
                || text.contains("._")) {
            throw fail();
        }
        text = text.replace("_", "");
        try {
            if (isFloat) {
                return Double.parseDouble(text);
            }
            if (text.length() > 1 && text.charAt(0) == '0' && !text.chars().allMatch(ch -> ch == '0')) {
                throw fail(); // leading zeros are a syntax error in Python 3
            }
            return JsonRepair.integer(text);
        } catch (NumberFormatException e) {
            throw fail();
        }
    }

    private void skipSpace() {
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\f' || (depth > 0 && (c == '\n' || c == '\r'))) {
                i++;
            } else if (c == '\\' && i + 1 < n && s.charAt(i + 1) == '\n') {
                i += 2;
            } else {
                break;
            }
        }
    }
}
