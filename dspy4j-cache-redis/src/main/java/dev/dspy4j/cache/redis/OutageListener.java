package dev.dspy4j.cache.redis;

import java.time.Duration;

/**
 * Told when the Redis of a {@link RedisCache} or a {@link RedisRateLimiter} becomes unavailable
 * (its circuit breaker opens) and when it is available again, once each per outage, on the thread
 * whose command caused the change. For metrics or alerts; both log the two events anyway. Set with
 * {@link RedisCache.Builder#outageListener} or {@link RedisRateLimiter.Builder#outageListener}. Methods must be quick and should not throw (an
 * exception is logged and ignored); both do nothing by default.
 */
public interface OutageListener {

    /**
     * Redis failed enough consecutive commands; it will be skipped for a while.
     *
     * @param server the server as {@code redis://host:port} (never with credentials), or
     *     {@code "a caller-supplied pool"}
     * @param cause the last failure
     */
    default void outageStarted(String server, Throwable cause) {
    }

    /**
     * A probe succeeded: Redis is used again.
     *
     * @param server the server as {@code redis://host:port} (never with credentials), or
     *     {@code "a caller-supplied pool"}
     * @param outage how long since the outage started
     */
    default void outageEnded(String server, Duration outage) {
    }
}
