package dev.dspy4j.spark;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.LmCache;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.cache.TieredCache;
import dev.dspy4j.cache.redis.RedisCache;
import dev.dspy4j.cache.redis.RedisRateLimiter;
import dev.dspy4j.lm.ConcurrencyLimit;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.module.Module;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one executor JVM builds once per job configuration and shares between its tasks: the
 * program, and one LM client behind the chain cache → retry → shared rate limiter → fixed
 * concurrency limit. Closed by {@link ExecutorRuntimes} when evicted (once no task holds it) or
 * at JVM shutdown.
 */
final class ExecutorRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRuntime.class);

    final Module program;
    final Lm lm;
    final ConcurrencyLimit concurrency;
    private final List<AutoCloseable> resources;
    // guarded by ExecutorRuntimes' lock
    int leases;
    boolean evicted;
    private boolean closed;

    private ExecutorRuntime(Module program, Lm lm, ConcurrencyLimit concurrency, List<AutoCloseable> resources) {
        this.program = program;
        this.lm = lm;
        this.concurrency = concurrency;
        this.resources = resources;
    }

    /** Builds the program and the client chain of {@code job}. */
    static ExecutorRuntime build(SparkPredict job) {
        Module program = job.buildProgram();
        List<AutoCloseable> resources = new ArrayList<>();
        Lm client = job.lm.client();
        resources.add(client);
        try {
            List<LmInterceptor> chain = new ArrayList<>(4);
            RedisCache redis = null;
            if (job.cache != null) {
                RedisCache.Builder cache = RedisCache.builder().url(job.cache.url()).keyPrefix(job.cache.keyPrefix());
                if (job.cache.ttl() != null) {
                    cache.ttl(job.cache.ttl());
                }
                redis = cache.build();
                resources.add(redis);
                LmCache tiers = job.cache.memoryEntries() > 0
                        ? TieredCache.of(new MemoryCache(job.cache.memoryEntries()), redis) : redis;
                chain.add(new CacheInterceptor(new InterruptShieldedCache(tiers)));
            }
            Retry retry = job.lm.retry();
            if (retry != null) {
                chain.add(retry);
            }
            if (job.rateLimit != null) {
                RateLimitConfig limit = job.rateLimit;
                RedisRateLimiter.Builder limiter = RedisRateLimiter.builder()
                        .url(limit.url() != null ? limit.url() : job.cache.url())
                        .bucket(limit.bucket() != null ? limit.bucket() : job.lm.model())
                        .requestsPerMinute(limit.requestsPerMinute())
                        .maxWait(limit.maxWait());
                if (limit.burst() > 0) {
                    limiter.burst(limit.burst());
                }
                if (limit.tokensPerMinute() > 0) {
                    limiter.tokensPerMinute(limit.tokensPerMinute());
                }
                RedisRateLimiter built = limiter.build();
                resources.add(built);
                chain.add(built);
            }
            ConcurrencyLimit concurrency = ConcurrencyLimit.builder().fixedLimit(job.maxInFlight).build();
            chain.add(concurrency);
            Lm lm = client.withInterceptors(chain.toArray(LmInterceptor[]::new));
            return new ExecutorRuntime(program, lm, concurrency, resources);
        } catch (RuntimeException | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    /** Whether {@link #close()} ran. */
    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} of a dspy4j Spark executor runtime failed: {}", resource.getClass().getSimpleName(),
                        e.toString());
            }
        }
    }
}
