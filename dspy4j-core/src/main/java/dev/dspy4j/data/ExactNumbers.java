package dev.dspy4j.data;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Converts a number to another Java numeric type only when the value survives unchanged. Parsed
 * outputs are {@link Long}, {@link BigInteger} or {@link Double} (Python's {@code int} and
 * {@code float}); callers often want an {@code int} or a {@code BigDecimal}.
 *
 * <p>Values are compared as the decimals they print as, because that is what the LM wrote:
 * {@code 0.85} may become a {@code float} (it prints {@code 0.85} there too) although no binary
 * float equals the double exactly. Stateless.
 */
final class ExactNumbers {

    /** The range of each whole-number target, as a bit length of its magnitude (two's complement). */
    private static final Map<Class<?>, Integer> WHOLE_BITS = Map.of(
            Long.class, 63, Integer.class, 31, Short.class, 15, Byte.class, 7);

    private ExactNumbers() {}

    /** Whether {@code boxed} is a numeric type {@link #convert} can produce. */
    static boolean isTarget(Class<?> boxed) {
        return WHOLE_BITS.containsKey(boxed) || boxed == BigInteger.class || boxed == BigDecimal.class
                || boxed == Double.class || boxed == Float.class;
    }

    /**
     * {@code value} as an instance of {@code boxed}.
     *
     * @param value the number
     * @param boxed a type for which {@link #isTarget} holds
     * @return the same value in the other type
     * @throws IllegalArgumentException saying why the value would change (not a whole number, out
     *     of range, more digits than the type holds, not finite)
     */
    static Object convert(Number value, Class<?> boxed) {
        if (value instanceof Double || value instanceof Float) {
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
                if (boxed == Double.class) {
                    return d;
                }
                if (boxed == Float.class) {
                    return (float) d;
                }
                throw new IllegalArgumentException("it is not a finite number");
            }
        }
        BigDecimal exact = decimal(value);
        if (boxed == BigDecimal.class) {
            return exact;
        }
        if (boxed == Double.class) {
            double d = exact.doubleValue();
            if (Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(exact) == 0) {
                return d;
            }
            throw new IllegalArgumentException("a Double cannot hold it exactly");
        }
        if (boxed == Float.class) {
            float f = exact.floatValue();
            if (Float.isFinite(f) && new BigDecimal(Float.toString(f)).compareTo(exact) == 0) {
                return f;
            }
            throw new IllegalArgumentException("a Float cannot hold it exactly");
        }
        BigInteger whole;
        try {
            whole = exact.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("it is not a whole number");
        }
        if (boxed == BigInteger.class) {
            return whole;
        }
        Integer bits = WHOLE_BITS.get(boxed);
        if (bits == null) {
            throw new IllegalStateException(boxed.getName() + " is not a type convert produces; check isTarget first");
        }
        if (whole.bitLength() > bits) {
            throw new IllegalArgumentException("it is outside the range of " + boxed.getSimpleName() + " ("
                    + BigInteger.ONE.shiftLeft(bits).negate() + " to " + BigInteger.ONE.shiftLeft(bits).subtract(
                            BigInteger.ONE) + ")");
        }
        long l = whole.longValue();
        if (boxed == Long.class) {
            return l;
        }
        if (boxed == Integer.class) {
            return (int) l;
        }
        return boxed == Short.class ? (Object) (short) l : (Object) (byte) l;
    }

    /** The decimal a finite number prints as. */
    private static BigDecimal decimal(Number value) {
        return switch (value) {
            case BigDecimal d -> d;
            case BigInteger i -> new BigDecimal(i);
            case Long l -> BigDecimal.valueOf(l);
            case Integer i -> BigDecimal.valueOf(i);
            case Short s -> BigDecimal.valueOf(s);
            case Byte b -> BigDecimal.valueOf(b);
            default -> {
                // Double and Float print their shortest round-tripping digits; other Number
                // implementations (AtomicLong, ...) print their value
                try {
                    yield new BigDecimal(value.toString());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("its type " + value.getClass().getName()
                            + " does not print as a decimal number");
                }
            }
        };
    }
}
