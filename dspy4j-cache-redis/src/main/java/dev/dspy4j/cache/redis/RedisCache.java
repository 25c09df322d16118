package dev.dspy4j.cache.redis;

import dev.dspy4j.cache.CacheFormatException;
import dev.dspy4j.cache.LmCache;
import dev.dspy4j.cache.LmResponseCodec;
import dev.dspy4j.lm.LmResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * A cache tier on Redis, shared by every process and machine that points at the same server:
 * put it last in a {@link dev.dspy4j.cache.TieredCache}, behind memory and disk.
 *
 * <pre>{@code
 * LmCache redis = RedisCache.builder().url("redis://127.0.0.1:6379").ttl(Duration.ofDays(7)).build();
 * Lm lm = client.withInterceptors(new CacheInterceptor(
 *         TieredCache.of(new MemoryCache(10_000), DiskCache.atDefaultDirectory(), redis)));
 * }</pre>
 *
 * <p>Each response is one Redis string: key {@code <prefix><cache key>}, value the
 * {@link LmResponseCodec} bytes (a Redis write is atomic, so no further framing is needed), with
 * an optional expiry. Values that do not decode are deleted and served as misses.
 *
 * <p><b>Outages.</b> Connections come from a Jedis pool with short timeouts (2 s by default). If
 * Redis is down, hung, slow or refuses a command, {@link #get} returns a miss and {@link #put}
 * drops the entry. A Redis outage never fails an LM call, and a circuit breaker keeps it from
 * slowing every call down:
 * <ul>
 *   <li><b>Closed</b> (normal): every command goes to Redis. After 3 consecutive failures
 *       (timeouts, refused connections, errors; see {@link Builder#circuitBreaker}) it opens and
 *       logs one WARN.
 *   <li><b>Open</b>: {@link #get} misses and {@link #put} drops at once, without touching the
 *       network, for 30 s.
 *   <li><b>Half-open</b>: then the next command is sent as a probe, with the usual timeout, while
 *       concurrent commands keep skipping. If it succeeds the breaker closes and logs one INFO; if
 *       it fails the breaker stays open for another 30 s (logged at DEBUG).
 * </ul>
 * So a hung Redis costs the first few calls their timeouts and then one command per 30 s, and
 * each outage is logged twice, when it starts and when it ends. Failures below the threshold are
 * logged at DEBUG. An {@link OutageListener} is told of the same two events.
 *
 * <p>Thread-safe. {@link #close()} closes the pool if this cache created it. The URL's password
 * never appears in logs or {@link #toString()}.
 */
public final class RedisCache implements LmCache {

    /** The key prefix unless configured. */
    public static final String DEFAULT_PREFIX = "dspy4j:lm:";

    private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);

    private final JedisPool pool;
    private final boolean ownsPool;
    private final String prefix;
    private final Duration ttl;
    private final String where;
    private final OutageListener listener;
    private final Duration openFor;
    private final CircuitBreaker breaker;

    private RedisCache(Builder b) {
        this.prefix = b.prefix;
        this.ttl = b.ttl;
        this.listener = b.listener;
        this.openFor = b.openFor;
        RedisConnection connection = b.pool != null
                ? RedisConnection.of(b.pool) : RedisConnection.open(b.uri, b.timeout, b.maxConnections);
        this.pool = connection.pool();
        this.ownsPool = connection.owned();
        this.where = connection.where();
        this.breaker = new CircuitBreaker(b.failureThreshold, b.openFor, b.nanoTime, new CircuitBreaker.Transitions() {
            @Override
            public void opened(Throwable cause) {
                outageStarted(cause);
            }

            @Override
            public void closed(Duration outage) {
                outageEnded(outage);
            }
        });
    }

    /** A builder; {@link Builder#url(String)} or {@link Builder#pool(JedisPool)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A cache on the Redis at {@code url}, with the default prefix, no expiry and 2 s timeouts.
     *
     * @param url {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://...}
     * @return the cache (no connection is made until first use)
     * @throws IllegalArgumentException if the URL is not a Redis URL
     */
    public static RedisCache at(String url) {
        return builder().url(url).build();
    }

    /** The prefix put before every cache key. */
    public String keyPrefix() {
        return prefix;
    }

    /** The expiry of new entries, or empty if they do not expire. */
    public Optional<Duration> ttl() {
        return Optional.ofNullable(ttl);
    }

    @Override
    public Optional<LmResponse> get(String key) {
        byte[] redisKey = redisKey(key);
        if (!breaker.allow()) {
            return Optional.empty();
        }
        byte[] value;
        try (Jedis jedis = pool.getResource()) {
            value = jedis.get(redisKey);
            succeeded();
        } catch (JedisException | IllegalStateException e) {
            failed("GET", e);
            return Optional.empty();
        }
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LmResponseCodec.decode(value));
        } catch (CacheFormatException e) {
            LOG.debug("Dropping unreadable Redis cache entry {}{}: {}", prefix, key, e.getMessage());
            try (Jedis jedis = pool.getResource()) {
                jedis.del(redisKey);
            } catch (JedisException | IllegalStateException ignored) {
                // it stays a miss either way
            }
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, LmResponse response) {
        byte[] redisKey = redisKey(key);
        byte[] value = LmResponseCodec.encode(Objects.requireNonNull(response, "response"));
        if (!breaker.allow()) {
            return;
        }
        try (Jedis jedis = pool.getResource()) {
            if (ttl == null) {
                jedis.set(redisKey, value);
            } else {
                jedis.set(redisKey, value, SetParams.setParams().px(ttl.toMillis()));
            }
            succeeded();
        } catch (JedisException | IllegalStateException e) {
            failed("SET", e);
        }
    }

    private byte[] redisKey(String key) {
        return (prefix + Objects.requireNonNull(key, "key")).getBytes(StandardCharsets.UTF_8);
    }

    private void failed(String command, Exception e) {
        if (RedisConnection.callerInterrupted(e)) {
            LOG.debug("Redis cache at {}: {} abandoned, its caller was interrupted", where, command);
            return;
        }
        if (!breaker.failed(new RedisCommandFailure(command, e)) && LOG.isDebugEnabled()) {
            LOG.debug("Redis cache at {}: {} failed: {}", where, command, e.toString());
        }
    }

    private void succeeded() {
        breaker.succeeded();
    }

    private void outageStarted(Throwable cause) {
        LOG.warn("Redis cache at {} unavailable ({}); serving misses without asking it for {}, then probing",
                where, cause.getMessage(), openFor);
        try {
            listener.outageStarted(where, cause.getCause());
        } catch (RuntimeException e) {
            LOG.warn("OutageListener {} failed on outageStarted", listener, e);
        }
    }

    private void outageEnded(Duration outage) {
        LOG.info("Redis cache at {} available again after {}", where, outage);
        try {
            listener.outageEnded(where, outage);
        } catch (RuntimeException e) {
            LOG.warn("OutageListener {} failed on outageEnded", listener, e);
        }
    }

    /** Whether the circuit breaker is open (or probing): commands are being skipped. */
    boolean breakerOpen() {
        return breaker.isOpen();
    }

    /** Closes the connection pool if this cache created it. */
    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "RedisCache[" + where + ", prefix=" + prefix + (ttl != null ? ", ttl=" + ttl : "")
                + (breaker.isOpen() ? ", unavailable" : "") + "]";
    }

    /** Names the command in the breaker's cause without losing the Jedis exception. */
    private static final class RedisCommandFailure extends Exception {
        RedisCommandFailure(String command, Exception cause) {
            super(command + " failed: " + cause, cause, false, false);
        }
    }

    /** Configures a {@link RedisCache}. Each setting is validated as it is set. Not thread-safe. */
    public static final class Builder {
        private URI uri;
        private JedisPool pool;
        private String prefix = DEFAULT_PREFIX;
        private Duration ttl;
        private Duration timeout = Duration.ofSeconds(2);
        private int maxConnections = 16;
        private int failureThreshold = 3;
        private Duration openFor = Duration.ofSeconds(30);
        private OutageListener listener = new OutageListener() { };
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /**
         * The server, as a Redis URL. Exclusive with {@link #pool(JedisPool)}.
         *
         * @param url {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://...}
         * @return this builder
         * @throws IllegalArgumentException if it is not a Redis URL, or a pool was set
         */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            if (pool != null) {
                throw new IllegalArgumentException("url conflicts with pool: set one of them");
            }
            this.uri = RedisConnection.parseUrl(url);
            return this;
        }

        /**
         * A pool owned by the caller, who configures it and closes it. Exclusive with
         * {@link #url(String)}; {@link #timeout} and {@link #maxConnections} then do not apply.
         *
         * @param pool the pool
         * @return this builder
         * @throws IllegalArgumentException if a URL was set
         */
        public Builder pool(JedisPool pool) {
            Objects.requireNonNull(pool, "pool");
            if (uri != null) {
                throw new IllegalArgumentException("pool conflicts with url: set one of them");
            }
            this.pool = pool;
            return this;
        }

        /**
         * The prefix of every Redis key, to share a database with other data or other caches.
         *
         * @param prefix any string, may be empty; default {@value RedisCache#DEFAULT_PREFIX}
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Makes entries expire this long after they are written.
         *
         * @param ttl at least one millisecond, or {@code null} for no expiry (the default)
         * @return this builder
         * @throws IllegalArgumentException if {@code ttl} is shorter than one millisecond
         */
        public Builder ttl(Duration ttl) {
            if (ttl != null && ttl.toMillis() < 1) {
                throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * The connect, read and pool-wait timeout: how long a lookup may stall when Redis is slow
         * or unreachable before it counts as a miss.
         *
         * @param timeout at least one millisecond; default 2 s
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is shorter than one millisecond
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Settings.atLeastOneMilli("timeout", timeout);
            return this;
        }

        /**
         * The pool's size; callers beyond it wait up to {@link #timeout}.
         *
         * @param maxConnections at least 1; default 16
         * @return this builder
         * @throws IllegalArgumentException if {@code maxConnections} is below 1
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = Settings.atLeastOne("maxConnections", maxConnections);
            return this;
        }

        /**
         * The circuit breaker: after {@code consecutiveFailures} failed commands in a row, Redis
         * is not asked at all for {@code openFor} (lookups miss and stores are dropped at once);
         * then one command probes it, and its success closes the breaker.
         *
         * @param consecutiveFailures at least 1; default 3
         * @param openFor at least one millisecond; default 30 s
         * @return this builder
         * @throws IllegalArgumentException if {@code consecutiveFailures} is below 1 or
         *     {@code openFor} is shorter than one millisecond
         */
        public Builder circuitBreaker(int consecutiveFailures, Duration openFor) {
            this.failureThreshold = Settings.atLeastOne("circuitBreaker consecutiveFailures", consecutiveFailures);
            this.openFor = Settings.atLeastOneMilli("circuitBreaker openFor", openFor);
            return this;
        }

        /**
         * Told when an outage starts and ends (see {@link OutageListener}), besides the logs.
         *
         * @param listener the listener; default none
         * @return this builder
         */
        public Builder outageListener(OutageListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The breaker's clock, {@code System::nanoTime} unless a test replaces it. */
        Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * The cache. No connection is made until its first use.
         *
         * @return the cache
         * @throws IllegalStateException if neither url nor pool was set
         */
        public RedisCache build() {
            if (uri == null && pool == null) {
                throw new IllegalStateException("set url(...) or pool(...) before build()");
            }
            return new RedisCache(this);
        }
    }
}
