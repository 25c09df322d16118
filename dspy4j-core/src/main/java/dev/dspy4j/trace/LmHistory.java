package dev.dspy4j.trace;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.usage.PriceTable;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The last N LM calls, as DSPy's {@code lm.history}, and {@link #inspectHistory(int)} to print
 * them as DSPy's {@code inspect_history} does. It is an interceptor; put it in one of two places:
 *
 * <ul>
 *   <li><b>per LM</b>, in the LM's chain: every call through that LM, by any program, is kept,
 *       under the LM's model name:
 *       <pre>{@code LmHistory history = LmHistory.create();
 * Lm lm = client.withInterceptors(Retry.defaults(), history);}</pre>
 *       Place it after the cache to see only provider calls, before it to see cache hits too.</li>
 *   <li><b>per program run</b>, on the run's context: every LM call the run makes, whichever LM
 *       a predictor uses, under that LM's model name:
 *       <pre>{@code program.call(inputs, DspyContext.of(lm).withInterceptors(history));}</pre></li>
 * </ul>
 *
 * Failed calls are not kept; a streamed call is kept, with its assembled text, once the stream
 * has been read to its end.
 *
 * <p>Entries ({@link LmCall}) never hold credentials: requests do not carry them, and
 * credential-like option names are dropped besides. They do hold full prompts and completions,
 * so treat a history like a log of your data.
 *
 * <p>Defaults: capacity {@value #DEFAULT_CAPACITY} entries (DSPy keeps 10,000, but a prompt with
 * demos runs to tens of kilobytes and a long optimization would hold hundreds of megabytes), the
 * system clock in the default time zone, {@link PriceTable#builtIn()} for each entry's cost, and
 * {@link ThreadLocalRandom} for entry ids.
 *
 * <p>Thread-safe: calls may be recorded from any number of threads; readers get immutable
 * copies. Recording costs one short lock and no copying of messages.
 */
public final class LmHistory implements LmInterceptor {

    /** The default number of entries kept. */
    public static final int DEFAULT_CAPACITY = 1_000;

    private final Clock clock;
    private final PriceTable prices;
    private final @Nullable RandomGenerator random; // null: ThreadLocalRandom
    private final ReentrantLock lock = new ReentrantLock();
    private final LmCall[] ring;          // guarded by lock
    private int next;                     // guarded by lock; where the next entry goes
    private int size;                     // guarded by lock

    private LmHistory(Builder b) {
        this.clock = b.clock;
        this.prices = b.prices;
        this.random = b.random;
        this.ring = new LmCall[b.capacity];
    }

    /** A history with the defaults (see the class comment). */
    public static LmHistory create() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Passes the call on and keeps it under the LM's model name. */
    @Override
    public LmResponse intercept(LmRequest request, Chain chain) {
        LmResponse response = chain.proceed(request);
        record(chain.lm().model(), request, response);
        return response;
    }

    /** Passes the stream on and keeps the assembled text once the stream has been read to its end. */
    @Override
    public LmStream interceptStream(LmRequest request, Chain chain) {
        String model = chain.lm().model();
        return LmStream.observed(chain.proceedStream(request), response -> record(model, request, response),
                failure -> { });
    }

    /**
     * Keeps one call, for LM calls made outside dspy4j's call path.
     *
     * @param model the model name to keep it under
     * @param request what was sent
     * @param response what came back
     * @return the entry kept
     */
    public LmCall record(String model, LmRequest request, LmResponse response) {
        BigDecimal cost = prices.cost(model, response.usage())
                .map(full -> response.cacheHit() ? BigDecimal.ZERO : full).orElse(null);
        List<String> outputs = new ArrayList<>(response.choices().size());
        for (Choice choice : response.choices()) {
            outputs.add(choice.text());
        }
        LmCall call = new LmCall(OffsetDateTime.now(clock), model, response.model(), request.messages(),
                request.options().toWireMap(), outputs, response.usage(), cost, response.cacheHit(), newUuid());
        lock.lock();
        try {
            ring[next] = call;
            next = (next + 1) % ring.length;
            if (size < ring.length) {
                size++;
            }
        } finally {
            lock.unlock();
        }
        return call;
    }

    private UUID newUuid() {
        long high;
        long low;
        if (random == null) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            high = r.nextLong();
            low = r.nextLong();
        } else {
            synchronized (random) {
                high = random.nextLong();
                low = random.nextLong();
            }
        }
        // version 4 (random), IETF variant
        return new UUID((high & ~0xF000L) | 0x4000L, (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }

    /** All kept calls, oldest first. */
    public List<LmCall> calls() {
        return last(Integer.MAX_VALUE);
    }

    /**
     * The last {@code n} calls (fewer if fewer are kept), oldest first.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public List<LmCall> last(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        lock.lock();
        try {
            int count = Math.min(n, size);
            List<LmCall> out = new ArrayList<>(count);
            int start = Math.floorMod(next - count, ring.length);
            for (int i = 0; i < count; i++) {
                out.add(ring[(start + i) % ring.length]);
            }
            return List.copyOf(out);
        } finally {
            lock.unlock();
        }
    }

    /** How many calls are kept now, at most {@link #capacity()}. */
    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** The most calls kept; older ones are dropped first. */
    public int capacity() {
        return ring.length;
    }

    /** Forgets all kept calls. */
    public void clear() {
        lock.lock();
        try {
            java.util.Arrays.fill(ring, null);
            next = 0;
            size = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The last {@code n} calls as DSPy's {@code inspect_history(n)} prints them, without colors:
     * per call, the {@code [timestamp]}, each message under a {@code "<Role> message:"} line,
     * {@code Response:} and the first completion, and {@code (and N other completions)} when
     * there were more.
     *
     * @param n how many of the latest calls, 1 or more
     * @return the text (only blank lines if nothing is kept)
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public String inspectHistory(int n) {
        return HistoryText.render(last(positive(n)), false);
    }

    /**
     * Prints the last {@code n} calls as {@link #inspectHistory(int)} renders them, with ANSI
     * colors (blue timestamps, red headers, green responses, as DSPy) if {@code color} is true.
     *
     * @param n how many of the latest calls, 1 or more
     * @param out where to print
     * @param color whether to use ANSI colors
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public void inspectHistory(int n, PrintStream out, boolean color) {
        Objects.requireNonNull(out, "out");
        out.print(HistoryText.render(last(positive(n)), color));
        out.flush();
    }

    /**
     * Prints the last {@code n} calls, in color only when {@code out} is {@link System#out}
     * attached to a terminal and the {@code NO_COLOR} environment variable is not set.
     *
     * @param n how many of the latest calls, 1 or more
     * @param out where to print
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public void inspectHistory(int n, PrintStream out) {
        inspectHistory(n, out, out == System.out && stdoutIsTerminal());
    }

    private static int positive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        return n;
    }

    private static boolean stdoutIsTerminal() {
        if (System.getenv("NO_COLOR") != null) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ returns a console even when redirected; it then says whether it is a terminal
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException onJdk21) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "LmHistory[" + size() + " of " + ring.length + " calls]";
    }

    /**
     * Configures an {@link LmHistory}. Each setter validates its argument. Not thread-safe; the
     * built history is.
     */
    public static final class Builder {
        private int capacity = DEFAULT_CAPACITY;
        private Clock clock = Clock.systemDefaultZone();
        private PriceTable prices = PriceTable.builtIn();
        private @Nullable RandomGenerator random;

        private Builder() {}

        /**
         * The most calls kept. Default {@value LmHistory#DEFAULT_CAPACITY}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder capacity(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("capacity must be >= 1, was " + value);
            }
            this.capacity = value;
            return this;
        }

        /**
         * The clock for timestamps; its zone is the one printed. Default the system clock in the
         * default time zone.
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The prices for each entry's cost. Default {@link PriceTable#builtIn()}. */
        public Builder prices(PriceTable value) {
            this.prices = Objects.requireNonNull(value, "prices");
            return this;
        }

        /**
         * The random source of entry ids, e.g. a seeded {@code SplittableRandom} for reproducible
         * ids; calls to it are synchronized. Default {@link ThreadLocalRandom}.
         */
        public Builder random(RandomGenerator value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** A new, empty {@link LmHistory} with these settings. */
        public LmHistory build() {
            return new LmHistory(this);
        }
    }
}
