package dev.dspy4j.cache;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves repeated LM requests from an {@link LmCache}: looks the request's {@link CacheKey} up
 * before calling on, and stores successful responses after.
 *
 * <pre>{@code
 * Lm lm = client.withInterceptors(retry, new CacheInterceptor(TieredCache.defaults()), rateLimit);
 * }</pre>
 *
 * <ul>
 *   <li>The key uses the target LM's {@linkplain dev.dspy4j.lm.Lm#model() model name}
 *       ({@code chain.lm().model()}) and the request as it reaches this link.
 *   <li>A request whose {@link dev.dspy4j.lm.LmOptions#cacheEnabled()} is false bypasses the
 *       cache both ways.
 *   <li>A hit returns the stored response with {@code cacheHit = true} and its <em>original</em>
 *       usage, so a replayed run can report what it would have cost (DSPy reports empty usage
 *       instead); usage trackers count hits separately.
 *   <li>Only complete responses are stored: failures (exceptions) never are, nor responses with
 *       no choices or with a choice whose finish reason is {@code error}.
 *   <li>A cache that fails is a miss: this interceptor never fails a call because of its cache.
 * </ul>
 *
 * <p>Thread-safe if its cache is (every {@link LmCache} must be).
 */
public final class CacheInterceptor implements LmInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(CacheInterceptor.class);

    private final LmCache cache;
    private final OutageWarning outage;

    /**
     * Creates the interceptor.
     *
     * @param cache where responses are kept
     * @throws NullPointerException if {@code cache} is null
     */
    public CacheInterceptor(LmCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.outage = new OutageWarning(LOG, "Cache " + cache);
    }

    /** An interceptor over {@link TieredCache#defaults()} (memory, then the default directory). */
    public static CacheInterceptor withDefaults() {
        return new CacheInterceptor(TieredCache.defaults());
    }

    /** The cache behind this interceptor. */
    public LmCache cache() {
        return cache;
    }

    @Override
    public LmResponse intercept(LmRequest request, Chain chain) {
        if (!request.options().cacheEnabled()) {
            return chain.proceed(request);
        }
        String key;
        try {
            key = CacheKey.of(chain.lm().model(), request);
        } catch (IllegalArgumentException e) {
            LOG.warn("Not caching a request to {}: {}", chain.lm().model(), e.getMessage());
            return chain.proceed(request);
        }
        Optional<LmResponse> hit = lookUp(key);
        if (hit.isPresent()) {
            LmResponse stored = hit.get();
            return new LmResponse(stored.choices(), stored.usage(), stored.model(), true);
        }
        LmResponse response = chain.proceed(request);
        if (isComplete(response)) {
            store(key, response.cacheHit()
                    ? new LmResponse(response.choices(), response.usage(), response.model(), false)
                    : response);
        }
        return response;
    }

    /**
     * Streams through the cache: a hit replays as a finished stream (one chunk per choice, marked
     * as a cache hit); a miss streams from the LM and is stored once read to its end.
     */
    @Override
    public LmStream interceptStream(LmRequest request, Chain chain) {
        if (!request.options().cacheEnabled()) {
            return chain.proceedStream(request);
        }
        String key;
        try {
            key = CacheKey.of(chain.lm().model(), request);
        } catch (IllegalArgumentException e) {
            LOG.warn("Not caching a request to {}: {}", chain.lm().model(), e.getMessage());
            return chain.proceedStream(request);
        }
        Optional<LmResponse> hit = lookUp(key);
        if (hit.isPresent()) {
            LmResponse stored = hit.get();
            return LmStream.of(new LmResponse(stored.choices(), stored.usage(), stored.model(), true));
        }
        return LmStream.observed(chain.proceedStream(request), response -> {
            if (isComplete(response)) {
                store(key, response.cacheHit()
                        ? new LmResponse(response.choices(), response.usage(), response.model(), false)
                        : response);
            }
        }, failure -> { });
    }

    static boolean isComplete(LmResponse response) {
        if (response == null || response.choices().isEmpty()) {
            return false;
        }
        for (Choice choice : response.choices()) {
            if ("error".equals(choice.finishReason())) {
                return false;
            }
        }
        return true;
    }

    private Optional<LmResponse> lookUp(String key) {
        try {
            Optional<LmResponse> hit = cache.get(key);
            outage.succeeded();
            return hit == null ? Optional.empty() : hit;
        } catch (RuntimeException e) {
            outage.failed("lookup failed", e);
            return Optional.empty();
        }
    }

    private void store(String key, LmResponse response) {
        try {
            cache.put(key, response);
            outage.succeeded();
        } catch (RuntimeException e) {
            outage.failed("store failed", e);
        }
    }

    @Override
    public String toString() {
        return "CacheInterceptor[" + cache + "]";
    }
}
