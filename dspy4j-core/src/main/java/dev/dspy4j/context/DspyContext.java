package dev.dspy4j.context;

import dev.dspy4j.DspyException;
import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.lm.LM;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.trace.DspyListener;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Everything a program call needs besides its inputs: the LM, the adapter, default generation
 * options and listeners. Immutable; derive variants with the {@code with*} methods.
 *
 * <p>There is no global configuration. Pass a context explicitly
 * ({@code program.call(inputs, ctx)}) or bind it to the current thread for a block:
 *
 * <pre>{@code
 * try (var scope = DspyContext.of(lm).bind()) {
 *     program.call(inputs);       // sees lm
 * }                               // the previous binding is restored
 * }</pre>
 *
 * <p>A binding belongs to the thread that made it: two threads can run the same program with
 * different contexts at the same time, each seeing its own. To carry a binding to a thread you
 * start, wrap the task with {@link #wrap(Runnable)} or call {@link #run(Callable)} inside it.
 */
public final class DspyContext {

    private static final DspyContext EMPTY =
            new DspyContext(null, ChatAdapter.DEFAULT, LmOptions.NONE, List.of(), Map.of());
    private static final ThreadLocal<DspyContext> CURRENT = new ThreadLocal<>();

    private final LM lm;
    private final Adapter adapter;
    private final LmOptions options;
    private final List<DspyListener> listeners;
    private final Map<Object, Object> overlay;

    private DspyContext(LM lm, Adapter adapter, LmOptions options, List<DspyListener> listeners,
                        Map<Object, Object> overlay) {
        this.lm = lm;
        this.adapter = adapter;
        this.options = options;
        this.listeners = listeners;
        this.overlay = overlay;
    }

    /** A context with no LM, the default {@link ChatAdapter} and no listeners. */
    public static DspyContext empty() {
        return EMPTY;
    }

    /** A context with this LM and the defaults for everything else. */
    public static DspyContext of(LM lm) {
        return EMPTY.withLm(lm);
    }

    /**
     * The context bound to the current thread, or {@link #empty()} if none is.
     */
    public static DspyContext current() {
        DspyContext bound = CURRENT.get();
        return bound == null ? EMPTY : bound;
    }

    /** The LM, or {@code null} if none is set. */
    public LM lm() {
        return lm;
    }

    /**
     * The LM.
     *
     * @throws DspyException saying how to set one if none is set
     */
    public LM requireLm() {
        if (lm == null) {
            throw new DspyException("No LM is set. Pass one with DspyContext.of(lm) (explicitly, or bound with "
                    + "try (var scope = DspyContext.of(lm).bind()) { ... }), or give the predictor its own LM.");
        }
        return lm;
    }

    /** The adapter ({@link ChatAdapter} unless set). */
    public Adapter adapter() {
        return adapter;
    }

    /** Default generation options, overridden by a predictor's own. */
    public LmOptions options() {
        return options;
    }

    /** The listeners, in the order added. */
    public List<DspyListener> listeners() {
        return listeners;
    }

    /** This context with another LM. */
    public DspyContext withLm(LM newLm) {
        return new DspyContext(Objects.requireNonNull(newLm, "lm"), adapter, options, listeners, overlay);
    }

    /** This context with another adapter. */
    public DspyContext withAdapter(Adapter newAdapter) {
        return new DspyContext(lm, Objects.requireNonNull(newAdapter, "adapter"), options, listeners, overlay);
    }

    /** This context with other default options. */
    public DspyContext withOptions(LmOptions newOptions) {
        return new DspyContext(lm, adapter, Objects.requireNonNull(newOptions, "options"), listeners, overlay);
    }

    /** This context with one more listener, called after the existing ones. */
    public DspyContext withListener(DspyListener listener) {
        List<DspyListener> copy = new ArrayList<>(listeners);
        copy.add(Objects.requireNonNull(listener, "listener"));
        return new DspyContext(lm, adapter, options, List.copyOf(copy), overlay);
    }

    /**
     * Binds this context to the current thread until the returned scope is closed. Scopes nest;
     * closing one restores the binding that was there before.
     *
     * @return the scope to close (use try-with-resources)
     */
    public Scope bind() {
        DspyContext previous = CURRENT.get();
        CURRENT.set(this);
        return new Scope(this, previous, Thread.currentThread());
    }

    /** Runs {@code task} with this context bound, and returns its result. */
    public <T> T run(Callable<T> task) {
        try (Scope ignored = bind()) {
            return task.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new DspyException("Task failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code task} with this context bound, and returns its result. */
    public <T> T get(Supplier<T> task) {
        try (Scope ignored = bind()) {
            return task.get();
        }
    }

    /** A task that runs {@code task} with this context bound, for handing to another thread. */
    public Runnable wrap(Runnable task) {
        return () -> {
            try (Scope ignored = bind()) {
                task.run();
            }
        };
    }

    /**
     * Internal: this context with per-object state overrides, used to run a program with
     * learned state that differs from its predictors' own. Later overrides win.
     */
    public DspyContext withOverlay(Map<?, ?> entries) {
        if (entries.isEmpty()) {
            return this;
        }
        Map<Object, Object> merged = new IdentityHashMap<>(overlay);
        merged.putAll(entries);
        return new DspyContext(lm, adapter, options, listeners, merged);
    }

    /** Internal: the state override for {@code key}, or {@code null}. */
    public Object overlayFor(Object key) {
        return overlay.isEmpty() ? null : overlay.get(key);
    }

    /** A binding of a context to a thread; closing it restores the previous binding. */
    public static final class Scope implements AutoCloseable {
        private final DspyContext bound;
        private final DspyContext previous;
        private final Thread owner;
        private boolean closed;

        private Scope(DspyContext bound, DspyContext previous, Thread owner) {
            this.bound = bound;
            this.previous = previous;
            this.owner = owner;
        }

        /** The context this scope bound. */
        public DspyContext context() {
            return bound;
        }

        /**
         * Restores the previous binding.
         *
         * @throws IllegalStateException if closed on another thread than the one that bound it
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("A DspyContext scope must be closed on the thread that opened it ("
                        + owner.getName() + "), not " + Thread.currentThread().getName() + ".");
            }
            closed = true;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
