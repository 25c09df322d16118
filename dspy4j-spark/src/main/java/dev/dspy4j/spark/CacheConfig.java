package dev.dspy4j.spark;

import dev.dspy4j.cache.redis.RedisCache;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The LM response cache every executor shares: a Redis tier ({@link RedisCache}), optionally with
 * a small in-memory tier in front on each executor. Because all executors and all runs share it, a
 * re-run of a job (or of a job killed mid-way) pays only for the rows not answered before.
 *
 * <pre>{@code
 * CacheConfig cache = CacheConfig.redis("redis://cache:6379").ttl(Duration.ofDays(7)).memoryEntries(10_000);
 * }</pre>
 *
 * <p>The URL may carry a password; it is masked in {@link #toString()}. Immutable and thread-safe.
 */
public final class CacheConfig implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Secret url;
    private final String keyPrefix;
    private final Duration ttl;          // null: entries never expire
    private final int memoryEntries;    // 0: no memory tier

    private CacheConfig(Secret url, String keyPrefix, Duration ttl, int memoryEntries) {
        this.url = url;
        this.keyPrefix = keyPrefix;
        this.ttl = ttl;
        this.memoryEntries = memoryEntries;
    }

    /**
     * The Redis at {@code url} ({@code redis://host:port} or {@code rediss://user:password@host:port/db}),
     * with {@link RedisCache#DEFAULT_PREFIX}, no expiry and no memory tier.
     *
     * @throws IllegalArgumentException if the URL is not a redis(s) URL with a host
     */
    public static CacheConfig redis(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Redis URL " + RedisUrls.mask(url) + " is malformed", e);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("redis") || uri.getScheme().equals("rediss"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("Redis URL " + RedisUrls.mask(url)
                    + " must look like redis://host:6379 (or rediss:// for TLS)");
        }
        return new CacheConfig(Secret.of(url), RedisCache.DEFAULT_PREFIX, null, 0);
    }

    /** This cache with another key prefix (default {@value RedisCache#DEFAULT_PREFIX}). */
    public CacheConfig keyPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("keyPrefix must not be empty; it keeps dspy4j's keys apart");
        }
        return new CacheConfig(url, prefix, ttl, memoryEntries);
    }

    /** This cache with entries expiring after {@code ttl}. @throws IllegalArgumentException unless positive */
    public CacheConfig ttl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        return new CacheConfig(url, keyPrefix, ttl, memoryEntries);
    }

    /**
     * This cache with an in-memory tier of at most {@code entries} responses per executor in front
     * of Redis (0 for none, the default).
     *
     * @throws IllegalArgumentException if negative
     */
    public CacheConfig memoryEntries(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("memoryEntries must be 0 or more, got " + entries);
        }
        return new CacheConfig(url, keyPrefix, ttl, entries);
    }

    /** The key prefix. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The entries' time to live, or {@code null} if they never expire. */
    public Duration ttl() {
        return ttl;
    }

    /** The entries of the in-memory tier per executor, 0 for none. */
    public int memoryEntries() {
        return memoryEntries;
    }

    /** The Redis URL, password included: for the executor runtime only. */
    String url() {
        return url.reveal();
    }

    String fingerprintText() {
        return "url=" + url.fingerprint() + ";prefix=" + keyPrefix + ";ttl=" + ttl + ";memory=" + memoryEntries;
    }

    /** The settings, the URL's password masked. */
    @Override
    public String toString() {
        return "CacheConfig[redis=" + RedisUrls.mask(url.reveal()) + ", keyPrefix=" + keyPrefix
                + (ttl == null ? "" : ", ttl=" + ttl) + (memoryEntries == 0 ? "" : ", memoryEntries=" + memoryEntries) + "]";
    }
}
