package dev.dspy4j.lm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits how many calls to a provider are in flight at once, and adapts the limit to what the
 * provider accepts (AIMD, as TCP does, with DCTCP's proportional decrease). It stays within
 * {@code [minLimit, maxLimit]}.
 *
 * <p>Build one per provider account and put it in the chain of the LM that every thread and
 * program shares (the same instance may sit in several chains to share one limit):
 *
 * <pre>{@code
 * ConcurrencyLimit openAi = ConcurrencyLimit.builder().initialLimit(32).maxLimit(128).build();
 * Lm lm = client.withInterceptors(Retry.defaults(), cache, openAi);
 * }</pre>
 *
 * Put it after {@link Retry} so a call gives its slot back while it waits to retry, and after the
 * cache so cache hits do not wait for a slot.
 *
 * <p>Callers over the limit wait in arrival order (a freed slot is handed to the longest waiter;
 * newcomers never overtake waiters) without spinning, which suits thousands of virtual threads.
 * A waiting caller that is interrupted throws at once with its interrupt flag set; one that waits
 * longer than {@code maxWait} (unbounded by default) gets an {@link LmException.Timeout}.
 *
 * <p>How the limit adapts:
 * <ul>
 *   <li><b>Growth.</b> Each successful call adds {@code additiveIncrease / limit}, so about
 *       {@code additiveIncrease} per window of successful calls, but only while at least half the
 *       limit is in use (an idle period does not inflate it).</li>
 *   <li><b>Decrease once per window, in proportion to the 429s.</b> Outcomes are counted in
 *       windows of as many calls as the limit (about one round trip when the limit is in use). A
 *       window that saw 429s ({@link LmException.RateLimited}; optionally {@link
 *       LmException.Timeout}) multiplies the limit by {@code max(decreaseFactor, 1 - r/2)}, where
 *       {@code r} is the share of the window's calls that were 429s. A window of nothing but 429s
 *       halves the limit (with the default factor); sparse 429s (5 %) lower it by 2.5 %. So a
 *       cut never goes below what the window's success rate supports: the calls that succeeded
 *       ({@code limit × (1 - r)}) ran concurrently, and the new limit is above that. Calls that
 *       started before a decrease do not count towards the next window, so one burst of 429s
 *       lowers the limit once.</li>
 *   <li><b>Retry-After softens.</b> A 429 that carries a {@link LmException.RateLimited#retryAfter()
 *       Retry-After} is a statement about time that {@link Retry} already honours (and the call
 *       gives its slot back while it waits); it counts as half a 429.</li>
 *   <li><b>Recovery after pressure.</b> Once no window has decreased the limit for {@code
 *       quietPeriod} (default 1 s), the limit climbs back by {@code additiveIncrease} per quiet
 *       period towards where it was before the pressure began, even while it is not in use.</li>
 * </ul>
 *
 * <p>Defaults: initial limit 16, minimum 1, maximum 256, additive increase 1, decrease factor 0.5,
 * no decrease on timeouts, quiet period 1 s, no maximum wait, {@link System#nanoTime()}.
 *
 * <p>Thread-safe. Uncontended and without pressure, a call costs two uncontended lock
 * acquisitions, no clock reading and no allocation.
 */
public final class ConcurrencyLimit implements LmInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrencyLimit.class);

    private final int minLimit;
    private final int maxLimit;
    private final double additiveIncrease;
    private final double decreaseFactor;
    private final boolean decreaseOnTimeout;
    private final long maxWaitNanos; // <= 0: unbounded
    private final long quietPeriodNanos;
    private final LongSupplier nanoTime;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by lock
    private double limit;        // guarded by lock
    private int inFlight;        // guarded by lock
    private long generation;     // guarded by lock; bumped on each decrease
    // the current window (guarded by lock): calls of this generation that completed, and how many
    // of them were 429s (a 429 with Retry-After counts 0.5)
    private int windowCalls;
    private double windowOverloads;
    // recovery (guarded by lock): where the limit was before the pressure began (0 when there is
    // no pressure to recover from), and when the last decrease or recovery step happened
    private double recoverTo;
    private long quietSinceNanos;

    private ConcurrencyLimit(Builder b) {
        this.minLimit = b.minLimit;
        this.maxLimit = b.maxLimit;
        this.additiveIncrease = b.additiveIncrease;
        this.decreaseFactor = b.decreaseFactor;
        this.decreaseOnTimeout = b.decreaseOnTimeout;
        this.maxWaitNanos = b.maxWait == null ? 0 : b.maxWait.toNanos();
        this.quietPeriodNanos = b.quietPeriod.toNanos();
        this.nanoTime = b.nanoTime;
        this.limit = b.initialLimit;
    }

    /** A limit with the defaults (see the class comment). */
    public static ConcurrencyLimit defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Waits for a slot, calls the rest of the chain, gives the slot back and adapts the limit.
     *
     * @throws LmException.Timeout if no slot became free within {@code maxWait}
     * @throws LmException (not retryable) caused by the {@link InterruptedException} if the thread
     *     was interrupted while waiting; its interrupt flag is set again
     * @throws RuntimeException whatever the chain throws, unchanged
     */
    @Override
    public LmResponse intercept(LmRequest request, Chain chain) {
        long startGeneration = acquire(chain);
        Outcome outcome = Outcome.OTHER;
        try {
            LmResponse response = chain.proceed(request);
            outcome = response.cacheHit() ? Outcome.OTHER : Outcome.SUCCESS;
            return response;
        } catch (LmException.RateLimited e) {
            outcome = e.retryAfter().isPresent() ? Outcome.OVERLOADED_WAIT : Outcome.OVERLOADED;
            throw e;
        } catch (LmException.Timeout e) {
            outcome = decreaseOnTimeout ? Outcome.OVERLOADED : Outcome.OTHER;
            throw e;
        } finally {
            release(outcome, startGeneration);
        }
    }

    /**
     * Waits for a slot and holds it until the stream ends, fails or is closed; a stream that
     * cannot be started gives the slot back at once.
     */
    @Override
    public LmStream interceptStream(LmRequest request, Chain chain) {
        long startGeneration = acquire(chain);
        LmStream stream;
        try {
            stream = chain.proceedStream(request);
        } catch (RuntimeException | Error e) {
            release(outcomeOf(e), startGeneration);
            throw e;
        }
        return LmStream.observed(stream, response -> release(Outcome.SUCCESS, startGeneration),
                failure -> release(outcomeOf(failure), startGeneration));
    }

    private Outcome outcomeOf(Throwable failure) {
        if (failure instanceof LmException.RateLimited rateLimited) {
            return rateLimited.retryAfter().isPresent() ? Outcome.OVERLOADED_WAIT : Outcome.OVERLOADED;
        }
        if (failure instanceof LmException.Timeout) {
            return decreaseOnTimeout ? Outcome.OVERLOADED : Outcome.OTHER;
        }
        return Outcome.OTHER;
    }

    /** How a call ended, as far as the limit cares. Package-private for the simulation test. */
    enum Outcome {
        SUCCESS,
        /** A 429 without Retry-After (or a timeout, if configured). */
        OVERLOADED,
        /** A 429 with Retry-After: counts as half an {@link #OVERLOADED}. */
        OVERLOADED_WAIT,
        /** A cache hit or any other failure: leaves the limit alone. */
        OTHER
    }

    /** One blocked caller; {@code granted} is set, under the lock, when a slot is handed to it. */
    private static final class Waiter {
        final Condition ready;
        boolean granted;

        Waiter(Condition ready) {
            this.ready = ready;
        }
    }

    /**
     * Takes a slot if one is free and nobody waits; returns the generation to pass to {@link
     * #release}, or -1. Package-private for the simulation test.
     */
    long tryAcquire() {
        lock.lock();
        try {
            if (waiters.isEmpty() && inFlight < effectiveLimit()) {
                inFlight++;
                return generation;
            }
            return -1;
        } finally {
            lock.unlock();
        }
    }

    private long acquire(Chain chain) {
        lock.lock();
        try {
            if (waiters.isEmpty() && inFlight < effectiveLimit()) {
                inFlight++;
                return generation;
            }
            Waiter me = new Waiter(lock.newCondition());
            waiters.addLast(me);
            long remaining = maxWaitNanos;
            try {
                while (!me.granted) {
                    if (maxWaitNanos <= 0) {
                        me.ready.await();
                    } else {
                        if (remaining <= 0) {
                            waiters.remove(me);
                            throw waitedTooLong(chain);
                        }
                        remaining = me.ready.awaitNanos(remaining);
                    }
                }
                return generation;
            } catch (InterruptedException e) {
                if (me.granted) {
                    // the slot was handed over just as we were interrupted: pass it on
                    inFlight--;
                    grantWaiting();
                } else {
                    waiters.remove(me);
                }
                Thread.currentThread().interrupt();
                throw new LmException("Interrupted while waiting for a free slot in the concurrency limit of "
                        + chain.lm().model() + "; the call was not sent.", false, provider(chain), 0, null, e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives a slot back and adapts the limit to how the call ended. Package-private so the
     * simulation test can drive overlapping calls from one thread.
     */
    void release(Outcome outcome, long startGeneration) {
        lock.lock();
        try {
            if (outcome == Outcome.SUCCESS && inFlight * 2 >= limit && limit < maxLimit) {
                // grow only when the limit is actually being used, so an idle period does not
                // inflate it to the maximum
                limit = Math.min(maxLimit, limit + additiveIncrease / Math.max(1.0, Math.floor(limit)));
                if (limit >= recoverTo) {
                    recoverTo = 0;
                }
            }
            if (outcome != Outcome.OTHER && startGeneration == generation) {
                windowCalls++;
                windowOverloads += switch (outcome) {
                    case OVERLOADED -> 1.0;
                    case OVERLOADED_WAIT -> 0.5;
                    default -> 0.0;
                };
                if (windowCalls >= Math.max(1.0, Math.floor(limit))) {
                    closeWindow();
                }
            }
            if (recoverTo > 0) {
                recoverAfterQuietPeriods();
            }
            inFlight--;
            grantWaiting();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the current window, decreasing the limit if it saw 429s. Caller holds the lock. */
    private void closeWindow() {
        if (windowOverloads > 0) {
            double share = windowOverloads / windowCalls;
            double before = limit;
            limit = Math.max(minLimit, limit * Math.max(decreaseFactor, 1 - share / 2));
            if (recoverTo == 0) {
                recoverTo = before;
            }
            quietSinceNanos = nanoTime.getAsLong();
            generation++;
            LOG.debug("Provider overloaded ({} of {} calls); concurrency limit {} -> {}", windowOverloads, windowCalls,
                    (int) before, effectiveLimit());
        }
        windowCalls = 0;
        windowOverloads = 0;
    }

    /**
     * Climbs back {@code additiveIncrease} per quiet period without a decrease, up to where the
     * limit was before the pressure began. Caller holds the lock.
     */
    private void recoverAfterQuietPeriods() {
        long quiet = nanoTime.getAsLong() - quietSinceNanos;
        if (quiet < quietPeriodNanos) {
            return;
        }
        long periods = quiet / quietPeriodNanos;
        limit = Math.min(recoverTo, limit + periods * additiveIncrease);
        quietSinceNanos += periods * quietPeriodNanos;
        if (limit >= recoverTo) {
            recoverTo = 0;
        }
    }

    /** Hands free slots to waiters in arrival order. Caller holds the lock. */
    private void grantWaiting() {
        int allowed = effectiveLimit();
        while (inFlight < allowed) {
            Waiter next = waiters.pollFirst();
            if (next == null) {
                return;
            }
            next.granted = true;
            inFlight++;
            next.ready.signal();
        }
    }

    private int effectiveLimit() {
        return Math.max(minLimit, (int) limit);
    }

    private LmException.Timeout waitedTooLong(Chain chain) {
        return new LmException.Timeout("Waited " + Retry.human(maxWaitNanos) + " for a free slot in the concurrency limit of "
                + chain.lm().model() + " (limit " + effectiveLimit() + ", " + inFlight + " in flight, " + waiters.size()
                + " waiting); the call was not sent. Lower the program's parallelism, raise maxWait, or raise the "
                + "provider's rate limit.", provider(chain), 0, null, null);
    }

    private static @Nullable String provider(Chain chain) {
        String model = chain.lm().model();
        int slash = model.indexOf('/');
        return slash > 0 ? model.substring(0, slash) : null;
    }

    /** The current limit: how many calls may be in flight at once now. */
    public int currentLimit() {
        lock.lock();
        try {
            return effectiveLimit();
        } finally {
            lock.unlock();
        }
    }

    /** How many calls hold a slot now. */
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** How many calls are waiting for a slot now. */
    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "ConcurrencyLimit[limit=" + effectiveLimit() + " in " + minLimit + ".." + maxLimit + ", inFlight="
                    + inFlight + ", waiting=" + waiters.size() + "]";
        } finally {
            lock.unlock();
        }
    }

    /**
     * Configures a {@link ConcurrencyLimit}. Each setter validates its argument and throws
     * {@link IllegalArgumentException} naming the setting (and the conflicting one). Not
     * thread-safe; the built limit is.
     */
    public static final class Builder {
        private int initialLimit = 16;
        private int minLimit = 1;
        private int maxLimit = 256;
        private double additiveIncrease = 1.0;
        private double decreaseFactor = 0.5;
        private boolean decreaseOnTimeout;
        private @Nullable Duration maxWait;
        private Duration quietPeriod = Duration.ofSeconds(1);
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {}

        /**
         * The limit to start at. Default 16. Must lie within {@code [minLimit, maxLimit]}
         * (checked by {@link #build()}).
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder initialLimit(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("initialLimit must be >= 1, was " + value);
            }
            this.initialLimit = value;
            return this;
        }

        /**
         * The lowest the limit goes. Default 1.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder minLimit(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("minLimit must be >= 1, was " + value);
            }
            this.minLimit = value;
            return this;
        }

        /**
         * The highest the limit goes. Default 256.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxLimit(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxLimit must be >= 1, was " + value);
            }
            this.maxLimit = value;
            return this;
        }

        /**
         * A fixed limit: initial, minimum and maximum all {@code value}, so it never adapts.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder fixedLimit(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("fixedLimit must be >= 1, was " + value);
            }
            this.initialLimit = value;
            this.minLimit = value;
            this.maxLimit = value;
            return this;
        }

        /**
         * How much the limit grows per window of successful calls (a window is as many calls as
         * the limit). Default 1.
         *
         * @throws IllegalArgumentException if not positive and finite
         */
        public Builder additiveIncrease(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("additiveIncrease must be a finite number > 0, was " + value);
            }
            this.additiveIncrease = value;
            return this;
        }

        /**
         * What the limit is multiplied by after a window of nothing but 429s; a window where a
         * share {@code r} of the calls were 429s multiplies it by {@code max(decreaseFactor,
         * 1 - r/2)}. Default 0.5.
         *
         * @throws IllegalArgumentException if not strictly between 0 and 1
         */
        public Builder decreaseFactor(double value) {
            if (!(value > 0 && value < 1)) {
                throw new IllegalArgumentException("decreaseFactor must be > 0 and < 1, was " + value);
            }
            this.decreaseFactor = value;
            return this;
        }

        /** Whether a {@link LmException.Timeout} also decreases the limit. Default {@code false}. */
        public Builder decreaseOnTimeout(boolean value) {
            this.decreaseOnTimeout = value;
            return this;
        }

        /**
         * The longest a call waits for a slot before failing with {@link LmException.Timeout};
         * {@code null} (the default) waits as long as it takes.
         *
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder maxWait(@Nullable Duration value) {
            if (value != null && !value.isPositive()) {
                throw new IllegalArgumentException("maxWait must be positive (or null for no limit), was " + value);
            }
            this.maxWait = value;
            return this;
        }

        /**
         * How long no window may have decreased the limit before it starts climbing back, by
         * {@code additiveIncrease} per such period, towards where it was before the pressure
         * began. Default 1 s.
         *
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder quietPeriod(Duration value) {
            if (!value.isPositive()) {
                throw new IllegalArgumentException("quietPeriod must be positive, was " + value);
            }
            this.quietPeriod = value;
            return this;
        }

        /**
         * The clock for the quiet period, in nanoseconds as {@link System#nanoTime()} (the
         * default); tests pass a fake one.
         */
        public Builder nanoTime(LongSupplier value) {
            this.nanoTime = Objects.requireNonNull(value, "nanoTime");
            return this;
        }

        /**
         * A new, independent {@link ConcurrencyLimit} with these settings.
         *
         * @throws IllegalArgumentException if {@code minLimit <= initialLimit <= maxLimit} does not
         *     hold
         */
        public ConcurrencyLimit build() {
            if (minLimit > initialLimit || initialLimit > maxLimit) {
                throw new IllegalArgumentException("minLimit <= initialLimit <= maxLimit must hold, but minLimit is "
                        + minLimit + ", initialLimit " + initialLimit + " and maxLimit " + maxLimit);
            }
            return new ConcurrencyLimit(this);
        }
    }
}
