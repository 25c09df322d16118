package dev.dspy4j.internal.python;

import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * Reads the JSON-ish text LMs produce, with the semantics of Python's {@code json_repair.loads}
 * (which DSPy uses) for the common cases: valid JSON is read as Python's {@code json.loads} reads
 * it; otherwise a lenient reader accepts single or curly quotes, unquoted keys and values,
 * trailing or missing commas, missing closing brackets, Python's {@code True}/{@code False},
 * digit separators ({@code 123_456.789}), comments, markdown code fences and prose around the
 * value. Several top-level values come back as a list, as json_repair returns them.
 *
 * <p>Values are plain Java data: {@link java.util.LinkedHashMap}, {@link java.util.ArrayList}, {@link String},
 * {@link Long} (or {@link BigInteger} when out of range), {@link Double}, {@link Boolean} and
 * {@code null}.
 *
 * <p>json_repair has many more heuristics for badly broken text (e.g. splitting objects on
 * duplicate keys, regrouping rows); those are not reproduced. Stateless and thread-safe.
 */
public final class JsonRepair {

    private JsonRepair() {}

    /**
     * {@code json_repair.loads(text)}: the value read from {@code text}, or {@code ""} (the empty
     * string) when no JSON value could be found, as json_repair reports failure.
     *
     * @param text the LM's text
     * @return the value, {@code ""} if none
     */
    public static @Nullable Object loads(String text) {
        Object strict = StrictJson.tryParse(text);
        if (strict != StrictJson.INVALID) {
            return strict;
        }
        return new LenientJson(text).parseTopLevel();
    }

    /**
     * Python's {@code ast.literal_eval} for the literals an LM writes: strings (single, double
     * or triple quoted, adjacent ones joined), integers (with {@code _} separators, hex, octal,
     * binary), floats, {@code True}/{@code False}/{@code None}, lists, tuples and sets (as lists)
     * and dicts, with unary {@code +}/{@code -}.
     *
     * @param text the text
     * @return the value
     * @throws IllegalArgumentException if the text is not a single literal (Python raises
     *     {@code ValueError} or {@code SyntaxError})
     */
    public static @Nullable Object literalEval(String text) {
        return new PythonLiteral(text).parseWhole();
    }

    /**
     * The first balanced {@code {...}} span of {@code text} (braces counted without regard to
     * quotes, like DSPy's recursive regex), or {@code null} if there is none.
     */
    public static @Nullable String firstBalancedObject(String text) {
        int n = text.length();
        for (int start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
            int depth = 0;
            for (int i = start; i < n; i++) {
                char c = text.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (depth == 0) {
                        return text.substring(start, i + 1);
                    }
                }
            }
        }
        return null;
    }

    /** A Python {@code int} from its decimal digits: a {@link Long}, or a {@link BigInteger} when out of range. */
    public static Object integer(String text) {
        if (text.length() < 19) {
            return Long.parseLong(text);
        }
        BigInteger big = new BigInteger(text);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    static boolean isHex(String s, int from, int count) {
        for (int k = from; k < from + count; k++) {
            if (Character.digit(s.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }

}
