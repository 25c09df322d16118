package dev.dspy4j.cache.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Lua script behind {@link RedisRateLimiter} ({@code rate-limit.lua} next to this class): two
 * GCRA buckets, requests and tokens, in one hash, read and updated atomically. Sent by its SHA-1
 * ({@code EVALSHA}); a server that does not know it yet (new, restarted, flushed) gets the whole
 * script once ({@code EVAL}, which also caches it there).
 */
final class RateLimitScript {

    static final String SOURCE = load();
    static final String SHA1 = sha1(SOURCE);

    private RateLimitScript() {
    }

    /**
     * Runs the script.
     *
     * @return 0 when granted or charged, else the milliseconds until a permit can exist
     */
    static long run(Jedis jedis, String key, List<String> args) {
        List<String> keys = List.of(key);
        Object reply;
        try {
            reply = jedis.evalsha(SHA1, keys, args);
        } catch (JedisNoScriptException e) {
            reply = jedis.eval(SOURCE, keys, args);
        }
        if (!(reply instanceof Long millis)) {
            throw new IllegalStateException("rate-limit script answered " + reply + " instead of an integer");
        }
        return millis;
    }

    private static String load() {
        try (InputStream in = RateLimitScript.class.getResourceAsStream("rate-limit.lua")) {
            if (in == null) {
                throw new IllegalStateException("rate-limit.lua is missing from dspy4j-cache-redis");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
