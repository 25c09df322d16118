package dev.dspy4j.cache.redis;

import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import redis.clients.jedis.JedisPool;

/**
 * A rate limit shared by every process and machine that names the same bucket on the same Redis:
 * for a provider whose requests-per-minute and tokens-per-minute limits hold across all of them
 * (Spark executors, a fleet of services).
 *
 * <pre>{@code
 * RedisRateLimiter limiter = RedisRateLimiter.builder()
 *         .url("redis://127.0.0.1:6379")
 *         .bucket("openai/gpt-4o-mini")
 *         .requestsPerMinute(600)
 *         .tokensPerMinute(200_000)
 *         .build();
 * Lm lm = client.withInterceptors(Retry.defaults(), new CacheInterceptor(cache), limiter);
 * }</pre>
 *
 * <p><b>Where in the chain.</b> Put the cache in front of the limiter: a call the cache answers
 * never reaches the limiter and takes no permit. Put {@link dev.dspy4j.lm.Retry} in front too, so
 * each attempt takes its own permit (a {@link LmException.RateLimited} from this limiter is
 * retryable and carries a {@code retryAfter}, so {@code Retry} may wait once more).
 *
 * <p><b>Algorithm.</b> Two buckets (GCRA, the token bucket expressed as a theoretical arrival
 * time) in one Redis hash at {@code keyPrefix + bucket}, read and updated by one Lua script, so
 * concurrent callers anywhere never both take the last permit. Time is the Redis server's
 * ({@code TIME}), so clients with skewed clocks agree. The key expires a minute after the bucket
 * is full again, so idle buckets vanish. A call first needs one request permit (at most
 * {@code burst} at once, refilled at the configured rate) and, with a token limit, a token bucket
 * that is not in debt; after the response, its usage's total tokens are charged, which may push the
 * token bucket into debt that later callers wait out. A caller without a permit sleeps until one
 * can exist (with a little jitter) and asks again; it never spins. If no permit can exist within
 * {@code maxWait} it gets {@link LmException.RateLimited} at once, naming the bucket, with the
 * wait as its {@code retryAfter}.
 *
 * <p><b>Streams</b> take a request permit before they start; their tokens are charged when they are
 * read to the end (a stream closed early charges nothing).
 *
 * <p><b>Outages.</b> Every Redis command has a timeout (1 s by default), and the same circuit
 * breaker as {@link RedisCache} stops asking a failing Redis for a while. While Redis is
 * unavailable, {@link OutagePolicy#LOCAL_FALLBACK} (the default) limits requests with an
 * in-process bucket at {@link Builder#fallbackRequestsPerSecond} (tokens are not limited, and
 * charges are dropped), and logs one WARN per outage; {@link OutagePolicy#FAIL} throws an
 * {@link LmException} instead. An {@link OutageListener} hears of both ends of each outage.
 *
 * <p>Thread-safe. {@link #close()} closes the pool if this limiter created it. The URL's password
 * never appears in logs, messages or {@link #toString()}.
 */
public final class RedisRateLimiter implements LmInterceptor, AutoCloseable {

    /** The key prefix unless configured. */
    public static final String DEFAULT_PREFIX = "dspy4j:ratelimit:";

    private static final long MAX_JITTER_MILLIS = 25;
    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    /** What a limiter does while Redis is unavailable (down, hung, slow, breaker open). */
    public enum OutagePolicy {
        /** Throw an {@link LmException}: no call is sent without the shared limit. */
        FAIL,
        /** Limit this process alone with a local bucket at the fallback rate, and warn once. */
        LOCAL_FALLBACK
    }

    /**
     * What a limiter has done since it was built.
     *
     * @param granted permits given, from Redis or from the local fallback
     * @param waitedNanos the total time callers slept waiting for the permits they got or missed
     * @param rejected callers that got {@link LmException.RateLimited} (no permit within their wait)
     * @param fallbackGrants the part of {@code granted} that came from the local fallback bucket
     */
    public record Stats(long granted, long waitedNanos, long rejected, long fallbackGrants) {
    }

    private final SharedBucket shared;
    private final String bucket;
    private final String key;
    private final double perSecond;
    private final int burst;
    private final long tokensPerMinute;
    private final Duration maxWait;
    private final OutagePolicy policy;

