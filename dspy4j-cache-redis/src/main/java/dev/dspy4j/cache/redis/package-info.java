/**
 * A Redis tier for dspy4j's LM response cache: {@link dev.dspy4j.cache.redis.RedisCache}, an
 * {@link dev.dspy4j.cache.LmCache} shared by processes and machines, which degrades to misses
 * when Redis is unavailable.
 */
package dev.dspy4j.cache.redis;
