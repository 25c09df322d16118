package dev.dspy4j.cache.redis;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.LmResponseCodec;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.cache.TieredCache;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** {@link RedisCache} against a real redis-server on 127.0.0.1. */
class RedisCacheTest {

    private static final LmResponse RESPONSE = new LmResponse(
            List.of(new Choice("Paris", List.of(ToolCall.parse("call_1", "search", "{\"q\":\"France\"}")),
                    "reasoning", "stop")),
            new Usage(12, 3), "gpt-4o-mini", false);

    private String url;
    private String prefix;
    private RedisCache cache;

    @BeforeEach
    void connect() {
        url = LocalRedis.url("the Redis cache tests");
        prefix = "dspy4j-test:" + UUID.randomUUID() + ":";
        cache = RedisCache.builder().url(url).keyPrefix(prefix).build();
    }

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void storesAndReturnsResponses() {
        cache.put("k", RESPONSE);

        assertThat(cache.get("k")).contains(RESPONSE);
        assertThat(cache.get("missing")).isEmpty();
    }

    @Test
    void storesUnderThePrefixedKeyAsCodecBytes() {
        cache.put("k", RESPONSE);

        try (Jedis jedis = jedis()) {
            byte[] raw = jedis.get((prefix + "k").getBytes(StandardCharsets.UTF_8));
            assertThat(LmResponseCodec.decode(raw)).isEqualTo(RESPONSE);
            assertThat(jedis.ttl(prefix + "k")).isEqualTo(-1L); // no expiry by default
        }
    }

    @Test
    void differentPrefixesDoNotSeeEachOther() {
        cache.put("k", RESPONSE);
        try (RedisCache other = RedisCache.builder().url(url).keyPrefix(prefix + "other:").build()) {
            assertThat(other.get("k")).isEmpty();
        }
    }

    @Test
    void entriesExpireAfterTheTtl() throws InterruptedException {
        try (RedisCache expiring = RedisCache.builder().url(url).keyPrefix(prefix).ttl(Duration.ofMillis(300)).build()) {
            expiring.put("k", RESPONSE);
            try (Jedis jedis = jedis()) {
                assertThat(jedis.pttl(prefix + "k")).isBetween(1L, 300L);
            }
            assertThat(expiring.get("k")).contains(RESPONSE);

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (expiring.get("k").isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(expiring.get("k")).isEmpty();
        }
    }

    @Test
    void anUnreadableValueIsAMissAndIsDeleted() {
        try (Jedis jedis = jedis()) {
            jedis.set(prefix + "k", "not a response");

            assertThat(cache.get("k")).isEmpty();
            assertThat(jedis.exists(prefix + "k")).isFalse();
        }
    }

    @Test
    void servesAsTheSharedTierBehindMemory() {
        AtomicInteger calls = new AtomicInteger();
        Lm target = request -> {
            calls.incrementAndGet();
            return RESPONSE;
        };
        LmRequest request = LmRequest.of(List.of(Message.user("capital of France?")));

        // two "processes", each with its own memory tier, sharing Redis
        target.withInterceptors(new CacheInterceptor(TieredCache.of(new MemoryCache(10), cache))).call(request);
        LmResponse second = target.withInterceptors(
                new CacheInterceptor(TieredCache.of(new MemoryCache(10), cache))).call(request);

        assertThat(calls).hasValue(1);
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.usage()).isEqualTo(RESPONSE.usage());
    }

    @Test
    @Timeout(30)
    void aClosedPortIsAMissNotAnException() {
        int closedPort = LocalRedis.freePort();
        try (RedisCache down = RedisCache.builder().url("redis://127.0.0.1:" + closedPort)
                .timeout(Duration.ofMillis(500)).build()) {
            assertThat(down.get("k")).isEmpty();
            down.put("k", RESPONSE);
            assertThat(down.get("k")).isEmpty();

            AtomicInteger calls = new AtomicInteger();
            Lm target = request -> {
                calls.incrementAndGet();
                return RESPONSE;
            };
            LmResponse response = target.withInterceptors(new CacheInterceptor(down))
                    .call(LmRequest.of(List.of(Message.user("hi"))));
            assertThat(response.cacheHit()).isFalse();
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    @Timeout(60)
    void aServerThatStopsAndRestartsDegradesToMissesThenRecovers() {
        Assumptions.assumeTrue(LocalRedis.canStartServers(), "needs redis-server and scripts/redis-server.sh");
        int port = LocalRedis.freePort();
        String ownUrl = LocalRedis.start(port);
        assertThat(ownUrl).isNotNull();
        try (RedisCache own = RedisCache.builder().url(ownUrl).timeout(Duration.ofMillis(500)).build()) {
            own.put("k", RESPONSE);
            assertThat(own.get("k")).contains(RESPONSE);

            LocalRedis.stop(port);
            assertThat(own.get("k")).isEmpty();
            own.put("j", RESPONSE);

            assertThat(LocalRedis.start(port)).isEqualTo(ownUrl);
            own.put("k", RESPONSE); // a fresh server is empty
            assertThat(own.get("k")).contains(RESPONSE);
        } finally {
            LocalRedis.stop(port);
        }
    }

    @Test
    void builderValidatesEachSetting() {
        assertThatThrownBy(() -> RedisCache.builder().url("http://127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://");
        assertThatThrownBy(() -> RedisCache.builder().ttl(Duration.ZERO)).hasMessageContaining("ttl");
        assertThatThrownBy(() -> RedisCache.builder().timeout(Duration.ZERO)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> RedisCache.builder().maxConnections(0)).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> RedisCache.builder().build()).hasMessageContaining("url(...) or pool(...)");
    }

    @Test
    void toStringNeverShowsThePassword() {
        try (RedisCache withPassword = RedisCache.at("redis://:s3cret-canary@127.0.0.1:6390")) {
            assertThat(withPassword.toString()).doesNotContain("s3cret-canary").contains("127.0.0.1:6390");
        }
    }

    private Jedis jedis() {
        return new Jedis(URI.create(url));
    }
}
