package dev.dspy4j.internal.python;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The lenient half of {@link JsonRepair#loads}: a forgiving recursive-descent reader modelled on
 * json_repair's parser (prose skipped at the top level, quotes optional, brackets closed at the
 * end of input, several top-level values returned as a list). One instance per text.
 */
final class LenientJson {
    private enum Context { NONE, KEY, VALUE, ARRAY }

    private final String s;
    private final int n;
    private int i;
    private Context context = Context.NONE;

    LenientJson(String s) {
        this.s = s;
        this.n = s.length();
    }

    Object parseTopLevel() {
        Object first = parseTopValue();
        if (i >= n) {
            return first;
        }
        List<Object> values = new ArrayList<>();
        values.add(first);
        while (i < n) {
            context = Context.NONE;
            boolean commaSeparated = nextIsCommaSeparated();
            int before = i;
            Object next = parseTopValue();
            if (isTruthy(next)) {
                Object last = values.get(values.size() - 1);
                if (!commaSeparated && sameShape(last, next)) {
                    values.remove(values.size() - 1);
                } else if (!isTruthy(last)) {
                    values.remove(values.size() - 1);
                }
                values.add(next);
            } else if (i == before) {
                i++;
            }
        }
        return values.size() == 1 ? values.get(0) : values;
    }

    private boolean nextIsCommaSeparated() {
        int j = i;
        while (j < n && Character.isWhitespace(s.charAt(j))) {
            j++;
        }
        if (j < n && s.charAt(j) == ',') {
            return true;
        }
        j = i - 1;
        while (j >= 0 && Character.isWhitespace(s.charAt(j))) {
            j--;
        }
        return j >= 0 && s.charAt(j) == ',';
    }

