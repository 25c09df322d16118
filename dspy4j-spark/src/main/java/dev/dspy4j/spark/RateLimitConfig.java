package dev.dspy4j.spark;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * A provider rate limit that holds across all executors: one token bucket in Redis
 * ({@code dev.dspy4j.cache.redis.RedisRateLimiter}), shared by every executor's LM client.
 * Calls answered by the cache take no permit (the cache sits in front of the limiter).
 *
 * <pre>{@code
 * RateLimitConfig limit = RateLimitConfig.requestsPerMinute(600).burst(20).tokensPerMinute(200_000);
 * }</pre>
 *
 * <p>The bucket lives in the Redis of {@link #redis(String)}, or else in the job's
 * {@link CacheConfig} Redis; its name defaults to the model. Immutable and thread-safe.
 */
public final class RateLimitConfig implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The default longest wait of one call for a permit, after which it fails as rate limited. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(2);

    private final int requestsPerMinute;
    private final int burst;              // 0: the limiter's default
    private final int tokensPerMinute;    // 0: no token limit
    private final String bucket;          // null: the model
    private final Duration maxWait;
    private final Secret url;             // null: the cache's Redis

    private RateLimitConfig(int requestsPerMinute, int burst, int tokensPerMinute, String bucket, Duration maxWait,
                            Secret url) {
        this.requestsPerMinute = requestsPerMinute;
        this.burst = burst;
        this.tokensPerMinute = tokensPerMinute;
        this.bucket = bucket;
        this.maxWait = maxWait;
        this.url = url;
    }

    /**
     * At most {@code requests} LM requests per minute across all executors.
     *
     * @throws IllegalArgumentException if {@code requests < 1}
     */
    public static RateLimitConfig requestsPerMinute(int requests) {
        if (requests < 1) {
            throw new IllegalArgumentException("requestsPerMinute must be 1 or more, got " + requests);
        }
        return new RateLimitConfig(requests, 0, 0, null, DEFAULT_MAX_WAIT, null);
    }

    /**
     * The bucket's capacity: requests that may start at once after a quiet spell (default: one
     * second's worth, at least 1).
     *
     * @throws IllegalArgumentException if {@code requests < 1}
     */
    public RateLimitConfig burst(int requests) {
        if (requests < 1) {
            throw new IllegalArgumentException("burst must be 1 or more, got " + requests);
        }
        return new RateLimitConfig(requestsPerMinute, requests, tokensPerMinute, bucket, maxWait, url);
    }

    /**
     * At most {@code tokens} LLM tokens (prompt plus completion) per minute across all executors.
     *
     * @throws IllegalArgumentException if {@code tokens < 1}
     */
    public RateLimitConfig tokensPerMinute(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("tokensPerMinute must be 1 or more, got " + tokens);
        }
        return new RateLimitConfig(requestsPerMinute, burst, tokens, bucket, maxWait, url);
    }

    /** The bucket's name (default: the model), e.g. one per API key or organisation. */
    public RateLimitConfig bucket(String name) {
        Objects.requireNonNull(name, "bucket");
        if (name.isBlank()) {
            throw new IllegalArgumentException("bucket must not be blank");
        }
        return new RateLimitConfig(requestsPerMinute, burst, tokensPerMinute, name, maxWait, url);
    }

    /**
     * The longest one call waits for a permit; then it fails with {@code LmException.RateLimited}
     * naming the bucket (default {@link #DEFAULT_MAX_WAIT}).
     *
     * @throws IllegalArgumentException unless positive
     */
    public RateLimitConfig maxWait(Duration wait) {
        Objects.requireNonNull(wait, "maxWait");
        if (wait.isZero() || wait.isNegative()) {
            throw new IllegalArgumentException("maxWait must be positive, got " + wait);
        }
        return new RateLimitConfig(requestsPerMinute, burst, tokensPerMinute, bucket, wait, url);
    }

    /** The Redis that holds the bucket, if not the cache's ({@code redis://host:6379}). */
    public RateLimitConfig redis(String redisUrl) {
        CacheConfig.redis(redisUrl);   // same checks
        return new RateLimitConfig(requestsPerMinute, burst, tokensPerMinute, bucket, maxWait, Secret.of(redisUrl));
    }

    /** Requests per minute. */
    public int requestsPerMinute() {
        return requestsPerMinute;
    }

    /** The burst, or 0 for the limiter's default. */
    public int burst() {
        return burst;
    }

    /** Tokens per minute, or 0 for no token limit. */
    public int tokensPerMinute() {
        return tokensPerMinute;
    }

    /** The bucket's name, or {@code null} for the model's. */
    public String bucket() {
        return bucket;
    }

    /** The longest wait for a permit. */
    public Duration maxWait() {
        return maxWait;
    }

    /** The Redis URL given with {@link #redis(String)}, or {@code null}: for the executor runtime only. */
    String url() {
        return url == null ? null : url.reveal();
    }

    String fingerprintText() {
        return "rpm=" + requestsPerMinute + ";burst=" + burst + ";tpm=" + tokensPerMinute + ";bucket=" + bucket
                + ";maxWait=" + maxWait + ";url=" + (url == null ? "-" : url.fingerprint());
    }

    @Override
    public String toString() {
        return "RateLimitConfig[requestsPerMinute=" + requestsPerMinute + (burst == 0 ? "" : ", burst=" + burst)
                + (tokensPerMinute == 0 ? "" : ", tokensPerMinute=" + tokensPerMinute)
                + (bucket == null ? "" : ", bucket=" + bucket) + ", maxWait=" + maxWait
                + (url == null ? "" : ", redis=" + RedisUrls.mask(url.reveal())) + "]";
    }
}
