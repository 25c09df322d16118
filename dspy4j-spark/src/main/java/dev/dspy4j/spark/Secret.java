package dev.dspy4j.spark;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A credential that travels with a job but never shows: {@link #toString()} is a placeholder, and
 * only {@link #reveal()} gives the value, to the code that builds the client.
 */
final class Secret implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    static Secret of(String value) {
        Objects.requireNonNull(value, "apiKey");
        if (value.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank (or use apiKeyFromEnv)");
        }
        return new Secret(value);
    }

    String reveal() {
        return value;
    }

    /** A one-way hash, so two jobs with different keys get different executor runtimes. */
    String fingerprint() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("dspy4j-spark:" + value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "<secret>";
    }
}
