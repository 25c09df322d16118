package dev.dspy4j.saved;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares values as Python compares them after a JSON round trip: numbers by their value, so an
 * int read from a DSPy file as {@link Integer} equals the {@link Long} a prediction holds and
 * {@code 3} equals {@code 3.0}; lists item by item, in order; maps key by key, in any order.
 * Booleans are not numbers here (JSON keeps {@code true} and {@code 1} apart); everything else
 * compares with {@code equals}.
 */
final class ByValue {

    /** For AssertJ's {@code usingComparator}: 0 when the values are equal by value. */
    static final Comparator<Object> COMPARATOR = (a, b) -> equal(a, b) ? 0 : 1;

    private ByValue() {}

    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            BigDecimal x = decimal((Number) a);
            BigDecimal y = decimal((Number) b);
            return x != null && y != null ? x.compareTo(y) == 0 : Objects.equals(a, b)
                    || ((Number) a).doubleValue() == ((Number) b).doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!equal(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> entry : x.entrySet()) {
                if (!equal(entry.getValue(), y.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean isNumber(Object value) {
        return value instanceof Number;
    }

    /** The decimal a number prints as, or {@code null} for NaN and the infinities. */
    private static BigDecimal decimal(Number n) {
        return switch (n) {
            case BigDecimal d -> d;
            case BigInteger i -> new BigDecimal(i);
            case Double d -> Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
            case Float f -> Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
            default -> BigDecimal.valueOf(n.longValue());
        };
    }
}
