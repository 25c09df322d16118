package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

    private static LmRequest request(String text) {
        return LmRequest.of(List.of(Message.user(text)));
    }

    /** A slow fake provider that counts how many calls are inside it at once. */
    private static final class SlowProvider implements Lm {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();
        final AtomicInteger rateLimited = new AtomicInteger();
        final int capacity; // more concurrent calls than this get a 429

        SlowProvider(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public LmResponse call(LmRequest request) {
            int now = inside.incrementAndGet();
            mostInside.accumulateAndGet(now, Math::max);
            try {
                if (now > capacity) {
                    rateLimited.incrementAndGet();
                    throw new LmException.RateLimited("429", "fake", 429, null, null);
                }
                Thread.sleep(1);
                return LmResponse.of("ok");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LmException.Transport("interrupted", "fake", e);
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public String model() {
            return "fake/slow";
        }
    }

    /** An LM whose calls block until released; counts the calls that entered. */
    private static final class GateLm implements Lm {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger entered = new AtomicInteger();
        final List<String> served = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;

        @Override
        public LmResponse call(LmRequest request) {
            entered.incrementAndGet();
            String text = request.messages().get(0).text();
            if (text.startsWith("hold")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (failure != null) {
                    throw failure;
                }
            }
            served.add(text);
            return LmResponse.of(text);
        }

        @Override
        public String model() {
            return "fake/gate";
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(1);
        }
    }

    @Test
    void neverLetsMoreCallsThanTheLimitReachTheProviderUnderAThousandVirtualThreads() throws Exception {
        SlowProvider provider = new SlowProvider(Integer.MAX_VALUE);
        ConcurrencyLimit limit = ConcurrencyLimit.builder().fixedLimit(8).build();
        Lm lm = provider.withInterceptors(limit);

        List<Future<LmResponse>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                results.add(threads.submit(() -> lm.call(request("q"))));
            }
        }

        for (Future<LmResponse> result : results) {
            assertThat(result.get().text()).isEqualTo("ok");
        }
        assertThat(provider.mostInside.get()).isBetween(1, 8);
        assertThat(limit.inFlight()).isZero();
        assertThat(limit.waiting()).isZero();
    }

    @Test
    void aThousandThreadBurstAgainstARateLimitingProviderAllSucceedWithRetries() throws Exception {
        SlowProvider provider = new SlowProvider(10);
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(64).maxLimit(64).build();
        Retry retry = Retry.builder().maxRetries(100).initialDelay(Duration.ofMillis(1))
                .maxDelay(Duration.ofMillis(5)).random(new SplittableRandom(1)).build();
        Lm lm = provider.withInterceptors(retry, limit);

        List<Future<LmResponse>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                results.add(threads.submit(() -> lm.call(request("q"))));
            }
        }

        for (Future<LmResponse> result : results) {
            assertThat(result.get().text()).isEqualTo("ok");
        }
        assertThat(provider.rateLimited.get()).isPositive();
        assertThat(limit.currentLimit()).isLessThan(64);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void halvesTheLimitOnARateLimitAndStopsAtTheMinimum() {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(16).minLimit(3).build();
        Lm lm = ((Lm) request -> {
            throw new LmException.RateLimited("429", "fake", 429, null, null);
        }).withInterceptors(limit);

        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> lm.call(request("q"))).isInstanceOf(LmException.RateLimited.class);
            limits.add(limit.currentLimit());
        }

        assertThat(limits).containsExactly(8, 4, 3, 3);
    }

    @Test
    void rateLimitsFromCallsStartedBeforeADecreaseDecreaseItOnlyOnce() throws Exception {
        GateLm gate = new GateLm();
        gate.failure = new LmException.RateLimited("429", "fake", 429, null, null);
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(16).build();
        Lm lm = gate.withInterceptors(limit);

        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    lm.call(request("hold"));
                } catch (LmException.RateLimited expected) {
                    // every one fails
                }
            }));
        }
        await(() -> gate.entered.get() == 5);
        gate.release.countDown();
        for (Thread caller : callers) {
            caller.join();
        }

        assertThat(limit.currentLimit()).isEqualTo(8);
    }

    @Test
    void timeoutsDecreaseTheLimitOnlyWhenConfiguredTo() {
        Lm timingOut = request -> {
            throw new LmException.Timeout("slow", "fake", 0, null, null);
        };
        ConcurrencyLimit ignoring = ConcurrencyLimit.builder().initialLimit(16).build();
        ConcurrencyLimit reacting = ConcurrencyLimit.builder().initialLimit(16).decreaseOnTimeout(true).build();

        assertThatThrownBy(() -> timingOut.withInterceptors(ignoring).call(request("q")))
                .isInstanceOf(LmException.Timeout.class);
        assertThatThrownBy(() -> timingOut.withInterceptors(reacting).call(request("q")))
                .isInstanceOf(LmException.Timeout.class);

        assertThat(ignoring.currentLimit()).isEqualTo(16);
        assertThat(reacting.currentLimit()).isEqualTo(8);
    }

    @Test
    void recoversAdditivelyWhileTheLimitIsInUse() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(4).maxLimit(8).build();
        Lm failing = request -> {
            throw new LmException.RateLimited("429", "fake", 429, null, null);
        };
        assertThatThrownBy(() -> failing.withInterceptors(limit).call(request("q")));
        assertThat(limit.currentLimit()).isEqualTo(2);

        Lm lm = new SlowProvider(Integer.MAX_VALUE).withInterceptors(limit);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                threads.submit(() -> lm.call(request("q")));
            }
        }

        assertThat(limit.currentLimit()).isGreaterThan(2).isLessThanOrEqualTo(8);
    }

    @Test
    void successesWhileTheLimitIsMostlyIdleDoNotGrowIt() {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(16).build();
        Lm lm = ((Lm) request -> LmResponse.of("ok")).withInterceptors(limit);

        for (int i = 0; i < 1000; i++) {
            lm.call(request("q"));
        }

        assertThat(limit.currentLimit()).isEqualTo(16);
    }

    @Test
    void waitingCallsAreServedInArrivalOrder() throws Exception {
        GateLm gate = new GateLm();
        ConcurrencyLimit limit = ConcurrencyLimit.builder().fixedLimit(1).build();
        Lm lm = gate.withInterceptors(limit);

        Thread holder = Thread.ofVirtual().start(() -> lm.call(request("hold")));
        await(() -> limit.inFlight() == 1);
        List<Thread> waiters = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            String name = "w" + i;
            waiters.add(Thread.ofVirtual().start(() -> lm.call(request(name))));
            int expectedWaiting = i;
            await(() -> limit.waiting() == expectedWaiting);
        }
        assertThat(limit.inFlight()).isEqualTo(1);

        gate.release.countDown();
        holder.join();
        for (Thread waiter : waiters) {
            waiter.join();
        }

        assertThat(gate.served).containsExactly("hold", "w1", "w2", "w3", "w4", "w5", "w6");
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void aCallThatWaitsLongerThanMaxWaitFailsWithATimeoutAndIsNeverSent() throws Exception {
        GateLm gate = new GateLm();
        ConcurrencyLimit limit = ConcurrencyLimit.builder().fixedLimit(1).maxWait(Duration.ofMillis(30)).build();
        Lm lm = gate.withInterceptors(limit);
        Thread holder = Thread.ofVirtual().start(() -> lm.call(request("hold")));
        await(() -> limit.inFlight() == 1);

        assertThatThrownBy(() -> lm.call(request("late")))
                .isInstanceOf(LmException.Timeout.class)
                .hasMessage("Waited 30 ms for a free slot in the concurrency limit of fake/gate (limit 1, 1 in flight, "
                        + "0 waiting); the call was not sent. Lower the program's parallelism, raise maxWait, or raise "
                        + "the provider's rate limit.");
        assertThat(limit.waiting()).isZero();

        gate.release.countDown();
        holder.join();
        assertThat(gate.served).containsExactly("hold");
        assertThat(lm.call(request("after")).text()).isEqualTo("after");
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void anInterruptedWaiterThrowsPromptlyKeepsItsFlagAndGivesUpItsPlace() throws Exception {
        GateLm gate = new GateLm();
        ConcurrencyLimit limit = ConcurrencyLimit.builder().fixedLimit(1).build();
        Lm lm = gate.withInterceptors(limit);
        Thread holder = Thread.ofVirtual().start(() -> lm.call(request("hold")));
        await(() -> limit.inFlight() == 1);

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                lm.call(request("interrupted"));
            } catch (RuntimeException e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        await(() -> limit.waiting() == 1);
        waiter.interrupt();
        waiter.join(Duration.ofSeconds(10));

        assertThat(thrown.get()).isInstanceOf(LmException.class)
                .hasMessageContaining("Interrupted while waiting for a free slot")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(((LmException) thrown.get()).isRetryable()).isFalse();
        assertThat(flagKept).isTrue();
        assertThat(limit.waiting()).isZero();

        gate.release.countDown();
        holder.join();
        assertThat(gate.served).containsExactly("hold");
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void cacheHitsAndOtherFailuresLeaveTheLimitAlone() {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(2).maxLimit(4).build();
        Lm cached = ((Lm) request -> new LmResponse(List.of(Choice.of("x")), Usage.ZERO, null, true))
                .withInterceptors(limit);
        Lm broken = ((Lm) request -> {
            throw new LmException.BadRequest("400", "fake", 400, null);
        }).withInterceptors(limit);

        for (int i = 0; i < 50; i++) {
            cached.call(request("q"));
        }
        assertThatThrownBy(() -> broken.call(request("q"))).isInstanceOf(LmException.BadRequest.class);

        assertThat(limit.currentLimit()).isEqualTo(2);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void theBuilderNamesTheConflictingSetting() {
        assertThatThrownBy(() -> ConcurrencyLimit.builder().initialLimit(300).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "minLimit <= initialLimit <= maxLimit must hold, but minLimit is 1, initialLimit 300 and "
                                + "maxLimit 256");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().maxLimit(8).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLimit 8");
        assertThat(ConcurrencyLimit.builder().maxLimit(8).initialLimit(4).build().currentLimit()).isEqualTo(4);
        assertThatThrownBy(() -> ConcurrencyLimit.builder().minLimit(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minLimit");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().decreaseFactor(1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decreaseFactor");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().maxWait(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
    }

    @Test
    void describesItsStateForObservability() {
        assertThat(ConcurrencyLimit.defaults())
                .hasToString("ConcurrencyLimit[limit=16 in 1..256, inFlight=0, waiting=0]");
    }
}
