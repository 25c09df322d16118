package dev.dspy4j.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final IOException FAILURE = new IOException("refused");

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> events = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(3, OPEN_FOR, now::get, new CircuitBreaker.Transitions() {
        @Override
        public void opened(Throwable cause) {
            events.add("opened: " + cause.getMessage());
        }

        @Override
        public void closed(Duration outage) {
            events.add("closed after " + outage);
        }
    });

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        assertThat(breaker.failed(FAILURE)).isFalse();
        assertThat(breaker.failed(FAILURE)).isFalse();
        assertThat(breaker.allow()).isTrue();

        assertThat(breaker.failed(FAILURE)).isTrue();

        assertThat(breaker.allow()).isFalse();
        assertThat(events).containsExactly("opened: refused");
    }

    @Test
    void aSuccessResetsTheCount() {
        breaker.failed(FAILURE);
        breaker.failed(FAILURE);
        breaker.succeeded();
        breaker.failed(FAILURE);
        breaker.failed(FAILURE);

        assertThat(breaker.allow()).isTrue();
        assertThat(events).isEmpty();
    }

    @Test
    void letsOneProbeThroughAfterTheOpenPeriodAndClosesOnItsSuccess() {
        open();
        now.addAndGet(OPEN_FOR.toNanos() - 1);
        assertThat(breaker.allow()).isFalse();

        now.addAndGet(1);
        assertThat(breaker.allow()).as("the probe").isTrue();
        assertThat(breaker.allow()).as("others while it is in flight").isFalse();
        now.addAndGet(5);
        breaker.succeeded();

        assertThat(breaker.allow()).isTrue();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(events).containsExactly("opened: refused", "closed after PT30.000000005S");
    }

    @Test
    void aFailedProbeReopensForAnotherPeriodWithoutReportingAgain() {
        open();
        now.addAndGet(OPEN_FOR.toNanos());
        assertThat(breaker.allow()).isTrue();
        assertThat(breaker.failed(FAILURE)).isFalse();

        assertThat(breaker.allow()).isFalse();
        now.addAndGet(OPEN_FOR.toNanos() - 1);
        assertThat(breaker.allow()).isFalse();
        now.addAndGet(1);
        assertThat(breaker.allow()).isTrue();
        assertThat(events).containsExactly("opened: refused");
    }

    @Test
    void aProbeThatNeverReportsIsReplacedAfterTheOpenPeriod() {
        open();
        now.addAndGet(OPEN_FOR.toNanos());
        assertThat(breaker.allow()).isTrue(); // never reports back

        now.addAndGet(OPEN_FOR.toNanos() - 1);
        assertThat(breaker.allow()).isFalse();
        now.addAndGet(1);
        assertThat(breaker.allow()).isTrue();
    }

    @Test
    void aLateFailureWhileOpenDoesNotExtendTheOpenPeriod() {
        open();
        now.addAndGet(OPEN_FOR.toNanos() - 1);
        assertThat(breaker.failed(FAILURE)).isFalse();
        now.addAndGet(1);

        assertThat(breaker.allow()).isTrue();
        assertThat(events).hasSize(1);
    }

    private void open() {
        breaker.failed(FAILURE);
        breaker.failed(FAILURE);
        breaker.failed(FAILURE);
        assertThat(breaker.isOpen()).isTrue();
    }
}
