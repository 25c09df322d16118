package dev.dspy4j.cache;

import dev.dspy4j.DspyException;
import org.jspecify.annotations.Nullable;

/**
 * Stored cache bytes could not be read back as a response: corrupt, truncated, or written in a
 * format version this dspy4j does not know. Caches treat it as a miss and drop the entry; it
 * only reaches callers of {@link LmResponseCodec#decode(byte[])}.
 */
public class CacheFormatException extends DspyException {

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the stored bytes
     * @param cause the parse failure, or {@code null}
     */
    public CacheFormatException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