    private final LongAdder granted = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    private RedisRateLimiter(Builder b) {
        this.bucket = b.bucket;
        this.key = b.prefix + b.bucket;
        this.perSecond = b.perSecond;
        this.burst = b.burst > 0 ? b.burst : (int) Math.max(1, Math.ceil(b.perSecond));
        this.tokensPerMinute = b.tokensPerMinute;
        this.maxWait = b.maxWait;
        this.policy = b.policy;
        RedisConnection redis = b.pool != null
                ? RedisConnection.of(b.pool) : RedisConnection.open(b.url, b.timeout, b.maxConnections);
        this.shared = new SharedBucket(redis, bucket, key, perSecond, burst, tokensPerMinute, policy,
                b.fallbackPerSecond > 0 ? b.fallbackPerSecond : b.perSecond, b.failureThreshold, b.openFor,
                b.nanoTime, b.listener, b.clockMicros);
    }

    /** A builder; {@code url} or {@code pool}, {@code bucket} and a request rate are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bucket's name, as given to {@link Builder#bucket}. */
    public String bucket() {
        return bucket;
    }

    /**
     * Takes one request permit (and, with a token limit, waits until the token bucket is out of
     * debt), sleeping as long as needed but no longer than {@code maxWait}. For work outside LM
     * calls too; {@link #intercept} calls it with the builder's {@code maxWait}.
     *
     * @param maxWait how long to wait at most; zero means "only if a permit is free now"
     * @throws LmException.RateLimited if no permit can exist within {@code maxWait} (its
     *     {@code retryAfter} says when one will); the message names the bucket
     * @throws LmException if the thread is interrupted while waiting (its interrupt flag is set
     *     again), or if Redis is unavailable under {@link OutagePolicy#FAIL}
     */
    public void acquire(Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        long start = System.nanoTime();
        long budget = maxWait.isNegative() ? 0 : maxWait.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : maxWait.toNanos();
        try {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long waitMillis = shared.tryAcquire();
                long now = System.nanoTime();
                if (waitMillis == 0) {
                    granted.increment();
                    waitedNanos.add(now - start);
                    return;
                }
                long left = budget - (now - start);
                long waitNanos = waitMillis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : waitMillis * 1_000_000;
                if (waitNanos > left) {
                    rejected.increment();
                    waitedNanos.add(now - start);
                    throw new LmException.RateLimited("Rate limit bucket '" + bucket + "': the next permit is "
                            + Duration.ofMillis(waitMillis) + " away, longer than the wait allowed (" + maxWait
                            + "); the call was not sent. Allow a longer maxWait, send fewer calls at once, "
                            + "or raise the limit if the provider allows more.", null, 0, null,
                            Duration.ofMillis(waitMillis));
                }
                long jitter = ThreadLocalRandom.current().nextLong(Math.min(MAX_JITTER_MILLIS, waitMillis / 10) + 1);
                Thread.sleep(Duration.ofNanos(waitNanos + Math.min(jitter * 1_000_000, left - waitNanos)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waitedNanos.add(System.nanoTime() - start);
            throw new LmException("Interrupted while waiting for a permit of rate limit bucket '" + bucket
                    + "'; the call was not sent.", false, e);
        }
    }

    /**
     * Charges tokens to the token bucket (after a call that used them), possibly into debt that
     * later callers wait out. Does nothing without a token limit, and drops the charge (with a
     * DEBUG log) while Redis is unavailable. Never throws for Redis failures.
     *
     * @param tokens tokens used; zero or less does nothing
     */
    public void chargeTokens(long tokens) {
        if (tokensPerMinute > 0 && tokens > 0) {
            shared.charge(tokens);
        }
    }

    /**
     * Takes a permit with {@link #acquire} and {@code maxWait}, sends the call, and charges the
     * response's total tokens unless a cache behind this limiter answered it.
     *
     * @throws LmException.RateLimited if no permit can exist within {@code maxWait}
     */
    @Override
    public LmResponse intercept(LmRequest request, Chain chain) {
        acquire(maxWait);
        LmResponse response = chain.proceed(request);
        if (!response.cacheHit()) {
            chargeTokens(response.usage().totalTokens());
        }
        return response;
    }

    /**
     * Takes a permit before the stream starts; charges its total tokens when it is read to the
     * end.
     *
     * @throws LmException.RateLimited if no permit can exist within {@code maxWait}
     */
    @Override
    public LmStream interceptStream(LmRequest request, Chain chain) {
        acquire(maxWait);
        LmStream stream = chain.proceedStream(request);
        if (tokensPerMinute <= 0) {
            return stream;
        }
        return LmStream.observed(stream, response -> chargeTokens(response.usage().totalTokens()), failure -> { });
    }

    /** Counts of what this limiter (this instance, not the whole bucket) has done. */
    public Stats stats() {
        return new Stats(granted.sum(), waitedNanos.sum(), rejected.sum(), shared.fallbackGrants());
    }

    /** Whether the circuit breaker is open (or probing), for tests. */
    boolean breakerOpen() {
        return shared.breakerOpen();
    }

    /** Closes the connection pool if this limiter created it. */
    @Override
    public void close() {
        shared.close();
    }

    @Override
    public String toString() {
        return "RedisRateLimiter[" + shared.where() + ", bucket=" + key + ", " + perSecond + "/s, burst=" + burst
                + (tokensPerMinute > 0 ? ", tokensPerMinute=" + tokensPerMinute : "") + ", onOutage=" + policy
                + (shared.breakerOpen() ? ", unavailable" : "") + "]";
    }

    /**
     * Configures a {@link RedisRateLimiter}. Each setting is validated as it is set; conflicting
     * settings name each other. Not thread-safe.
     */
    public static final class Builder {
        private URI url;
        private JedisPool pool;
        private String bucket;
        private String prefix = DEFAULT_PREFIX;
        private double perSecond;
        private String rateSetBy;
        private int burst;
        private long tokensPerMinute;
        private Duration maxWait = Duration.ofMinutes(1);
        private Duration timeout = Duration.ofSeconds(1);
        private int maxConnections = 16;
        private int failureThreshold = 3;
        private Duration openFor = Duration.ofSeconds(30);
        private OutagePolicy policy = OutagePolicy.LOCAL_FALLBACK;
        private double fallbackPerSecond;
        private OutageListener listener = new OutageListener() { };
        private LongSupplier clockMicros;
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
            this.url = RedisConnection.parseUrl(url);
            return this;
        }

        /**
         * A pool owned by the caller, who configures it (its timeouts bound every command) and
         * closes it. Exclusive with {@link #url(String)}; {@link #timeout} and
         * {@link #maxConnections} then do not apply.
         *
         * @param pool the pool
         * @return this builder
         * @throws IllegalArgumentException if a URL was set
         */
        public Builder pool(JedisPool pool) {
            Objects.requireNonNull(pool, "pool");
            if (url != null) {
                throw new IllegalArgumentException("pool conflicts with url: set one of them");
            }
            this.pool = pool;
            return this;
        }

        /**
         * The bucket's name, shared by every limiter that should count against the same limit,
         * e.g. the provider account and model. Required.
         *
         * @param bucket a non-blank name; the Redis key is {@code keyPrefix + bucket}
         * @return this builder
         * @throws IllegalArgumentException if {@code bucket} is blank
         */
        public Builder bucket(String bucket) {
            if (Objects.requireNonNull(bucket, "bucket").isBlank()) {
                throw new IllegalArgumentException("bucket must not be blank");
            }
            this.bucket = bucket;
            return this;
        }

        /**
         * The prefix of the bucket's Redis key.
         *
         * @param prefix any string, may be empty; default {@value RedisRateLimiter#DEFAULT_PREFIX}
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * The request rate, per minute. Exclusive with {@link #requestsPerSecond}.
         *
         * @param requestsPerMinute greater than zero
         * @return this builder
         * @throws IllegalArgumentException if not positive, or the rate was already set
         */
        public Builder requestsPerMinute(double requestsPerMinute) {
            return rate(requestsPerMinute / 60.0, requestsPerMinute, "requestsPerMinute");
        }

        /**
         * The request rate, per second. Exclusive with {@link #requestsPerMinute}.
         *
         * @param requestsPerSecond greater than zero
         * @return this builder
         * @throws IllegalArgumentException if not positive, or the rate was already set
         */
        public Builder requestsPerSecond(double requestsPerSecond) {
            return rate(requestsPerSecond, requestsPerSecond, "requestsPerSecond");
        }

        private Builder rate(double perSecond, double given, String setting) {
            if (!(given > 0) || Double.isInfinite(given)) {
                throw new IllegalArgumentException(setting + " must be > 0 and finite, was " + given);
            }
            if (rateSetBy != null) {
                throw new IllegalArgumentException(setting + " conflicts with " + rateSetBy + ": set one of them");
            }
            this.perSecond = perSecond;
            this.rateSetBy = setting;
            return this;
        }

        /**
         * The bucket's capacity: how many requests may start at once after an idle period.
         *
         * @param burst at least 1; default {@code max(1, ceil(requests per second))}
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder burst(int burst) {
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be >= 1, was " + burst);
            }
            this.burst = burst;
            return this;
        }

        /**
         * A token limit as well: calls wait while the token bucket (capacity one minute's tokens)
         * is in debt, and each response's total tokens are charged to it.
         *
         * @param tokensPerMinute greater than zero; default no token limit
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder tokensPerMinute(long tokensPerMinute) {
            if (tokensPerMinute < 1) {
                throw new IllegalArgumentException("tokensPerMinute must be >= 1, was " + tokensPerMinute);
            }
            this.tokensPerMinute = tokensPerMinute;
            return this;
        }

        /**
         * The longest an LM call waits for a permit; a call that would wait longer gets
         * {@link LmException.RateLimited} at once.
         *
         * @param maxWait zero or more; default 1 minute
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxWait(Duration maxWait) {
            if (Objects.requireNonNull(maxWait, "maxWait").isNegative()) {
                throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
            }
            this.maxWait = maxWait;
            return this;
        }

        /**
         * The connect, read and pool-wait timeout of each Redis command.
         *
         * @param timeout at least one millisecond; default 1 s
         * @return this builder
         * @throws IllegalArgumentException if shorter than one millisecond
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
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = Settings.atLeastOne("maxConnections", maxConnections);
            return this;
        }

        /**
         * The circuit breaker: after {@code consecutiveFailures} failed commands in a row, Redis
         * is not asked for {@code openFor} (the outage policy applies at once); then one call
         * probes it, and its success closes the breaker.
         *
         * @param consecutiveFailures at least 1; default 3
         * @param openFor at least one millisecond; default 30 s
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder circuitBreaker(int consecutiveFailures, Duration openFor) {
            this.failureThreshold = Settings.atLeastOne("circuitBreaker consecutiveFailures", consecutiveFailures);
            this.openFor = Settings.atLeastOneMilli("circuitBreaker openFor", openFor);
            return this;
        }

        /**
         * What to do while Redis is unavailable.
         *
         * @param policy default {@link OutagePolicy#LOCAL_FALLBACK}
         * @return this builder
         */
        public Builder onOutage(OutagePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The local bucket's rate while Redis is unavailable under
         * {@link OutagePolicy#LOCAL_FALLBACK}: each process gets this much on its own, so set it
         * to the shared rate divided by the number of processes to stay under the provider's
         * limit. Its capacity is {@code min(burst, max(1, ceil(rate)))}.
         *
         * @param requestsPerSecond greater than zero; default the full shared rate
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder fallbackRequestsPerSecond(double requestsPerSecond) {
            if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
                throw new IllegalArgumentException(
                        "fallbackRequestsPerSecond must be > 0 and finite, was " + requestsPerSecond);
            }
            this.fallbackPerSecond = requestsPerSecond;
            return this;
        }

        /**
         * Told when an outage starts and ends, besides the logs.
         *
         * @param listener the listener; default none
         * @return this builder
         */
        public Builder outageListener(OutageListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The bucket's time in microseconds, passed to the script instead of the Redis server's
         * {@code TIME}: for deterministic tests. Every limiter on a bucket must use the same clock.
         *
         * @param micros microseconds on any fixed origin
         * @return this builder
         */
        public Builder clock(LongSupplier micros) {
            this.clockMicros = Objects.requireNonNull(micros, "micros");
            return this;
        }

        /** The breaker's clock, {@code System::nanoTime} unless a test replaces it. */
        Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * The limiter. No connection is made until its first use.
         *
         * @return the limiter
         * @throws IllegalStateException if url or pool, bucket, or the request rate is missing
         */
        public RedisRateLimiter build() {
            if (url == null && pool == null) {
                throw new IllegalStateException("set url(...) or pool(...) before build()");
            }
            if (bucket == null) {
                throw new IllegalStateException("set bucket(...) before build()");
            }
            if (rateSetBy == null) {
                throw new IllegalStateException("set requestsPerMinute(...) or requestsPerSecond(...) before build()");
            }
            return new RedisRateLimiter(this);
        }
    }
}
