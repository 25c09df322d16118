/**
 * Caching LM responses: the {@link dev.dspy4j.cache.CacheInterceptor} in an LM's interceptor
 * chain looks each request up by its {@link dev.dspy4j.cache.CacheKey} (DSPy's rule: SHA-256 of
 * the full request with sorted keys, {@code rollout_id} included, credentials never) in an
 * {@link dev.dspy4j.cache.LmCache}.
 *
 * <p>Tiers: {@link dev.dspy4j.cache.MemoryCache} (a bounded LRU),
 * {@link dev.dspy4j.cache.DiskCache} (a directory shared safely by processes, crash-safe through
 * write-then-rename and checksummed entries), and a shared Redis tier in the
 * {@code dspy4j-cache-redis} module, combined fastest first by
 * {@link dev.dspy4j.cache.TieredCache}, which promotes lower-tier hits upward. Responses are
 * stored with {@link dev.dspy4j.cache.LmResponseCodec}, a versioned JSON format.
 *
 * <p>Embeddings share the tiers: {@link dev.dspy4j.cache.CachingEmbedder} wraps any
 * {@link dev.dspy4j.lm.Embedder}, looks each text up by SHA-256 of model id and text, and stores
 * each vector as an entry whose text is the base64 of its little-endian float32 values, so a
 * memory, disk or Redis tier holds vectors and LM responses side by side without colliding.
 *
 * <p>Caches are optimizations: every tier turns its own failures into misses and logs one WARN
 * per outage, and nothing touches the file system before the first lookup. Disable caching for
 * one request with {@code LmOptions.withCache(false)}.
 */
@NullMarked
package dev.dspy4j.cache;

import org.jspecify.annotations.NullMarked;
