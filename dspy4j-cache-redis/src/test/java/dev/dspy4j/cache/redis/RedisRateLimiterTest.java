package dev.dspy4j.cache.redis;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.testkit.ScriptedLm;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * {@link RedisRateLimiter} against a real redis-server on 127.0.0.1, with the bucket's clock
 * frozen in the test's hands (except where the server's own {@code TIME} is the point).
 */
class RedisRateLimiterTest {

    private static final long START = 1_700_000_000_000_000L; // micros
    private static final LmRequest REQUEST = LmRequest.of(List.of(Message.user("capital of France?")));

    private final AtomicLong micros = new AtomicLong(START);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private String url;
    private String prefix;
    private String bucket;

    @BeforeEach
    void connect() {
        url = LocalRedis.url("the Redis cache tests");
        prefix = "dspy4j-test:" + UUID.randomUUID() + ":";
        bucket = "openai/gpt-4o-mini";
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void aFrozenBucketGrantsItsBurstThenOnePermitPerInterval() {
        RedisRateLimiter limiter = limiter(builder().requestsPerSecond(10).burst(5));

        assertThat(takeAll(limiter)).isEqualTo(5);

        micros.addAndGet(100_000 - 1);
        assertThat(takeAll(limiter)).isZero();
        micros.addAndGet(1);
        assertThat(takeAll(limiter)).isEqualTo(1);

        micros.addAndGet(300_000);
        assertThat(takeAll(limiter)).isEqualTo(3);
        assertThat(limiter.stats().granted()).isEqualTo(9);
    }

    @Test
    void aCallerWithoutAPermitGetsRateLimitedNamingTheBucketAndTheWait() {
        RedisRateLimiter limiter = limiter(builder().requestsPerMinute(600).burst(1));
        limiter.acquire(Duration.ZERO);

        assertThatThrownBy(() -> limiter.acquire(Duration.ofMillis(99)))
                .isInstanceOfSatisfying(LmException.RateLimited.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofMillis(100));
                    assertThat(e.isRetryable()).isTrue();
                })
                .hasMessageContaining("'openai/gpt-4o-mini'")
                .hasMessageContaining("is PT0.1S away").hasMessageContaining("maxWait");
        assertThat(limiter.stats()).isEqualTo(new RedisRateLimiter.Stats(1, limiter.stats().waitedNanos(), 1, 0));
    }

    @Test
    void aMaxWaitBeyondWhatNanosecondsHoldIsAccepted() {
        RedisRateLimiter limiter = limiter(builder().requestsPerSecond(10).burst(1));

        limiter.acquire(ChronoUnit.FOREVER.getDuration());

        assertThat(limiter.stats().granted()).isEqualTo(1);
    }

    @Test
    void theDefaultBurstIsOneSecondOfRequests() {
        RedisRateLimiter limiter = limiter(builder().requestsPerMinute(150)); // 2.5/s

        assertThat(takeAll(limiter)).isEqualTo(3);
    }

    @Test
    void withoutAnInjectedClockTheServerTimeDrivesTheBucketAndIdleKeysExpire() {
        RedisRateLimiter limiter = limiter(RedisRateLimiter.builder().url(url).keyPrefix(prefix).bucket(bucket)
                .requestsPerMinute(1).burst(3));

        assertThat(takeAll(limiter)).isEqualTo(3);
        try (Jedis jedis = jedis()) {
            long ttl = jedis.pttl(prefix + bucket);
            assertThat(ttl).isPositive().isLessThanOrEqualTo(3 * 60_000 + 60_000 + 1);
        }
    }

    @Test
    @Timeout(60)
    void aCallerSleepsUntilItsPermitExistsThenGetsIt() {
        RedisRateLimiter limiter = limiter(RedisRateLimiter.builder().url(url).keyPrefix(prefix).bucket(bucket)
                .requestsPerSecond(20).burst(1));

        for (int i = 0; i < 4; i++) {
            limiter.acquire(Duration.ofSeconds(30)); // all but the first wait about 50 ms
        }

        assertThat(limiter.stats().granted()).isEqualTo(4);
        assertThat(limiter.stats().rejected()).isZero();
        assertThat(limiter.stats().waitedNanos()).isPositive();
    }

    @Test
    void twoLimitersWithTheirOwnPoolsShareOneBucket() {
        JedisPool pool = new JedisPool(URI.create(url));
        closing.add(pool);
        RedisRateLimiter first = limiter(builder().requestsPerSecond(1).burst(7));
        RedisRateLimiter second = limiter(RedisRateLimiter.builder().pool(pool).keyPrefix(prefix).bucket(bucket)
                .requestsPerSecond(1).burst(7).clock(micros::get));

        int granted = 0;
        for (int i = 0; i < 10; i++) {
            granted += takeOne(i % 2 == 0 ? first : second);
        }

        assertThat(granted).isEqualTo(7);
        assertThat(first.stats().granted() + second.stats().granted()).isEqualTo(7);
        assertThat(first.stats().granted()).isEqualTo(4);
    }

    @Test
    void limitersOnTheServersClockShareOneBucket() {
        RedisRateLimiter first = limiter(RedisRateLimiter.builder().url(url).keyPrefix(prefix).bucket(bucket)
                .requestsPerMinute(1).burst(4));
        RedisRateLimiter second = limiter(RedisRateLimiter.builder().url(url).keyPrefix(prefix).bucket(bucket)
                .requestsPerMinute(1).burst(4));

        int granted = 0;
        for (int i = 0; i < 8; i++) {
            granted += takeOne(i % 2 == 0 ? first : second);
        }

        assertThat(granted).isEqualTo(4);
        assertThat(second.stats().granted()).isEqualTo(2);
    }

    @Test
    @Timeout(60)
    void racingThreadsInTwoLimitersGetExactlyTheBurst() throws Exception {
        RedisRateLimiter first = limiter(builder().requestsPerSecond(10).burst(5).maxConnections(16));
        RedisRateLimiter second = limiter(builder().requestsPerSecond(10).burst(5).maxConnections(16));
        List<Future<String>> calls = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);

        try (ExecutorService threads = Executors.newFixedThreadPool(32)) {
            for (int i = 0; i < 32; i++) {
                RedisRateLimiter limiter = i % 2 == 0 ? first : second;
                calls.add(threads.submit(() -> {
                    start.await();
                    try {
                        limiter.acquire(Duration.ofMillis(50));
                        return "granted";
                    } catch (LmException.RateLimited e) {
                        return e.getMessage();
                    }
                }));
            }
            start.countDown();
        }

        List<String> outcomes = new ArrayList<>();
        for (Future<String> call : calls) {
            outcomes.add(call.get());
        }
        assertThat(outcomes).filteredOn("granted"::equals).hasSize(5);
        assertThat(outcomes).filteredOn(o -> !o.equals("granted")).hasSize(27)
                .allSatisfy(message -> assertThat(message).contains("'" + bucket + "'"));
        assertThat(first.stats().rejected() + second.stats().rejected()).isEqualTo(27);
    }

    @Test
    void aResponsesTokensPutTheBucketInDebtThatTheNextCallWaitsOut() {
        RedisRateLimiter limiter = limiter(builder().requestsPerSecond(100).burst(10).tokensPerMinute(600)
                .maxWait(Duration.ZERO));
        ScriptedLm scripted = ScriptedLm.responding(request -> response(500, 200));
        Lm lm = scripted.withInterceptors(limiter);

        lm.call(REQUEST); // 700 tokens against 600 a minute: 100 tokens (10 s) of debt

        assertThatThrownBy(() -> lm.call(REQUEST)).isInstanceOfSatisfying(LmException.RateLimited.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(10)));
        micros.addAndGet(Duration.ofSeconds(10).toNanos() / 1000 - 1);
        assertThatThrownBy(() -> lm.call(REQUEST)).isInstanceOf(LmException.RateLimited.class);
        micros.addAndGet(1);
        assertThat(lm.call(REQUEST).text()).isEqualTo("Paris");
        assertThat(scripted.callCount()).isEqualTo(2);
    }

    @Test
    void tokensWithinTheMinuteDoNotHoldCallsBack() {
        RedisRateLimiter limiter = limiter(builder().requestsPerSecond(100).burst(10).tokensPerMinute(600)
                .maxWait(Duration.ZERO));
        Lm lm = ScriptedLm.responding(request -> response(300, 200)).withInterceptors(limiter);

        lm.call(REQUEST); // 500 tokens of 600: not in debt
        lm.call(REQUEST); // 1000 tokens: 400 tokens (40 s) of debt

        assertThatThrownBy(() -> lm.call(REQUEST)).isInstanceOfSatisfying(LmException.RateLimited.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(40)));
    }

    @Test
    void aStreamIsChargedWhenReadToTheEnd() {
        RedisRateLimiter limiter = limiter(builder().requestsPerSecond(100).burst(10).tokensPerMinute(60)
                .maxWait(Duration.ZERO));
        Lm lm = ScriptedLm.responding(request -> response(50, 20)).withInterceptors(limiter);

        try (LmStream stream = lm.stream(REQUEST)) {
            while (stream.next() != null) {
                // read it all
            }
        }

        assertThatThrownBy(() -> limiter.acquire(Duration.ZERO)).isInstanceOfSatisfying(
                LmException.RateLimited.class, e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(10)));
    }

    @Test
    void callsTheCacheInFrontAnswersTakeNoPermit() {
        RedisRateLimiter limiter = limiter(builder().requestsPerSecond(1).burst(1).maxWait(Duration.ZERO));
        ScriptedLm scripted = ScriptedLm.answering(request -> "Paris");
        Lm lm = scripted.withInterceptors(new CacheInterceptor(new MemoryCache(100)), limiter);

        lm.call(REQUEST);
        for (int i = 0; i < 5; i++) {
            assertThat(lm.call(REQUEST).cacheHit()).isTrue();
        }

        assertThat(limiter.stats().granted()).isEqualTo(1);
        assertThat(scripted.callCount()).isEqualTo(1);
        assertThatThrownBy(() -> lm.call(LmRequest.of(List.of(Message.user("capital of Spain?")))))
                .isInstanceOf(LmException.RateLimited.class);
    }

    @Test
    @Timeout(60)
    void anInterruptedWaitEndsTheCallWithTheInterruptFlagSet() throws Exception {
        RedisRateLimiter limiter = limiter(RedisRateLimiter.builder().url(url).keyPrefix(prefix).bucket(bucket)
                .requestsPerMinute(1).burst(1));
        limiter.acquire(Duration.ZERO);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();

        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                limiter.acquire(Duration.ofMinutes(5));
            } catch (RuntimeException e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
        waiter.interrupt();
        waiter.join(30_000);

        assertThat(waiter.isAlive()).isFalse();
        assertThat(flag.get()).isTrue();
        assertThat(thrown.get()).isInstanceOf(LmException.class).isNotInstanceOf(LmException.RateLimited.class)
                .hasMessageContaining("Interrupted").hasMessageContaining(bucket)
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(limiter.stats().granted()).isEqualTo(1);
    }

    @Test
    void aCallerThatIsAlreadyInterruptedDoesNotTakeAPermit() {
        RedisRateLimiter limiter = limiter(builder().requestsPerSecond(1).burst(1));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> limiter.acquire(Duration.ofSeconds(1))).isInstanceOf(LmException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(takeAll(limiter)).isEqualTo(1);
    }

    @Test
    void theScriptIsLoadedAgainAfterTheServerForgetsIt() {
        RedisRateLimiter limiter = limiter(builder().requestsPerSecond(1).burst(3));
        takeOne(limiter);
        try (Jedis jedis = jedis()) {
            jedis.scriptFlush();
        }

        assertThat(takeAll(limiter)).isEqualTo(2);
    }

    @Test
    void theBuilderNamesWhatIsMissingOrConflicting() {
        assertThatThrownBy(() -> RedisRateLimiter.builder().url(url).requestsPerSecond(1).build())
                .hasMessageContaining("bucket");
        assertThatThrownBy(() -> RedisRateLimiter.builder().url(url).bucket("b").build())
                .hasMessageContaining("requestsPerMinute");
        assertThatThrownBy(() -> RedisRateLimiter.builder().requestsPerSecond(1).requestsPerMinute(60))
                .hasMessageContaining("requestsPerMinute conflicts with requestsPerSecond");
        assertThatThrownBy(() -> RedisRateLimiter.builder().requestsPerSecond(0))
                .hasMessageContaining("requestsPerSecond must be > 0");
        assertThatThrownBy(() -> RedisRateLimiter.builder().burst(0)).hasMessageContaining("burst");
        assertThatThrownBy(() -> RedisRateLimiter.builder().url("http://x")).hasMessageContaining("redis://");
    }

    @Test
    void toStringNeverShowsThePassword() {
        RedisRateLimiter limiter = limiter(RedisRateLimiter.builder().url("redis://user:s3cret@127.0.0.1:6379")
                .bucket(bucket).requestsPerSecond(2));

        assertThat(limiter.toString()).doesNotContain("s3cret").contains("redis://127.0.0.1:6379")
                .contains("dspy4j:ratelimit:openai/gpt-4o-mini");
    }

    private RedisRateLimiter.Builder builder() {
        return RedisRateLimiter.builder().url(url).keyPrefix(prefix).bucket(bucket).clock(micros::get);
    }

    private RedisRateLimiter limiter(RedisRateLimiter.Builder builder) {
        RedisRateLimiter limiter = builder.build();
        closing.add(limiter);
        return limiter;
    }

    /** Takes permits that are free right now until none is left; how many it got. */
    private static int takeAll(RedisRateLimiter limiter) {
        int granted = 0;
        while (takeOne(limiter) == 1) {
            granted++;
            if (granted > 1000) {
                throw new AssertionError("the limiter does not limit");
            }
        }
        return granted;
    }

    private static int takeOne(RedisRateLimiter limiter) {
        try {
            limiter.acquire(Duration.ZERO);
            return 1;
        } catch (LmException.RateLimited e) {
            return 0;
        }
    }

    private static LmResponse response(long promptTokens, long completionTokens) {
        return new LmResponse(List.of(new Choice("Paris", List.of(), null, "stop")),
                new Usage(promptTokens, completionTokens), "gpt-4o-mini", false);
    }

    private Jedis jedis() {
        return new Jedis(URI.create(url));
    }
}
