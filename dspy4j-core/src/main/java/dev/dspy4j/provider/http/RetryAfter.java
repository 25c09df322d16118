package dev.dspy4j.provider.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Reads how long a provider asks callers to wait: {@code retry-after-ms}, then {@code Retry-After}. */
final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The wait the headers ask for, or {@code null} if they say nothing usable. {@code retry-after-ms}
     * (OpenAI, milliseconds) wins over {@code Retry-After} (seconds or an HTTP-date).
     */
    static @Nullable Duration parse(HttpHeaders headers, Instant now) {
        Duration ms = headers.firstValue("retry-after-ms").map(RetryAfter::millis).orElse(null);
        return ms != null ? ms : headers.firstValue("retry-after").map(v -> seconds(v, now)).orElse(null);
    }

    static @Nullable Duration millis(String value) {
        try {
            double ms = Double.parseDouble(value.strip());
            return Double.isFinite(ms) && ms >= 0 ? Duration.ofNanos((long) (ms * 1_000_000)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static @Nullable Duration seconds(String value, Instant now) {
        String v = value.strip();
        if (v.isEmpty()) {
            return null;
        }
        if (Character.isDigit(v.charAt(0)) || v.charAt(0) == '.') {
            try {
                double s = Double.parseDouble(v);
                return Double.isFinite(s) && s >= 0 ? Duration.ofNanos((long) (s * 1_000_000_000L)) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A short human form: {@code 1.5 s}, {@code 250 ms}. */
    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0))
                + " s";
    }
}
