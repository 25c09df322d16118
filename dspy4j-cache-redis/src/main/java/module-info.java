/**
 * Redis for dspy4j: a tier for the LM response cache, and a rate limit shared across processes.
 *
 * <p>{@code redis.clients.jedis} is read transitively because {@code RedisCache.Builder} takes a
 * {@code JedisPool}; Jedis is an automatic module (its name comes from its manifest).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.dspy4j.cache.redis {
    requires transitive dev.dspy4j.core;
    requires transitive redis.clients.jedis;
    requires org.slf4j;

    exports dev.dspy4j.cache.redis;
}
