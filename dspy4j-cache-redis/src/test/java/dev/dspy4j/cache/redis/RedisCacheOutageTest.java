package dev.dspy4j.cache.redis;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisCache} when Redis hangs or is down: its circuit breaker, on real sockets, with the
 * breaker's clock in the test's hands.
 */
class RedisCacheOutageTest {

    private static final LmResponse RESPONSE = new LmResponse(
            List.of(new Choice("Paris", List.of(), null, "stop")), new Usage(12, 3), "gpt-4o-mini", false);
    private static final LmRequest REQUEST = LmRequest.of(List.of(Message.user("capital of France?")));
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);

    private final AtomicLong now = new AtomicLong();
    private final Events events = new Events();

    @Test
    @Timeout(60)
    void aHungServerCostsOnlyTheFirstCallsTheirTimeout() throws Exception {
        try (HungServer hung = new HungServer(); RedisCache cache = cache(hung.url())) {
            Lm lm = ((Lm) request -> RESPONSE).withInterceptors(new CacheInterceptor(cache));

            int slowCalls = 0;
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                assertThat(lm.call(REQUEST).cacheHit()).isFalse();
                if (System.nanoTime() - start >= TIMEOUT.toNanos() / 2) {
                    slowCalls++;
                }
            }

            // call 1: GET and SET time out; call 2: GET times out, the third failure opens the
            // breaker and its SET is skipped; calls 3 to 10 never reach the server
            assertThat(hung.connections()).isEqualTo(3);
            assertThat(slowCalls).isEqualTo(2);
            assertThat(cache.breakerOpen()).isTrue();
            assertThat(events.list).containsExactly("started " + hung.url() + ": JedisConnectionException");
        }
    }

    @Test
    @Timeout(60)
    void whileOpenOneProbePerPeriodReachesAHungServer() throws Exception {
        try (HungServer hung = new HungServer(); RedisCache cache = cache(hung.url())) {
            failThreeTimes(cache);
            assertThat(hung.connections()).isEqualTo(3);

            now.addAndGet(OPEN_FOR.toNanos() - 1);
            assertThat(cache.get("k")).isEmpty();
            assertThat(hung.connections()).isEqualTo(3); // still open

            now.addAndGet(1);
            assertThat(cache.get("k")).isEmpty(); // the probe: times out, re-opens
            cache.put("k", RESPONSE);
            assertThat(cache.get("k")).isEmpty();
            assertThat(hung.connections()).isEqualTo(4);

            now.addAndGet(OPEN_FOR.toNanos());
            cache.put("k", RESPONSE); // the next probe
            assertThat(hung.connections()).isEqualTo(5);
            assertThat(events.list).hasSize(1); // failed probes do not warn again
        }
    }

    @Test
    @Timeout(60)
    void concurrentCallersSendOneProbeBetweenThem() throws Exception {
        try (HungServer hung = new HungServer(); RedisCache cache = cache(hung.url())) {
            failThreeTimes(cache);
            now.addAndGet(OPEN_FOR.toNanos());

            try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(threads.submit(() -> {
                        start.await();
                        return cache.get("k");
                    }));
                }
                start.countDown();
                for (Future<?> call : calls) {
                    assertThat(call.get()).isEqualTo(Optional.empty());
                }
            }

            assertThat(hung.connections()).isEqualTo(4);
            assertThat(cache.breakerOpen()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void aRefusedConnectionGoesThroughTheSameBreaker() {
        String url = "redis://127.0.0.1:" + LocalRedis.freePort();
        try (RedisCache cache = cache(url)) {
            cache.get("k");
            cache.put("k", RESPONSE);
            assertThat(cache.breakerOpen()).isFalse();
            assertThat(events.list).isEmpty();

            cache.get("k");

            assertThat(cache.breakerOpen()).isTrue();
            assertThat(events.list).containsExactly("started " + url + ": JedisConnectionException");
        }
    }

    @Test
    @Timeout(90)
    void probesAndRecoversWhenRedisComesBackOncePerOutage() {
        Assumptions.assumeTrue(LocalRedis.canStartServers(), "needs redis-server and scripts/redis-server.sh");
        int port = LocalRedis.freePort();
        String url = "redis://127.0.0.1:" + port;
        try (RedisCache cache = cache(url)) {
            failThreeTimes(cache); // nothing listens yet: refused
            assertThat(cache.breakerOpen()).isTrue();

            assertThat(LocalRedis.start(port)).isEqualTo(url);
            cache.put("k", RESPONSE);
            assertThat(cache.get("k")).as("skipped while open, though Redis is back").isEmpty();

            now.addAndGet(OPEN_FOR.toNanos());
            cache.put("k", RESPONSE); // the probe succeeds
            assertThat(cache.breakerOpen()).isFalse();
            assertThat(cache.get("k")).contains(RESPONSE);
            assertThat(events.list).containsExactly(
                    "started " + url + ": JedisConnectionException", "ended " + url + " after PT30S");

            // a second outage is reported again, once
            LocalRedis.stop(port);
            failThreeTimes(cache);
            failThreeTimes(cache);
            assertThat(events.list).hasSize(3).last().isEqualTo("started " + url + ": JedisConnectionException");
        } finally {
            LocalRedis.stop(port);
        }
    }

    @Test
    void aFailureBelowTheThresholdIsForgottenAfterASuccess() {
        Assumptions.assumeTrue(LocalRedis.canStartServers(), "needs redis-server and scripts/redis-server.sh");
        int port = LocalRedis.freePort();
        try (RedisCache cache = cache("redis://127.0.0.1:" + port)) {
            cache.get("k");
            cache.get("k");
            assertThat(LocalRedis.start(port)).isNotNull();
            cache.put("k", RESPONSE);
            LocalRedis.stop(port);
            cache.get("k");
            cache.get("k");

            assertThat(cache.breakerOpen()).isFalse();
            assertThat(events.list).isEmpty();
        } finally {
            LocalRedis.stop(port);
        }
    }

    @Test
    void aThrowingListenerDoesNotFailTheCall() {
        try (RedisCache cache = RedisCache.builder().url("redis://127.0.0.1:" + LocalRedis.freePort())
                .timeout(TIMEOUT).circuitBreaker(1, OPEN_FOR)
                .outageListener(new OutageListener() {
                    @Override
                    public void outageStarted(String server, Throwable cause) {
                        throw new IllegalStateException("listener bug");
                    }
                }).build()) {
            assertThat(cache.get("k")).isEmpty();
            assertThat(cache.breakerOpen()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void aCallerInterruptedInTheMiddleOfACommandIsNotAnOutage() throws Exception {
        try (HungServer hung = new HungServer();
             RedisCache cache = RedisCache.builder().url(hung.url()).timeout(Duration.ofSeconds(30))
                     .circuitBreaker(1, OPEN_FOR).outageListener(events).nanoTime(now::get).build()) {
            for (int i = 1; i <= 3; i++) {
                // on a virtual thread the interrupt closes the socket under the blocked GET
                Thread caller = Thread.ofVirtual().start(() -> cache.get("k"));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (hung.connections() < i && caller.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(hung.connections()).as("call %d reached Redis (an open breaker would skip it)", i)
                        .isEqualTo(i);
                caller.interrupt();
                caller.join();
            }

            assertThat(cache.breakerOpen()).as("a breaker of threshold 1 that counted any of them").isFalse();
            assertThat(events.list).isEmpty();
        }
    }

    private RedisCache cache(String url) {
        return RedisCache.builder().url(url).timeout(TIMEOUT).circuitBreaker(3, OPEN_FOR)
                .outageListener(events).nanoTime(now::get).build();
    }

    private static void failThreeTimes(RedisCache cache) {
        cache.get("k");
        cache.put("k", RESPONSE);
        cache.get("k");
    }

    private static final class Events implements OutageListener {
        final List<String> list = new CopyOnWriteArrayList<>();

        @Override
        public void outageStarted(String server, Throwable cause) {
            list.add("started " + server + ": " + cause.getClass().getSimpleName());
        }

        @Override
        public void outageEnded(String server, Duration outage) {
            list.add("ended " + server + " after " + outage);
        }
    }
}
