package dev.dspy4j.cache;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Keys and values of cached embeddings, so that vectors live in the {@link LmCache} tiers beside LM
 * responses (memory, disk, Redis) without a second cache SPI.
 *
 * <p>A vector is stored as an {@link LmResponse} with one choice whose text is
 * {@value #PREFIX} followed by the base64 of the floats as little-endian IEEE 754 binary32 (4
 * bytes per dimension, so 2,048 characters for 384 dimensions), and whose finish reason is
 * {@value #FINISH_REASON}. Decoding is exact: the floats come back bit for bit. Anything else
 * under an embedding key (a foreign entry, another format version, a truncated value) decodes to
 * {@code null} and is treated as a miss.
 */
final class EmbeddingEntries {

    /** The text prefix of a stored vector; the trailing number is the format version. */
    static final String PREFIX = "dspy4j.embedding.v1:";

    /** The finish reason that marks a stored vector. */
    static final String FINISH_REASON = "embedding";

    private EmbeddingEntries() {
    }

    /**
     * The cache key of a text embedded by a model: SHA-256 (lower-case hex) of a version tag, the
     * model id and the text, each length-prefixed so that no two pairs hash the same input. The tag
     * keeps these keys apart from {@link CacheKey#of LM request keys}, which hash JSON.
     */
    static String key(String modelId, String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, "dspy4j.embedding-key.v1");
            update(digest, modelId);
            update(digest, text);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    /** The vector as a storable response. */
    static LmResponse encode(String modelId, float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        String text = PREFIX + Base64.getEncoder().encodeToString(buffer.array());
        return new LmResponse(List.of(new Choice(text, List.of(), null, FINISH_REASON)), Usage.ZERO, modelId, false);
    }

    /** The stored vector, or {@code null} if the response is not a vector in this format. */
    static float @Nullable [] decode(LmResponse response) {
        if (response.choices().size() != 1) {
            return null;
        }
        Choice choice = response.choices().get(0);
        String text = choice.text();
        if (!FINISH_REASON.equals(choice.finishReason()) || !text.startsWith(PREFIX)) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
            return null;
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
