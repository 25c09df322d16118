package dev.dspy4j.retrieve;

import dev.dspy4j.cache.LmCache;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Keys and values of cached {@link ColBertV2} answers, so that they live in the {@link LmCache}
 * tiers beside LM responses (memory, disk, Redis) without a second cache SPI, as embeddings do.
 *
 * <p>An answer is stored as its JSON body, verbatim, in an {@link LmResponse} with one choice whose
 * text is {@value #PREFIX} followed by the body and whose finish reason is {@value #FINISH_REASON};
 * a hit is parsed as if it had just arrived. Anything else under an answer key (a foreign entry,
 * another format version) is a miss.
 */
final class ColBertV2Answers {

    /** The text prefix of a stored answer; the trailing number is the format version. */
    static final String PREFIX = "dspy4j.colbertv2.v1:";

    /** The finish reason that marks a stored answer. */
    static final String FINISH_REASON = "colbertv2";

    private ColBertV2Answers() {}

    /**
     * The cache key of a search: SHA-256 (lower-case hex) of a version tag, the URL, the method, the
     * query and {@code k}, each length-prefixed so that no two searches hash the same input. The tag
     * keeps these keys apart from LM request and embedding keys.
     */
    static String key(URI url, boolean post, String query, int k) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, "dspy4j.colbertv2-key.v1");
            update(digest, url.toString());
            update(digest, post ? "POST" : "GET");
            update(digest, query);
            update(digest, Integer.toString(k));
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

    /** The stored body under {@code key}, or {@code null} on a miss (or an entry in another format). */
    static byte @Nullable [] lookup(LmCache cache, String key) {
        Optional<LmResponse> stored = cache.get(key);
        if (stored.isEmpty() || stored.get().choices().size() != 1) {
            return null;
        }
        Choice choice = stored.get().choices().get(0);
        if (!FINISH_REASON.equals(choice.finishReason()) || !choice.text().startsWith(PREFIX)) {
            return null;
        }
        return choice.text().substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8);
    }

    /** Stores a body that parsed as a good answer. */
    static void store(LmCache cache, String key, URI url, byte[] body) {
        String text = PREFIX + new String(body, StandardCharsets.UTF_8);
        cache.put(key, new LmResponse(List.of(new Choice(text, List.of(), null, FINISH_REASON)), Usage.ZERO,
                url.toString(), false));
    }
}
