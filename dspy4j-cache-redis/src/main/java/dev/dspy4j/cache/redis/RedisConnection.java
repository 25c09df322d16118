package dev.dspy4j.cache.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A Jedis pool and how to name its server in logs without credentials: one this module created
 * from a URL (and closes), or one a caller supplied (and closes).
 */
record RedisConnection(JedisPool pool, boolean owned, String where) {

    /** Parses and checks a Redis URL; the message never repeats the URL (it may hold a password). */
    static URI parseUrl(String url) {
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a URI: " + e.getReason(), e);
        }
        if (!JedisURIHelper.isValid(parsed)
                || !(JedisURIHelper.isRedisScheme(parsed) || JedisURIHelper.isRedisSSLScheme(parsed))) {
            throw new IllegalArgumentException(
                    "url must look like redis://host:port or rediss://host:port (scheme " + parsed.getScheme() + ")");
        }
        return parsed;
    }

    /** A pool of its own on {@code uri}: connect, read and pool-wait timeouts all {@code timeout}. */
    static RedisConnection open(URI uri, Duration timeout, int maxConnections) {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(maxConnections);
        config.setMaxIdle(maxConnections);
        config.setMinIdle(0);
        config.setBlockWhenExhausted(true);
        config.setMaxWait(timeout);
        config.setTestOnBorrow(false);
        config.setJmxEnabled(false);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        HostAndPort hostAndPort = JedisURIHelper.getHostAndPort(uri);
        return new RedisConnection(new JedisPool(config, uri, millis, millis), true,
                uri.getScheme() + "://" + hostAndPort.getHost() + ":" + hostAndPort.getPort());
    }

    /** The caller's pool, which it configures and closes. */
    static RedisConnection of(JedisPool pool) {
        return new RedisConnection(pool, false, "a caller-supplied pool");
    }

    /**
     * Whether a failed command failed because its caller was interrupted, not because Redis is
     * down: on a virtual thread an interrupt closes the socket under a running command. Such a
     * failure must not count toward an outage, or one cancelled call would make every other
     * caller skip Redis until the breaker closes again.
     */
    static boolean callerInterrupted(Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.ClosedByInterruptException
                    || t instanceof java.io.InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** Closes the pool if it was created here. */
    void close() {
        if (owned) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return where;
    }
}
