package dev.dspy4j.cache.redis;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Closed, open or half-open, for one Redis tier. Closed: every command goes to Redis, and
 * {@code threshold} consecutive failures open it. Open: commands are skipped until
 * {@code openFor} has passed; then the next caller is let through as the single probe
 * (half-open) while the others keep skipping. The probe's success closes the breaker, its failure
 * opens it for another {@code openFor}.
 *
 * <p>The probe is an ordinary command of the caller that happens to come first, rather than a
 * background ping: no thread to own or stop, and a cache nobody uses costs nothing. It waits at
 * most the cache's timeout, once per {@code openFor}. A probe that never reports back (an
 * unexpected exception) is given up after {@code openFor}, and another caller probes.
 *
 * <p>Thread-safe. Transitions happen under a lock; the closed, failure-free state is read without
 * one, so a healthy Redis pays a volatile read per command.
 */
final class CircuitBreaker {

    /** Told of transitions, outside the lock, each at most once per outage. */
    interface Transitions {
        void opened(Throwable cause);

        void closed(Duration outage);
    }

    private enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoTime;
    private final Transitions transitions;

    private final Object lock = new Object();
    /** True while closed with no failure counted: the lock-free fast path. */
    private volatile boolean healthy = true;
    private State state = State.CLOSED;
    private int failures;
    private long since;        // OPEN: when it opened; HALF_OPEN: when the probe started
    private long outageStart;

    CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoTime, Transitions transitions) {
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.nanoTime = nanoTime;
        this.transitions = transitions;
    }

    /**
     * Whether to send a command now: true when closed, and for the one probe when half-open.
     * Every true must be followed by {@link #succeeded()} or {@link #failed}.
     */
    boolean allow() {
        if (healthy) {
            return true;
        }
        synchronized (lock) {
            long now = nanoTime.getAsLong();
            return switch (state) {
                case CLOSED -> true;
                case OPEN, HALF_OPEN -> {
                    if (now - since < openForNanos) {
                        yield false;
                    }
                    state = State.HALF_OPEN;
                    since = now;
                    yield true;
                }
            };
        }
    }

    /** Redis answered. */
    void succeeded() {
        if (healthy) {
            return;
        }
        long outage;
        synchronized (lock) {
            failures = 0;
            if (state == State.CLOSED) {
                healthy = true;
                return;
            }
            state = State.CLOSED;
            healthy = true;
            outage = nanoTime.getAsLong() - outageStart;
        }
        transitions.closed(Duration.ofNanos(outage));
    }

    /**
     * Redis did not answer.
     *
     * @return whether this failure opened the breaker (a probe's failure re-opens it: false)
     */
    boolean failed(Throwable cause) {
        synchronized (lock) {
            long now = nanoTime.getAsLong();
            switch (state) {
                case CLOSED -> {
                    healthy = false;
                    if (++failures < threshold) {
                        return false;
                    }
                    state = State.OPEN;
                    since = now;
                    outageStart = now;
                }
                case HALF_OPEN -> {
                    state = State.OPEN;
                    since = now;
                    return false;
                }
                case OPEN -> {
                    return false; // a command sent before it opened, failing late
                }
            }
        }
        transitions.opened(cause);
        return true;
    }

    /** Whether commands are being skipped or probed, for {@code toString} and tests. */
    boolean isOpen() {
        synchronized (lock) {
            return state != State.CLOSED;
        }
    }
}
