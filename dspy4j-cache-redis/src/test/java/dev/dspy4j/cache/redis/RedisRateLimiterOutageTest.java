package dev.dspy4j.cache.redis;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.LmException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * {@link RedisRateLimiter} when Redis is down or hangs: both outage policies, the circuit breaker
 * and recovery, on real sockets, with the bucket's and the breaker's clocks in the test's hands.
 */
class RedisRateLimiterOutageTest {

    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final String BUCKET = "openai/gpt-4o-mini";

    private final AtomicLong micros = new AtomicLong(1_700_000_000_000_000L);
    private final AtomicLong nanos = new AtomicLong();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(30)
    void failThrowsAtOnceWhenNothingListensNamingTheServerAndTheFix() {
        String url = "redis://user:s3cret@127.0.0.1:" + LocalRedis.freePort();
        try (RedisRateLimiter limiter = builder(url).onOutage(RedisRateLimiter.OutagePolicy.FAIL).build()) {
            assertThatThrownBy(() -> limiter.acquire(Duration.ofMinutes(1)))
                    .isInstanceOf(LmException.class)
                    .isNotInstanceOf(LmException.RateLimited.class)
                    .hasMessageContaining("'" + BUCKET + "'")
                    .hasMessageContaining("redis://127.0.0.1:")
                    .hasMessageContaining("onOutage(LOCAL_FALLBACK)")
                    .hasMessageNotContaining("s3cret");
            assertThat(limiter.stats().granted()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void failAgainstAHungServerIsBoundedByTheTimeoutAndThenByTheBreaker() throws Exception {
        try (HungServer hung = new HungServer();
             RedisRateLimiter limiter = builder(hung.url()).onOutage(RedisRateLimiter.OutagePolicy.FAIL).build()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> limiter.acquire(Duration.ofMinutes(1))).isInstanceOf(LmException.class)
                        .hasMessageContaining(hung.url());
            }
            assertThat(hung.connections()).isEqualTo(3);
            assertThat(limiter.breakerOpen()).isTrue();

            assertThatThrownBy(() -> limiter.acquire(Duration.ofMinutes(1))).isInstanceOf(LmException.class)
                    .hasMessageContaining("is unavailable");
            assertThat(hung.connections()).as("the open breaker skips Redis").isEqualTo(3);
            assertThat(events).containsExactly("started " + hung.url());
        }
    }

    @Test
    @Timeout(60)
    void localFallbackGrantsFromTheLocalBucketAndWarnsOnce() throws Exception {
        try (HungServer hung = new HungServer();
             RedisRateLimiter limiter = builder(hung.url()).fallbackRequestsPerSecond(2).build()) {
            int granted = 0;
            for (int i = 0; i < 10; i++) {
                granted += takeOne(limiter);
            }

            assertThat(granted).as("the local bucket at 2/s holds 2").isEqualTo(2);
            micros.addAndGet(500_000);
            assertThat(takeOne(limiter)).isEqualTo(1);
            assertThat(limiter.stats().fallbackGrants()).isEqualTo(3);
            assertThat(limiter.stats().granted()).isEqualTo(3);
            assertThat(hung.connections()).isEqualTo(3);
            assertThat(events).containsExactly("started " + hung.url());
        }
    }

    @Test
    @Timeout(30)
    void chargesAreDroppedWhileRedisIsDownAndNeverFailTheCall() {
        String url = "redis://127.0.0.1:" + LocalRedis.freePort();
        try (RedisRateLimiter limiter = builder(url).tokensPerMinute(100).build()) {
            limiter.chargeTokens(1_000);
            limiter.chargeTokens(1_000);
            limiter.chargeTokens(1_000);
            limiter.chargeTokens(1_000);

            assertThat(limiter.breakerOpen()).isTrue();
            assertThat(takeOne(limiter)).isEqualTo(1);
        }
    }

    @Test
    @Timeout(90)
    void afterTheBreakerClosesTheSharedBucketIsUsedAgain() {
        Assumptions.assumeTrue(LocalRedis.canStartServers(), "needs redis-server and scripts/redis-server.sh");
        int port = LocalRedis.freePort();
        String url = "redis://127.0.0.1:" + port;
        try (RedisRateLimiter limiter = builder(url).circuitBreaker(1, OPEN_FOR).build()) {
            assertThat(takeOne(limiter)).isEqualTo(1); // refused: the local bucket grants
            assertThat(limiter.stats().fallbackGrants()).isEqualTo(1);

            assertThat(LocalRedis.start(port)).isEqualTo(url);
            nanos.addAndGet(OPEN_FOR.toNanos());
            assertThat(takeOne(limiter)).isEqualTo(1); // the probe succeeds

            assertThat(limiter.breakerOpen()).isFalse();
            assertThat(limiter.stats().fallbackGrants()).isEqualTo(1);
            assertThat(limiter.stats().granted()).isEqualTo(2);
            try (Jedis jedis = new Jedis(URI.create(url))) {
                assertThat(jedis.exists(RedisRateLimiter.DEFAULT_PREFIX + BUCKET)).isTrue();
            }
            assertThat(takeOne(limiter) + takeOne(limiter) + takeOne(limiter) + takeOne(limiter) + takeOne(limiter))
                    .as("the shared bucket's burst of 5, one already taken").isEqualTo(4);
            assertThat(events).containsExactly("started " + url, "ended " + url + " after PT30S");
        } finally {
            LocalRedis.stop(port);
        }
    }

    @Test
    @Timeout(60)
    void aCallerInterruptedWhileAskingRedisGetsAnInterruptionNotAnOutage() throws Exception {
        try (HungServer hung = new HungServer();
             RedisRateLimiter limiter = builder(hung.url()).timeout(Duration.ofSeconds(30)).circuitBreaker(1, OPEN_FOR)
                     .onOutage(RedisRateLimiter.OutagePolicy.FAIL).build()) {
            java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean flagSet = new java.util.concurrent.atomic.AtomicBoolean();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    limiter.acquire(Duration.ofMinutes(1));
                } catch (RuntimeException e) {
                    thrown.set(e);
                    flagSet.set(Thread.currentThread().isInterrupted());
                }
            });
            while (hung.connections() < 1) {
                Thread.sleep(5);
            }
            caller.interrupt();
            caller.join();

            assertThat(thrown.get()).isInstanceOf(LmException.class).hasMessageContaining("Interrupted while asking Redis");
            assertThat(flagSet).isTrue();
            assertThat(limiter.breakerOpen()).as("a breaker of threshold 1 that counted it").isFalse();
            assertThat(events).isEmpty();
        }
    }

    private RedisRateLimiter.Builder builder(String url) {
        return RedisRateLimiter.builder().url(url).bucket(BUCKET).requestsPerSecond(10).burst(5)
                .timeout(TIMEOUT).circuitBreaker(3, OPEN_FOR).clock(micros::get).nanoTime(nanos::get)
                .outageListener(new OutageListener() {
                    @Override
                    public void outageStarted(String server, Throwable cause) {
                        events.add("started " + server);
                    }

                    @Override
                    public void outageEnded(String server, Duration outage) {
                        events.add("ended " + server + " after " + outage);
                    }
                });
    }

    private static int takeOne(RedisRateLimiter limiter) {
        try {
            limiter.acquire(Duration.ZERO);
            return 1;
        } catch (LmException.RateLimited e) {
            return 0;
        }
    }
}
