package dev.dspy4j.internal;

import java.math.BigDecimal;

/**
 * Python's spelling of floats, shared by the signature types ({@code Literal[0.5, 1.0]}) and the
 * adapters' value rendering. Not public API.
 */
public final class PythonFloats {

    private PythonFloats() {}

    /**
     * Python's {@code repr(float)}: the shortest text that reads back as the same double, in
     * fixed notation for exponents from -4 to 15 ({@code 0.0001}, {@code 100.0}) and scientific
     * notation otherwise ({@code 1e-05}, {@code 1.5e+16}); {@code nan}, {@code inf}, {@code -inf}.
     *
     * @param value the float
     * @return its Python repr
     */
    public static String repr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (Double.doubleToRawLongBits(value) < 0) ? "-0.0" : "0.0";
        }
        // Java 19+ prints the shortest round-tripping digits; re-layout them the way Python does.
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int decpt = digits.length() - exact.scale(); // value = 0.DIGITS * 10^decpt
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                out.append("0.");
                out.repeat('0', -decpt);
                out.append(digits);
            } else if (decpt >= digits.length()) {
                out.append(digits);
                out.repeat('0', decpt - digits.length());
                out.append(".0");
            } else {
                out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decpt - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }
}
