package dev.dspy4j.cache;

import dev.dspy4j.lm.LmResponse;
import java.util.Optional;

/**
 * A store of LM responses by cache key: the SPI behind {@link CacheInterceptor}. Implemented by
 * {@link MemoryCache}, {@link DiskCache}, {@link TieredCache} and, in the
 * {@code dspy4j-cache-redis} module, {@code RedisCache}.
 *
 * <p><b>Contract.</b> Implementations are thread-safe. A cache is an optimization, so an
 * infrastructure failure (disk full, unreadable directory, unreachable server, a corrupt entry)
 * must not reach the caller: {@link #get} reports a miss and {@link #put} drops the entry, and
 * the implementation logs the failure (at WARN, once per outage, not once per call). Only
 * programming errors, such as a {@code null} argument, throw.
 *
 * <p>Keys are opaque strings, normally the SHA-256 hex from {@link CacheKey#of}. Stored
 * responses are returned as stored; {@link CacheInterceptor} marks them as hits.
 */
public interface LmCache extends AutoCloseable {

    /**
     * Looks a response up.
     *
     * @param key the cache key
     * @return the stored response, or empty on a miss (including when the tier is unavailable)
     * @throws NullPointerException if {@code key} is null
     */
    Optional<LmResponse> get(String key);

    /**
     * Stores a response, replacing any response stored under the same key.
     *
     * @param key the cache key
     * @param response the response to store
     * @throws NullPointerException if an argument is null
     */
    void put(String key, LmResponse response);

    /** Releases the tier's resources (connections, pools). Does nothing by default. */
    @Override
    default void close() {
    }
}
