package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
    void aWindowOfNothingButRateLimitsHalvesTheLimitAndItStopsAtTheMinimum() {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(16).minLimit(3).build();
        Lm lm = ((Lm) request -> {
            throw new LmException.RateLimited("429", "fake", 429, null, null);
        }).withInterceptors(limit);

        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < 16 + 8 + 4 + 3; i++) {
            assertThatThrownBy(() -> lm.call(request("q"))).isInstanceOf(LmException.RateLimited.class);
            limits.add(limit.currentLimit());
        }

        // one decrease per window of as many calls as the limit, not one per 429
        assertThat(limits.subList(0, 15)).containsOnly(16);
        assertThat(limits.subList(15, 23)).containsOnly(8);
        assertThat(limits.subList(23, 27)).containsOnly(4);
        assertThat(limits.subList(27, 31)).containsOnly(3);
    }

    @Test
    void aBurstOfRateLimitsFromCallsInFlightTogetherDecreasesTheLimitOnlyOnce() throws Exception {
        GateLm gate = new GateLm();
        gate.failure = new LmException.RateLimited("429", "fake", 429, null, null);
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(16).build();
        Lm lm = gate.withInterceptors(limit);

        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    lm.call(request("hold"));
                } catch (LmException.RateLimited expected) {
                    // every one fails
                }
            }));
        }
        await(() -> gate.entered.get() == 16);
        gate.release.countDown();
        for (Thread caller : callers) {
            caller.join();
        }

        assertThat(limit.currentLimit()).isEqualTo(8);
    }

    @Test
    void sparseRateLimitsLowerTheLimitInProportionNotByHalf() {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(20).maxLimit(20).build();

        // a window of 20 calls, one of them a 429 (5 %): 20 * (1 - 0.05 / 2) = 19.5
        long generation = limit.tryAcquire();
        limit.release(ConcurrencyLimit.Outcome.OVERLOADED, generation);
        for (int i = 0; i < 19; i++) {
            limit.release(ConcurrencyLimit.Outcome.SUCCESS, limit.tryAcquire());
        }

        assertThat(limit.currentLimit()).isEqualTo(19);
    }

    @Test
    void aRateLimitWithRetryAfterCountsAsHalfARateLimit() {
        ConcurrencyLimit withRetryAfter = ConcurrencyLimit.builder().initialLimit(4).build();
        ConcurrencyLimit without = ConcurrencyLimit.builder().initialLimit(4).build();
        Lm waitOneSecond = request -> {
            throw new LmException.RateLimited("429", "fake", 429, null, Duration.ofSeconds(1));
        };
        Lm noHint = request -> {
            throw new LmException.RateLimited("429", "fake", 429, null, null);
        };

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> waitOneSecond.withInterceptors(withRetryAfter).call(request("q")));
            assertThatThrownBy(() -> noHint.withInterceptors(without).call(request("q")));
        }

        assertThat(without.currentLimit()).isEqualTo(2);           // 4 * max(0.5, 1 - 1/2)
        assertThat(withRetryAfter.currentLimit()).isEqualTo(3);    // 4 * (1 - 0.5/2)
    }

    @Test
    void climbsBackAfterAQuietPeriodEvenWhileMostlyIdle() {
        long[] now = {0};
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(8).quietPeriod(Duration.ofSeconds(1))
                .nanoTime(() -> now[0]).build();
        Lm failing = ((Lm) request -> {
            throw new LmException.RateLimited("429", "fake", 429, null, null);
        }).withInterceptors(limit);
        Lm ok = ((Lm) request -> LmResponse.of("ok")).withInterceptors(limit);
        for (int i = 0; i < 8; i++) {
            assertThatThrownBy(() -> failing.call(request("q")));
        }
        assertThat(limit.currentLimit()).isEqualTo(4);

        List<Integer> limits = new ArrayList<>();
        for (int second = 0; second < 8; second++) {
            now[0] += TimeUnit.MILLISECONDS.toNanos(999);
            ok.call(request("q"));
            limits.add(limit.currentLimit());
            now[0] += TimeUnit.MILLISECONDS.toNanos(1);
        }

        // one step per quiet second, back to where it was before the pressure, and no further
        assertThat(limits).containsExactly(4, 5, 6, 7, 8, 8, 8, 8);
    }

    /**
     * A discrete-event simulation of {@code callers} threads that call an LM in a loop through the
     * limit, on a fake clock: each call takes 15 to 25 ms; while the pressure lasts a share of the
     * calls gets a 429 and is retried after 5 ms; callers without a slot queue in arrival order.
     * Returns the limit after each completed call, with the time it completed.
     */
    private static List<long[]> simulate(double rateLimitedShare, boolean retryAfter, Duration pressure,
                                         Duration total) {
        int callers = 64;
        long[] now = {0};
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(64).maxLimit(64).nanoTime(() -> now[0])
                .build();
        SplittableRandom random = new SplittableRandom(42);
        // events: {time, sequence, kind (0 start, 1 completion), generation}
        java.util.PriorityQueue<long[]> events = new java.util.PriorityQueue<>(
                java.util.Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        java.util.ArrayDeque<Long> queued = new java.util.ArrayDeque<>();
        long[] sequence = {0};
        for (int c = 0; c < callers; c++) {
            events.add(new long[] {0, sequence[0]++, 0, 0});
        }
        List<long[]> trajectory = new ArrayList<>();
        long end = total.toNanos();
        while (!events.isEmpty() && events.peek()[0] <= end) {
            long[] event = events.poll();
            now[0] = event[0];
            if (event[2] == 0) {
                queued.addLast(now[0]);
            } else {
                boolean rateLimited = now[0] < pressure.toNanos() && random.nextDouble() < rateLimitedShare;
                limit.release(rateLimited
                        ? (retryAfter ? ConcurrencyLimit.Outcome.OVERLOADED_WAIT : ConcurrencyLimit.Outcome.OVERLOADED)
                        : ConcurrencyLimit.Outcome.SUCCESS, event[3]);
                trajectory.add(new long[] {now[0], limit.currentLimit()});
                // the next call (or the retry) of this caller
                long next = now[0] + (rateLimited ? TimeUnit.MILLISECONDS.toNanos(5) : 0);
                events.add(new long[] {next, sequence[0]++, 0, 0});
            }
            while (!queued.isEmpty()) {
                long generation = limit.tryAcquire();
                if (generation < 0) {
                    break;
                }
                queued.pollFirst();
                long latency = TimeUnit.MILLISECONDS.toNanos(15 + random.nextInt(11));
                events.add(new long[] {now[0] + latency, sequence[0]++, 1, generation});
            }
        }
        return trajectory;
    }

    private static List<Integer> limitsBetween(List<long[]> trajectory, Duration from, Duration to) {
        return trajectory.stream().filter(p -> p[0] >= from.toNanos() && p[0] < to.toNanos())
                .map(p -> (int) p[1]).toList();
    }

    @Test
    void underFivePercentRateLimitsTheLimitDipsButStaysFarFromTheMinimumThenRecoversToTheMaximum() {
        List<long[]> trajectory = simulate(0.05, false, Duration.ofSeconds(10), Duration.ofSeconds(15));

        List<Integer> underPressure = limitsBetween(trajectory, Duration.ZERO, Duration.ofSeconds(10));
        List<Integer> settled = limitsBetween(trajectory, Duration.ofSeconds(2), Duration.ofSeconds(10));
        List<Integer> after = limitsBetween(trajectory, Duration.ofSeconds(12), Duration.ofSeconds(15));
        assertThat(underPressure).hasSizeGreaterThan(10_000);
        assertThat(Collections.min(underPressure)).isLessThan(64);          // it dips
        assertThat(Collections.min(settled)).isGreaterThanOrEqualTo(48);    // far from the minimum of 1
        assertThat(Collections.min(after)).isGreaterThanOrEqualTo(60);      // and recovers
    }

    @Test
    void underTwentyPercentRateLimitsTheLimitDipsFurtherThenRecoversToTheMaximum() {
        List<long[]> trajectory = simulate(0.20, false, Duration.ofSeconds(10), Duration.ofSeconds(15));

        List<Integer> settled = limitsBetween(trajectory, Duration.ofSeconds(2), Duration.ofSeconds(10));
        List<Integer> after = limitsBetween(trajectory, Duration.ofSeconds(12), Duration.ofSeconds(15));
        assertThat(Collections.min(settled)).isGreaterThan(1).isLessThan(24);
        assertThat(Collections.min(after)).isGreaterThanOrEqualTo(60);
    }

    @Test
    void rateLimitsWithRetryAfterLowerTheLimitLessThanRateLimitsWithout() {
        List<long[]> without = simulate(0.20, false, Duration.ofSeconds(10), Duration.ofSeconds(10));
        List<long[]> with = simulate(0.20, true, Duration.ofSeconds(10), Duration.ofSeconds(10));

        double meanWithout = limitsBetween(without, Duration.ofSeconds(2), Duration.ofSeconds(10)).stream()
                .mapToInt(Integer::intValue).average().orElseThrow();
        double meanWith = limitsBetween(with, Duration.ofSeconds(2), Duration.ofSeconds(10)).stream()
                .mapToInt(Integer::intValue).average().orElseThrow();
        assertThat(meanWith).isGreaterThan(meanWithout * 1.5);
    }

    @Test
    void timeoutsDecreaseTheLimitOnlyWhenConfiguredTo() {
        Lm timingOut = request -> {
            throw new LmException.Timeout("slow", "fake", 0, null, null);
        };
        ConcurrencyLimit ignoring = ConcurrencyLimit.builder().initialLimit(16).build();
        ConcurrencyLimit reacting = ConcurrencyLimit.builder().initialLimit(16).decreaseOnTimeout(true).build();

        for (int i = 0; i < 16; i++) { // one window
            assertThatThrownBy(() -> timingOut.withInterceptors(ignoring).call(request("q")))
                    .isInstanceOf(LmException.Timeout.class);
            assertThatThrownBy(() -> timingOut.withInterceptors(reacting).call(request("q")))
                    .isInstanceOf(LmException.Timeout.class);
        }

        assertThat(ignoring.currentLimit()).isEqualTo(16);
        assertThat(reacting.currentLimit()).isEqualTo(8);
    }

    @Test
    void recoversAdditivelyWhileTheLimitIsInUse() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().initialLimit(4).maxLimit(8).build();
        Lm failing = request -> {
            throw new LmException.RateLimited("429", "fake", 429, null, null);
        };
        for (int i = 0; i < 4; i++) { // one window
            assertThatThrownBy(() -> failing.withInterceptors(limit).call(request("q")));
        }
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
