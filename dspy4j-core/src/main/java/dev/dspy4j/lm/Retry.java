package dev.dspy4j.lm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries LM calls that failed with a retryable {@link LmException} (rate limit, timeout, server
 * error, broken connection), with exponential backoff and jitter. Put it first in an LM's chain so
 * that each attempt goes through the cache and the concurrency limit again:
 *
 * <pre>{@code
 * Lm lm = client.withInterceptors(Retry.defaults(), cache, ConcurrencyLimit.defaults());
 * }</pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>Non-retryable failures ({@link LmException#isRetryable()} false) and exceptions that are
 *       not {@code LmException}s are never retried.</li>
 *   <li>At most {@linkplain Builder#maxRetries(int) maxRetries} retries (default 3, like DSPy's
 *       {@code num_retries=3}), so at most 4 attempts.</li>
 *   <li>No retry starts after the {@linkplain Builder#deadline(Duration) deadline} (default 2
 *       minutes, counted from the start of the first attempt). A backoff is shortened to fit the
 *       deadline; an attempt already running is not cut short (that is the client's timeout).</li>
 *   <li>A {@link LmException.RateLimited#retryAfter() Retry-After} is honoured: the wait is at
 *       least that long. If it does not fit before the deadline, retrying stops at once rather
 *       than retrying early.</li>
 *   <li>If the thread is interrupted while waiting, retrying stops, the interrupt flag is
 *       restored and the last failure is thrown.</li>
 * </ul>
 *
 * <p>When retrying ends in failure after more than one attempt, the exception thrown is of the
 * same {@code LmException} subclass as the last failure, with the same provider, status and
 * request id, and a message that ends with how many attempts were made and why retrying stopped.
 * The last failure is its cause (or, for subclasses whose constructors take no cause, its first
 * suppressed exception); the earlier failures follow as suppressed exceptions.
 * A failure on the first and only attempt is rethrown unchanged.
 *
 * <p>Each retry is logged at DEBUG on this class's logger with the model, the exception type,
 * status, request id and the delay; never messages or request bodies.
 *
 * <p>Thread-safe and stateless between calls: one instance may serve any number of chains and
 * threads.
 */
public final class Retry implements LmInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
    private static final Retry DEFAULTS = builder().build();

    /** How random a backoff delay is, to keep many clients from retrying in lock step. */
    public enum Jitter {
        /** No randomness: {@code min(maxDelay, initialDelay * multiplier^(retry-1))}. */
        NONE,
        /**
         * "Full jitter": a uniform delay between 0 and the exponential delay of {@link #NONE}.
         * The default.
         */
        FULL,
        /**
         * "Decorrelated jitter": a uniform delay between {@code initialDelay} and three times the
         * previous delay, capped at {@code maxDelay}. Ignores {@code multiplier}.
         */
        DECORRELATED
    }

    /**
     * Waits; tests replace it to advance a fake clock instead of sleeping.
     */
    @FunctionalInterface
    public interface Sleeper {
        /** Sleeps with {@link Thread#sleep(Duration)}, throwing at once if already interrupted. */
        Sleeper SYSTEM = duration -> {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before sleeping");
            }
            if (duration.isPositive()) {
                Thread.sleep(duration);
            }
        };

        /**
         * Waits for {@code duration}.
         *
         * @param duration how long, zero or more
         * @throws InterruptedException if the thread is interrupted (the flag is then cleared)
         */
        void sleep(Duration duration) throws InterruptedException;
    }

    private final int maxRetries;
    private final long initialDelayNanos;
    private final long maxDelayNanos;
    private final double multiplier;
    private final Jitter jitter;
    private final long deadlineNanos;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final @Nullable RandomGenerator random;

    private Retry(Builder b) {
        this.maxRetries = b.maxRetries;
        this.initialDelayNanos = b.initialDelay.toNanos();
        this.maxDelayNanos = b.maxDelay.toNanos();
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.deadlineNanos = b.deadline.toNanos();
        this.sleeper = b.sleeper;
        this.nanoTime = b.nanoTime;
        this.random = b.random;
    }

    /**
     * Retry with the defaults: 3 retries, full jitter over 1 s doubling up to 30 s, a 2-minute
     * deadline, real sleeping and {@link ThreadLocalRandom}.
     */
    public static Retry defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults of {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Calls the rest of the chain, retrying retryable failures as described in the class comment.
     *
     * @throws LmException the last failure, annotated with the number of attempts when there were
     *     several
     * @throws RuntimeException anything else the chain throws, unchanged and not retried
     */
    @Override
    public LmResponse intercept(LmRequest request, Chain chain) {
        return withRetries(chain, call -> chain.proceed(request, call));
    }

    /**
     * Starts the stream through the rest of the chain and retries, as {@link #intercept} does,
     * failures that happen before the first chunk arrives: opening the call, and reading its first
     * chunk. Once a chunk has been handed out, a failure ends the stream (a retry would repeat
     * text the caller has already seen).
     */
    @Override
    public LmStream interceptStream(LmRequest request, Chain chain) {
        return withRetries(chain, call -> {
            LmStream stream = chain.proceedStream(request, call);
            StreamChunk first;
            try {
                first = stream.next();
            } catch (RuntimeException | Error e) {
                stream.close();
                throw e;
            }
            return new FirstChunkStream(first, stream);
        });
    }

    private <T> T withRetries(Chain chain, Function<CallInfo, T> attemptCall) {
        long start = nanoTime.getAsLong();
        List<LmException> earlier = null;
        long previousDelay = initialDelayNanos;
        CallInfo call = chain.call();
        for (int attempt = 1; ; attempt++) {
            LmException failure;
            try {
                return attemptCall.apply(call);
            } catch (LmException e) {
                failure = e;
            }
            call = call.nextAttempt();
            if (!failure.isRetryable()) {
                throw attempt == 1 ? failure
                        : exhausted(failure, earlier, attempt, start, "this failure is not retryable");
            }
            if (attempt > maxRetries) {
                throw attempt == 1 ? failure
                        : exhausted(failure, earlier, attempt, start, "no retries left (maxRetries " + maxRetries + ")");
            }
            long remaining = deadlineNanos - (nanoTime.getAsLong() - start);
            if (remaining <= 0) {
                throw exhausted(failure, earlier, attempt, start,
                        "the deadline of " + human(deadlineNanos) + " has passed");
            }
            long delay = backoff(attempt, previousDelay);
            previousDelay = Math.max(delay, initialDelayNanos);
            long retryAfter = failure instanceof LmException.RateLimited limited
                    ? limited.retryAfter().map(Retry::saturatedNanos).orElse(0L) : 0L;
            if (retryAfter > remaining) {
                throw exhausted(failure, earlier, attempt, start, "the provider asked to wait " + human(retryAfter)
                        + " but only " + human(remaining) + " of the " + human(deadlineNanos) + " deadline remain");
            }
            delay = Math.min(Math.max(delay, retryAfter), remaining);
            if (LOG.isDebugEnabled()) {
                LOG.debug("LM call to {} failed with {} (status {}, request id {}); retry {} of {} in {} ms",
                        chain.lm().model(), failure.getClass().getSimpleName(), failure.status(),
                        failure.requestId().orElse("none"), attempt, maxRetries,
                        TimeUnit.NANOSECONDS.toMillis(delay));
            }
            try {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted before waiting to retry");
                }
                sleeper.sleep(Duration.ofNanos(delay));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                LmException thrown = exhausted(failure, earlier, attempt, start,
                        "the thread was interrupted while waiting to retry");
                thrown.addSuppressed(interrupted);
                throw thrown;
            }
            if (earlier == null) {
                earlier = new ArrayList<>(maxRetries);
            }
            earlier.add(failure);
        }
    }

    /** A stream whose first chunk was read ahead (to retry failures before it). */
    private static final class FirstChunkStream implements LmStream {
        private final LmStream inner;
        private @Nullable StreamChunk first;
        private boolean firstTaken;

        FirstChunkStream(@Nullable StreamChunk first, LmStream inner) {
            this.first = first;
            this.inner = inner;
        }

        @Override
        public @Nullable StreamChunk next() {
            if (!firstTaken) {
                firstTaken = true;
                StreamChunk chunk = first;
                first = null;
                return chunk;
            }
            return inner.next();
        }

        @Override
        public LmResponse response() {
            return inner.response();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** The backoff before retry number {@code retry} (1-based), in nanoseconds. */
    long backoff(int retry, long previousDelay) {
        return switch (jitter) {
            case NONE -> exponential(retry);
            case FULL -> uniform(0, exponential(retry));
            case DECORRELATED -> Math.min(maxDelayNanos,
                    uniform(initialDelayNanos, Math.max(initialDelayNanos, saturatedTimes3(previousDelay))));
        };
    }

    private long exponential(int retry) {
        double value = initialDelayNanos * Math.pow(multiplier, retry - 1);
        return value >= maxDelayNanos ? maxDelayNanos : (long) value;
    }

    private long uniform(long low, long high) {
        if (high <= low) {
            return low;
        }
        if (random == null) {
            return ThreadLocalRandom.current().nextLong(low, high + 1);
        }
        synchronized (random) {
            return random.nextLong(low, high + 1);
        }
    }

    private static long saturatedTimes3(long nanos) {
        return nanos > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : nanos * 3;
    }

    private static long saturatedNanos(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private LmException exhausted(LmException last, @Nullable List<LmException> earlier, int attempts, long start,
                                  String reason) {
        String note = " [gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts") + " in "
                + human(nanoTime.getAsLong() - start) + ": " + reason + "]";
        LmException rebuilt = withNote(last, note);
        if (earlier != null) {
            earlier.forEach(rebuilt::addSuppressed);
        }
        return rebuilt;
    }

    /**
     * A copy of {@code e} (same subclass, provider, status, request id) whose message ends with
     * {@code note}, caused by {@code e}. A subclass this class does not know keeps its identity:
     * it is returned itself, with the note attached as a suppressed exception.
     */
    private static LmException withNote(LmException e, String note) {
        String message = e.getMessage() + note;
        String provider = e.provider().orElse(null);
        String requestId = e.requestId().orElse(null);
        LmException copy;
        if (e.getClass() == LmException.RateLimited.class) {
            copy = new LmException.RateLimited(message, provider, e.status(), requestId,
                    ((LmException.RateLimited) e).retryAfter().orElse(null));
        } else if (e.getClass() == LmException.Timeout.class) {
            copy = new LmException.Timeout(message, provider, e.status(), requestId, e);
        } else if (e.getClass() == LmException.ServerError.class) {
            copy = new LmException.ServerError(message, provider, e.status(), requestId);
        } else if (e.getClass() == LmException.Transport.class) {
            copy = new LmException.Transport(message, provider, e);
        } else if (e.getClass() == LmException.Authentication.class) {
            copy = new LmException.Authentication(message, provider, e.status(), requestId);
        } else if (e.getClass() == LmException.ContextWindowExceeded.class) {
            copy = new LmException.ContextWindowExceeded(message, provider, e.status(), requestId);
        } else if (e.getClass() == LmException.BadRequest.class) {
            copy = new LmException.BadRequest(message, provider, e.status(), requestId);
        } else if (e.getClass() == LmException.UnknownModel.class) {
            copy = new LmException.UnknownModel(message, provider, e.status(), requestId);
        } else if (e.getClass() == LmException.Configuration.class) {
            copy = new LmException.Configuration(message, provider, e);
        } else if (e.getClass() == LmException.class) {
            copy = new LmException(message, e.isRetryable(), provider, e.status(), requestId, e);
        } else {
            e.addSuppressed(new LmException(note.strip(), e.isRetryable(), provider, e.status(), requestId, null));
            return e;
        }
        if (copy.getCause() == null) {
            copy.addSuppressed(e); // these subclasses' constructors take no cause
        }
        return copy;
    }

    static String human(long nanos) {
        if (nanos >= 60_000_000_000L && nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + " min";
        }
        if (nanos >= 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }

    @Override
    public String toString() {
        return "Retry[maxRetries=" + maxRetries + ", initialDelay=" + human(initialDelayNanos) + ", maxDelay="
                + human(maxDelayNanos) + ", multiplier=" + multiplier + ", jitter=" + jitter + ", deadline="
                + human(deadlineNanos) + "]";
    }

    /**
     * Configures a {@link Retry}. Each setter validates its argument and throws
     * {@link IllegalArgumentException} naming the setting. Not thread-safe; the built
     * {@code Retry} is.
     */
    public static final class Builder {
        private int maxRetries = 3;
        private Duration initialDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofSeconds(30);
        private double multiplier = 2.0;
        private Jitter jitter = Jitter.FULL;
        private Duration deadline = Duration.ofMinutes(2);
        private Sleeper sleeper = Sleeper.SYSTEM;
        private LongSupplier nanoTime = System::nanoTime;
        private @Nullable RandomGenerator random;

        private Builder() {}

        /**
         * How many times a failed call may be retried; 0 disables retrying. Default 3.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, was " + value);
            }
            this.maxRetries = value;
            return this;
        }

        /**
         * The base delay before the first retry. Default 1 second. Must not exceed
         * {@code maxDelay} (checked by {@link #build()}).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder initialDelay(Duration value) {
            Objects.requireNonNull(value, "initialDelay");
            if (value.isNegative()) {
                throw new IllegalArgumentException("initialDelay must be >= 0, was " + value);
            }
            this.initialDelay = value;
            return this;
        }

        /**
         * The longest backoff delay (a provider's Retry-After may be longer). Default 30 seconds.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxDelay(Duration value) {
            Objects.requireNonNull(value, "maxDelay");
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxDelay must be >= 0, was " + value);
            }
            this.maxDelay = value;
            return this;
        }

        /**
         * The growth factor of the exponential backoff ({@link Jitter#NONE} and {@link Jitter#FULL}).
         * Default 2.
         *
         * @throws IllegalArgumentException if below 1 or not finite
         */
        public Builder multiplier(double value) {
            if (!(value >= 1.0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + value);
            }
            this.multiplier = value;
            return this;
        }

        /** The jitter strategy. Default {@link Jitter#FULL}. */
        public Builder jitter(Jitter value) {
            this.jitter = Objects.requireNonNull(value, "jitter");
            return this;
        }

        /**
         * The total time after the first attempt started within which retries may start. Default 2
         * minutes.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder deadline(Duration value) {
            Objects.requireNonNull(value, "deadline");
            if (!value.isPositive()) {
                throw new IllegalArgumentException("deadline must be positive, was " + value);
            }
            this.deadline = value;
            return this;
        }

        /** How to wait between attempts. Default {@link Sleeper#SYSTEM}. */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /**
         * The monotonic time source for the deadline, in nanoseconds. Default {@link System#nanoTime()}.
         */
        public Builder nanoTime(LongSupplier value) {
            this.nanoTime = Objects.requireNonNull(value, "nanoTime");
            return this;
        }

        /**
         * The random generator for jitter, e.g. a seeded {@code SplittableRandom} for reproducible
         * delays; calls to it are synchronized, so it need not be thread-safe. Default
         * {@link ThreadLocalRandom}.
         */
        public Builder random(RandomGenerator value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /**
         * A {@link Retry} with these settings.
         *
         * @throws IllegalArgumentException if {@code initialDelay} exceeds {@code maxDelay}
         */
        public Retry build() {
            if (initialDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("initialDelay (" + initialDelay + ") must not exceed maxDelay ("
                        + maxDelay + ")");
            }
            return new Retry(this);
        }
    }
}
