/**
 * A Redis tier for dspy4j's LM response cache: {@link dev.dspy4j.cache.redis.RedisCache}, an
 * {@link dev.dspy4j.cache.LmCache} shared by processes and machines, which degrades to misses
 * when Redis is unavailable and, behind a circuit breaker, stops asking a failing Redis for a while
 * (reported to an {@link dev.dspy4j.cache.redis.OutageListener}).
 */
package dev.dspy4j.cache.redis;
