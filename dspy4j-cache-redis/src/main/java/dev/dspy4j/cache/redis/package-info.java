/**
 * Redis for dspy4j: a tier for the LM response cache, {@link dev.dspy4j.cache.redis.RedisCache}, an
 * {@link dev.dspy4j.cache.LmCache} shared by processes and machines, which degrades to misses
 * when Redis is unavailable and, behind a circuit breaker, stops asking a failing Redis for a while
 * (reported to an {@link dev.dspy4j.cache.redis.OutageListener}); and
 * {@link dev.dspy4j.cache.redis.RedisRateLimiter}, an {@link dev.dspy4j.lm.LmInterceptor} whose
 * requests-per-minute and tokens-per-minute bucket lives in Redis, so every process and machine
 * that calls one provider shares one limit.
 */
package dev.dspy4j.cache.redis;
