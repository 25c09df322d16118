package dev.dspy4j.cache.redis;

import dev.dspy4j.cache.redis.RedisRateLimiter.OutagePolicy;
import dev.dspy4j.lm.LmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One try at the bucket of a {@link RedisRateLimiter}: the Redis script behind a circuit breaker,
 * and what the outage policy says when Redis is unavailable (throw, or the local bucket). The
 * limiter above decides how long to wait between tries.
 *
 * <p>Thread-safe.
 */
final class SharedBucket implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final double MICROS_PER_MINUTE = 60_000_000.0;
    private static final long IDLE_MILLIS = 60_000;

    private final RedisConnection redis;
    private final String bucket;
    private final String key;
    private final OutagePolicy policy;
    private final OutageListener listener;
    private final Duration openFor;
    private final CircuitBreaker breaker;
    private final LocalBucket fallback;
    private final LongSupplier clockMicros; // null: the server's TIME
    private final List<String> argsTail; // ARGV[3..8] of the script, with 0 tokens to charge
    private final LongAdder fallbackGrants = new LongAdder();

    SharedBucket(RedisConnection redis, String bucket, String key, double perSecond, int burst, long tokensPerMinute,
                 OutagePolicy policy, double fallbackPerSecond, int failureThreshold, Duration openFor,
                 LongSupplier nanoTime, OutageListener listener, LongSupplier clockMicros) {
        this.redis = redis;
        this.bucket = bucket;
        this.key = key;
        this.policy = policy;
        this.listener = listener;
        this.openFor = openFor;
        this.clockMicros = clockMicros;
        this.fallback = new LocalBucket(fallbackPerSecond,
                Math.min(burst, (int) Math.max(1, Math.ceil(fallbackPerSecond))));
        double interval = 1_000_000.0 / perSecond;
        double tokenInterval = tokensPerMinute > 0 ? MICROS_PER_MINUTE / tokensPerMinute : 0;
        this.argsTail = List.of(Double.toString(interval), Double.toString((burst - 1) * interval),
                Double.toString(tokenInterval), Double.toString(MICROS_PER_MINUTE), "0", Long.toString(IDLE_MILLIS));
        this.breaker = new CircuitBreaker(failureThreshold, openFor, nanoTime, new CircuitBreaker.Transitions() {
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

    /**
     * One try at a request permit.
     *
     * @return 0 if granted, else the milliseconds until one can exist
     * @throws LmException if Redis is unavailable under {@link OutagePolicy#FAIL}
     */
    long tryAcquire() {
        Exception failure = null;
        if (breaker.allow()) {
            try (Jedis jedis = redis.pool().getResource()) {
                long wait = RateLimitScript.run(jedis, key, args("a", 0));
                breaker.succeeded();
                return wait;
            } catch (JedisException | IllegalStateException e) {
                failed(e);
                failure = e;
            }
        }
        if (policy == OutagePolicy.FAIL) {
            throw new LmException("Rate limit bucket '" + bucket + "': Redis at " + redis.where() + " is unavailable ("
                    + (failure != null ? failure.toString() : "it failed repeatedly; next try within " + openFor)
                    + "); the call was not sent. Check that Redis is up and reachable, or build the limiter with "
                    + "onOutage(LOCAL_FALLBACK) to limit each process locally during outages.", true, failure);
        }
        long wait = fallback.tryAcquire(clockMicros != null ? clockMicros.getAsLong() : System.nanoTime() / 1000);
        if (wait == 0) {
            fallbackGrants.increment();
        }
        return wait;
    }

    /** Charges {@code tokens} (> 0); dropped, never thrown, while Redis is unavailable. */
    void charge(long tokens) {
        if (!breaker.allow()) {
            LOG.debug("Rate limit bucket '{}': dropped a charge of {} tokens, Redis is unavailable", bucket, tokens);
            return;
        }
        try (Jedis jedis = redis.pool().getResource()) {
            RateLimitScript.run(jedis, key, args("c", tokens));
            breaker.succeeded();
        } catch (JedisException | IllegalStateException e) {
            failed(e);
            LOG.debug("Rate limit bucket '{}': dropped a charge of {} tokens, Redis at {} failed", bucket, tokens,
                    redis.where());
        }
    }

    private List<String> args(String operation, long tokens) {
        List<String> args = new ArrayList<>(8);
        args.add(clockMicros != null ? Long.toString(clockMicros.getAsLong()) : "");
        args.add(operation);
        args.addAll(argsTail);
        args.set(6, Long.toString(tokens));
        return args;
    }

    long fallbackGrants() {
        return fallbackGrants.sum();
    }

    boolean breakerOpen() {
        return breaker.isOpen();
    }

    String where() {
        return redis.where();
    }

    private void failed(Exception e) {
        if (!breaker.failed(e) && LOG.isDebugEnabled()) {
            LOG.debug("Rate limit bucket '{}': Redis at {} failed: {}", bucket, redis.where(), e.toString());
        }
    }

    private void outageStarted(Throwable cause) {
        LOG.warn("Rate limit bucket '{}': Redis at {} unavailable ({}); {} for {}, then probing", bucket,
                redis.where(), cause, policy == OutagePolicy.FAIL ? "failing calls" : "limiting this process locally",
                openFor);
        try {
            listener.outageStarted(redis.where(), cause);
        } catch (RuntimeException e) {
            LOG.warn("OutageListener {} failed on outageStarted", listener, e);
        }
    }

    private void outageEnded(Duration outage) {
        LOG.info("Rate limit bucket '{}': Redis at {} available again after {}", bucket, redis.where(), outage);
        try {
            listener.outageEnded(redis.where(), outage);
        } catch (RuntimeException e) {
            LOG.warn("OutageListener {} failed on outageEnded", listener, e);
        }
    }

    /** Closes the pool if the limiter created it. */
    @Override
    public void close() {
        redis.close();
    }
}