    private Object parseTopValue() {
        while (i < n) {
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                return parseObject();
            }
            if (c == '[') {
                i++;
                return parseArray();
            }
            if (c == '#' || (c == '/' && i + 1 < n && (s.charAt(i + 1) == '/' || s.charAt(i + 1) == '*'))) {
                skipComment();
                continue;
            }
            i++;
        }
        return "";
    }

    private Object parseValue() {
        while (i < n) {
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                return parseObject();
            }
            if (c == '[') {
                i++;
                return parseArray();
            }
            if (isQuote(c) || Character.isLetter(c)) {
                return parseString();
            }
            if (Character.isDigit(c) || c == '-' || c == '.') {
                return parseNumber();
            }
            if (c == '#' || (c == '/' && i + 1 < n && (s.charAt(i + 1) == '/' || s.charAt(i + 1) == '*'))) {
                skipComment();
                continue;
            }
            if (context == Context.VALUE && c == '}') {
                return "";
            }
            if (context == Context.ARRAY && c == ']') {
                return "";
            }
            i++;
        }
        return "";
    }

    private Map<String, Object> parseObject() {
        Context outer = context;
        Map<String, Object> object = new LinkedHashMap<>();
        while (true) {
            skipWhitespaceAndCommas();
            if (i >= n) {
                break;
            }
            char c = s.charAt(i);
            if (c == '}') {
                i++;
                break;
            }
            if (c == ']') { // a stray closing bracket: the object ends here
                break;
            }
            if (c == '#' || (c == '/' && i + 1 < n && (s.charAt(i + 1) == '/' || s.charAt(i + 1) == '*'))) {
                skipComment();
                continue;
            }
            context = Context.KEY;
            String key = parseKey();
            skipWhitespace();
            if (i < n && s.charAt(i) == ':') {
                i++;
            }
            context = Context.VALUE;
            skipWhitespace();
            Object value;
            if (i >= n || s.charAt(i) == ',' || s.charAt(i) == '}') {
                value = "";
            } else {
                value = parseValue();
            }
            if (!key.isEmpty() || !(value instanceof String v && v.isEmpty())) {
                object.put(key, value);
            }
        }
        context = outer;
        return object;
    }

    private String parseKey() {
        skipWhitespace();
        if (i >= n) {
            return "";
        }
        char c = s.charAt(i);
        if (isQuote(c)) {
            return quoted();
        }
        int start = i;
        while (i < n && s.charAt(i) != ':' && s.charAt(i) != '}' && s.charAt(i) != ',') {
            i++;
        }
        return PythonText.strip(s.substring(start, i));
    }

    private List<Object> parseArray() {
        Context outer = context;
        context = Context.ARRAY;
        List<Object> array = new ArrayList<>();
        while (true) {
            skipWhitespaceAndCommas();
            if (i >= n) {
                break;
            }
            char c = s.charAt(i);
            if (c == ']') {
                i++;
                break;
            }
            if (c == '}') { // a stray closing brace: the array ends here
                break;
            }
            int before = i;
            Object value;
            if (isQuote(c) && quotedStringIsKey()) {
                value = parseObject();
            } else {
                value = parseValue();
            }
            context = Context.ARRAY;
            if ("...".equals(value)) {
                continue;
            }
            if (value instanceof String v && v.isEmpty() && i == before) {
                i++;
                continue;
            }
            array.add(value);
        }
        context = outer;
        return array;
    }

    /** A quoted string followed by ':' inside an array is an object missing its '{'. */
    private boolean quotedStringIsKey() {
        char quote = closingQuote(s.charAt(i));
        int j = s.indexOf(quote, i + 1);
        if (j < 0) {
            return false;
        }
        j++;
        while (j < n && Character.isWhitespace(s.charAt(j))) {
            j++;
        }
        return j < n && s.charAt(j) == ':';
    }

    private Object parseString() {
        char c = s.charAt(i);
        if (isQuote(c)) {
            return quoted();
        }
        if (context != Context.KEY) {
            Object literal = tryLiteral();
            if (literal != NO_LITERAL) {
                return literal;
            }
        }
        return unquoted();
    }

    private static final Object NO_LITERAL = new Object();

    private Object tryLiteral() {
        String[] words = {"true", "false", "null"};
        Object[] values = {Boolean.TRUE, Boolean.FALSE, null};
        for (int w = 0; w < words.length; w++) {
            String word = words[w];
            if (i + word.length() <= n && s.regionMatches(true, i, word, 0, word.length())) {
                i += word.length();
                return values[w];
            }
        }
        return NO_LITERAL;
    }

    private String unquoted() {
        int start = i;
        while (i < n) {
            char c = s.charAt(i);
            if ((context == Context.VALUE && (c == ',' || c == '}'))
                    || (context == Context.ARRAY && (c == ',' || c == ']'))
                    || (context == Context.KEY && c == ':')
                    || (context == Context.VALUE && c == '\n' && nextLineStartsKey())) {
                break;
            }
            i++;
        }
        return stripTrailing(s.substring(start, i));
    }

    private boolean nextLineStartsKey() {
        int j = i + 1;
        while (j < n && Character.isWhitespace(s.charAt(j))) {
            j++;
        }
        return j < n && isQuote(s.charAt(j));
    }

    /** A quoted string; a closing quote counts only where the context allows the value to end. */
    private String quoted() {
        char open = s.charAt(i);
        char close = closingQuote(open);
        i++;
        StringBuilder out = new StringBuilder();
        int firstClose = -1;
        int firstCloseLength = -1;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n) {
                i = appendEscape(out, i);
                continue;
            }
            if (c == close || (open == '"' && c == '\u201d')) {
                if (c == close && endsValueHere(i + 1)) {
                    i++;
                    return out.toString();
                }
                if (firstClose < 0 && c == close) {
                    firstClose = i;
                    firstCloseLength = out.length();
                }
            }
            out.append(c);
            i++;
        }
        if (firstClose >= 0) {
            i = firstClose + 1;
            return out.substring(0, firstCloseLength);
        }
        i = n;
        return out.toString();
    }

    private boolean endsValueHere(int after) {
        int j = after;
        while (j < n && Character.isWhitespace(s.charAt(j))) {
            j++;
        }
        if (j >= n) {
            return true;
        }
        char next = s.charAt(j);
        return switch (context) {
            case KEY -> next == ':' || next == '}' ;
            case VALUE -> next == ',' || next == '}' || (next != ':' && isQuote(next) && j > after);
            case ARRAY -> next == ',' || next == ']';
            case NONE -> true;
        };
    }

    private int appendEscape(StringBuilder out, int at) {
        char e = s.charAt(at + 1);
        switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case '/' -> out.append('/');
            case '\\' -> out.append('\\');
            case '"', '\'' -> out.append(e);
            case 'u' -> {
                if (at + 6 <= n && JsonRepair.isHex(s, at + 2, 4)) {
                    out.append((char) Integer.parseInt(s.substring(at + 2, at + 6), 16));
                    return at + 6;
                }
                out.append('\\').append(e);
            }
            default -> out.append('\\').append(e);
        }
        return at + 2;
    }

    private Object parseNumber() {
        int start = i;
        StringBuilder digits = new StringBuilder();
        while (i < n) {
            char c = s.charAt(i);
            boolean numberChar = (c >= '0' && c <= '9') || c == '-' || c == '.' || c == 'e' || c == 'E'
                    || c == '/' || c == '_' || (c == ',' && context != Context.ARRAY);
            if (!numberChar) {
                break;
            }
            if (c != '_') {
                digits.append(c);
            }
            i++;
        }
        if (i < n && Character.isLetter(s.charAt(i))) {
            i = start;
            return unquoted();
        }
        if (!digits.isEmpty() && "-eE/,".indexOf(digits.charAt(digits.length() - 1)) >= 0) {
            digits.setLength(digits.length() - 1);
            i--;
        }
        String text = digits.toString();
        if (text.indexOf(',') >= 0) {
            return text;
        }
        try {
            if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
                if (text.indexOf('/') >= 0) {
                    return text;
                }
                return Double.parseDouble(text);
            }
            return JsonRepair.integer(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private void skipComment() {
        if (s.charAt(i) == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
            int end = s.indexOf("*/", i + 2);
            i = end < 0 ? n : end + 2;
            return;
        }
        while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
    }

    private void skipWhitespace() {
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private void skipWhitespaceAndCommas() {
        while (i < n && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ',')) {
            i++;
        }
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '\u201c' || c == '\u201d';
    }

    private static char closingQuote(char open) {
        return open == '\u201c' ? '\u201d' : open;
    }

    private static String stripTrailing(String text) {
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** Python truthiness of a plain value. */
    static boolean isTruthy(@Nullable Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Long l) {
            return l != 0;
        }
        if (value instanceof Double d) {
            return d != 0;
        }
        if (value instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** json_repair's "same object": equal key sets (recursively for nested objects), same kinds. */
    private static boolean sameShape(@Nullable Object a, @Nullable Object b) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Object key : ma.keySet()) {
                if (!sameShape(ma.get(key), mb.get(key))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            return la.size() == lb.size();
        }
        return a == null ? b == null : b != null && a.getClass() == b.getClass();
    }
}
