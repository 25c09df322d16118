package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RetryTest {

    private static final LmRequest REQUEST = LmRequest.of(List.of(Message.user("hi")));

    /** A fake monotonic clock that only moves when the sleeper sleeps or an LM call takes time. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Duration> sleeps = new ArrayList<>();
    private final Retry.Sleeper fakeSleeper = duration -> {
        sleeps.add(duration);
        nanos.addAndGet(duration.toNanos());
    };

    private Retry.Builder fakeTime() {
        return Retry.builder().sleeper(fakeSleeper).nanoTime(nanos::get).jitter(Retry.Jitter.NONE);
    }

    /** An LM that plays a script of outcomes, one per call, and counts calls. */
    private static final class ScriptLm implements Lm {
        final Deque<Supplier<LmResponse>> script = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();

        ScriptLm then(RuntimeException failure) {
            script.add(() -> {
                throw failure;
            });
            return this;
        }

        ScriptLm thenReply(String text) {
            script.add(() -> LmResponse.of(text));
            return this;
        }

        @Override
        public LmResponse call(LmRequest request) {
            calls.incrementAndGet();
            Supplier<LmResponse> next = script.poll();
            if (next == null) {
                throw new AssertionError("unexpected call " + calls.get());
            }
            return next.get();
        }

        @Override
        public String model() {
            return "openai/gpt-4o-mini";
        }
    }

    private static LmException.ServerError serverError() {
        return new LmException.ServerError("openai answered 503", "openai", 503, "req-1");
    }

    private static LmException.RateLimited rateLimited(Duration retryAfter) {
        return new LmException.RateLimited("openai answered 429", "openai", 429, "req-2", retryAfter);
    }

    @Test
    void retriesRetryableFailuresWithExponentialBackoffUntilOneSucceeds() {
        ScriptLm lm = new ScriptLm().then(serverError()).then(new LmException.Transport("reset", "openai", null))
                .thenReply("ok");

        LmResponse response = lm.withInterceptors(fakeTime().build()).call(REQUEST);

        assertThat(response.text()).isEqualTo("ok");
        assertThat(lm.calls).hasValue(3);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void capsTheBackoffAtMaxDelay() {
        ScriptLm lm = new ScriptLm().then(serverError()).then(serverError()).then(serverError()).thenReply("ok");

        lm.withInterceptors(fakeTime().maxDelay(Duration.ofMillis(2500)).build()).call(REQUEST);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(2500));
    }

    @Test
    void fullJitterStaysUnderTheExponentialBoundAndRepeatsForTheSameSeed() {
        Retry retry = fakeTime().jitter(Retry.Jitter.FULL).random(new SplittableRandom(7)).build();
        Retry same = fakeTime().jitter(Retry.Jitter.FULL).random(new SplittableRandom(7)).build();

        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        for (int retryNumber = 1; retryNumber <= 5; retryNumber++) {
            first.add(retry.backoff(retryNumber, 0));
            second.add(same.backoff(retryNumber, 0));
        }

        assertThat(first).isEqualTo(second);
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i)).isBetween(0L, Math.min(30_000_000_000L, 1_000_000_000L << i));
        }
        assertThat(first).doesNotHaveDuplicates();
    }

    @Test
    void decorrelatedJitterStaysBetweenTheInitialDelayAndThreeTimesThePreviousOne() {
        Retry retry = fakeTime().jitter(Retry.Jitter.DECORRELATED).random(new SplittableRandom(3))
                .maxDelay(Duration.ofSeconds(20)).build();

        long previous = 1_000_000_000L;
        for (int retryNumber = 1; retryNumber <= 10; retryNumber++) {
            long delay = retry.backoff(retryNumber, previous);
            assertThat(delay).isBetween(1_000_000_000L, Math.min(20_000_000_000L, previous * 3));
            previous = delay;
        }
    }

    @Test
    void waitsAtLeastTheRetryAfterTheProviderAskedFor() {
        ScriptLm lm = new ScriptLm().then(rateLimited(Duration.ofSeconds(7))).thenReply("ok");

        lm.withInterceptors(fakeTime().build()).call(REQUEST);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void keepsTheLongerBackoffWhenRetryAfterIsShorter() {
        ScriptLm lm = new ScriptLm().then(rateLimited(Duration.ofMillis(100))).thenReply("ok");

        lm.withInterceptors(fakeTime().build()).call(REQUEST);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void givesUpAtOnceWhenRetryAfterWouldPassTheDeadline() {
        ScriptLm lm = new ScriptLm().then(rateLimited(Duration.ofSeconds(30)));

        LmException.RateLimited thrown = catchThrowableOfType(LmException.RateLimited.class,
                () -> lm.withInterceptors(fakeTime().deadline(Duration.ofSeconds(10)).build()).call(REQUEST));

        assertThat(lm.calls).hasValue(1);
        assertThat(sleeps).isEmpty();
        assertThat(thrown.getMessage()).isEqualTo("openai answered 429 [gave up after 1 attempt in 0 ms: the provider "
                + "asked to wait 30.0 s but only 10.0 s of the 10.0 s deadline remain]");
        assertThat(thrown.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(thrown.status()).isEqualTo(429);
        assertThat(thrown.requestId()).contains("req-2");
    }

    @Test
    void startsNoRetryAfterTheDeadline() {
        // each call takes 4 s of fake time; backoff 1 s then 2 s (cut to the 1 s left); deadline 10 s
        AtomicInteger calls = new AtomicInteger();
        Lm slowFailing = request -> {
            calls.incrementAndGet();
            nanos.addAndGet(4_000_000_000L);
            throw serverError();
        };

        LmException.ServerError thrown = catchThrowableOfType(LmException.ServerError.class, () -> slowFailing
                .withInterceptors(fakeTime().maxRetries(10).deadline(Duration.ofSeconds(10)).build()).call(REQUEST));

        assertThat(calls).hasValue(3);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(thrown.getMessage())
                .endsWith("[gave up after 3 attempts in 14.0 s: the deadline of 10.0 s has passed]");
    }

    @Test
    void neverRetriesANonRetryableFailure() {
        LmException.BadRequest badRequest = new LmException.BadRequest("bad", "openai", 400, null);
        ScriptLm lm = new ScriptLm().then(badRequest);

        assertThatThrownBy(() -> lm.withInterceptors(fakeTime().build()).call(REQUEST)).isSameAs(badRequest);
        assertThat(lm.calls).hasValue(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void neverRetriesExceptionsOutsideTheLmHierarchy() {
        IllegalStateException bug = new IllegalStateException("bug");
        ScriptLm lm = new ScriptLm().then(bug);

        assertThatThrownBy(() -> lm.withInterceptors(fakeTime().build()).call(REQUEST)).isSameAs(bug);
        assertThat(lm.calls).hasValue(1);
    }

    @Test
    void theFinalFailureSaysHowManyAttemptsWereMadeAndKeepsTheProviderDetails() {
        LmException.ServerError last = serverError();
        ScriptLm lm = new ScriptLm().then(serverError()).then(serverError()).then(serverError()).then(last);

        LmException.ServerError thrown = catchThrowableOfType(LmException.ServerError.class,
                () -> lm.withInterceptors(fakeTime().build()).call(REQUEST));

        assertThat(lm.calls).hasValue(4);
        assertThat(thrown.getMessage())
                .isEqualTo("openai answered 503 [gave up after 4 attempts in 7.0 s: no retries left (maxRetries 3)]");
        assertThat(thrown.status()).isEqualTo(503);
        assertThat(thrown.provider()).contains("openai");
        assertThat(thrown.requestId()).contains("req-1");
        assertThat(thrown.isRetryable()).isTrue();
        assertThat(thrown.getSuppressed()).hasSize(4);
        assertThat(thrown.getSuppressed()[0]).isSameAs(last);
    }

    @Test
    void aNonRetryableFailureAfterARetryIsThrownWithTheAttemptCount() {
        ScriptLm lm = new ScriptLm().then(serverError())
                .then(new LmException.Authentication("key rejected", "openai", 401, "req-9"));

        LmException.Authentication thrown = catchThrowableOfType(LmException.Authentication.class,
                () -> lm.withInterceptors(fakeTime().build()).call(REQUEST));

        assertThat(thrown.getMessage()).isEqualTo(
                "key rejected [gave up after 2 attempts in 1.0 s: this failure is not retryable]");
        assertThat(thrown.status()).isEqualTo(401);
    }

    @Test
    void withNoRetriesTheFirstFailureIsThrownUnchanged() {
        LmException.ServerError failure = serverError();
        ScriptLm lm = new ScriptLm().then(failure);

        assertThatThrownBy(() -> lm.withInterceptors(fakeTime().maxRetries(0).build()).call(REQUEST))
                .isSameAs(failure);
    }

    @Test
    void keepsTheCauseOfSubclassesThatTakeOne() {
        LmException.Timeout timeout = new LmException.Timeout("read timed out", "openai", 0, null, null);
        ScriptLm lm = new ScriptLm().then(timeout).then(timeout);

        LmException.Timeout thrown = catchThrowableOfType(LmException.Timeout.class,
                () -> lm.withInterceptors(fakeTime().maxRetries(1).build()).call(REQUEST));

        assertThat(thrown.getCause()).isSameAs(timeout);
        assertThat(thrown.getMessage()).startsWith("read timed out [gave up after 2 attempts");
    }

    @Test
    void anInterruptWhileWaitingStopsRetryingAndKeepsTheInterruptFlag() {
        ScriptLm lm = new ScriptLm().then(serverError());
        Retry retry = fakeTime().sleeper(duration -> {
            throw new InterruptedException("test");
        }).build();

        try {
            LmException.ServerError thrown = catchThrowableOfType(LmException.ServerError.class,
                    () -> lm.withInterceptors(retry).call(REQUEST));

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(lm.calls).hasValue(1);
            assertThat(thrown.getMessage()).contains("interrupted while waiting to retry");
            assertThat(thrown.getSuppressed()).anyMatch(InterruptedException.class::isInstance);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anAlreadyInterruptedThreadDoesNotRetry() {
        ScriptLm lm = new ScriptLm().then(serverError());
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> lm.withInterceptors(fakeTime().build()).call(REQUEST))
                    .isInstanceOf(LmException.ServerError.class);
            assertThat(sleeps).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aRealSleepIsCutShortByAnInterrupt() throws Exception {
        CountDownLatch failedOnce = new CountDownLatch(1);
        Lm lm = request -> {
            failedOnce.countDown();
            throw serverError();
        };
        Retry retry = Retry.builder().initialDelay(Duration.ofMinutes(1)).maxDelay(Duration.ofMinutes(1))
                .jitter(Retry.Jitter.NONE).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();

        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                lm.withInterceptors(retry).call(REQUEST);
            } catch (RuntimeException e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        assertThat(failedOnce.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(Duration.ofSeconds(10));

        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(LmException.ServerError.class)
                .hasMessageContaining("gave up after 1 attempt").hasMessageContaining("interrupted");
        assertThat(flagKept).isTrue();
    }

    @Test
    void theBuilderNamesTheSettingItRejects() {
        assertThatThrownBy(() -> Retry.builder().maxRetries(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> Retry.builder().initialDelay(Duration.ofMinutes(5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialDelay (PT5M) must not exceed maxDelay (PT30S)");
        assertThatThrownBy(() -> Retry.builder().initialDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> Retry.builder().multiplier(0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> Retry.builder().deadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadline");
    }

    @Test
    void theDefaultsAreThreeRetriesWithFullJitterAndATwoMinuteDeadline() {
        assertThat(Retry.defaults()).hasToString(
                "Retry[maxRetries=3, initialDelay=1.0 s, maxDelay=30.0 s, multiplier=2.0, jitter=FULL, deadline=2 min]");
    }
}
