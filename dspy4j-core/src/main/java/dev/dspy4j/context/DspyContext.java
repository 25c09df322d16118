package dev.dspy4j.context;

import dev.dspy4j.DspyException;
import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.CallContext;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.retrieve.Retriever;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything a program call needs besides its inputs: the LM, the adapter, default generation
 * options, interceptors that apply to every LM call, and listeners. Immutable; derive variants
 * with the {@code with*} methods.
 *
 * <p>There is no global configuration. Pass a context explicitly
 * ({@code program.call(inputs, ctx)}) or bind it for a block:
 *
 * <pre>{@code
 * try (var scope = DspyContext.of(lm).bind()) {
 *     program.call(inputs);       // sees lm
 * }                               // the previous binding is restored
 * }</pre>
 *
 * <p><b>Threads.</b> A binding belongs to the thread that made it, and to the threads it starts
 * while the binding is open: a virtual thread started inside {@code forward} (or a parallel branch
 * of a program) sees the caller's context without any wrapping. Two threads can run the same
 * program with different contexts at the same time, each seeing its own. A pooled thread that
 * existed before the binding does not see it: hand it a task wrapped with {@link #wrap(Runnable)}
 * or run the task with {@link #run(Callable)}. Once a scope is closed, threads started under it no
 * longer see it.
 *
 * <p><b>Interceptors</b> added with {@link #withInterceptors} run in front of whichever LM a
 * predictor uses, its own LM included, so a budget, a usage tracker or a history cannot be
 * escaped by a per-predictor LM. They run before the LM's own interceptors (retry, cache, ...).
 */
public final class DspyContext {

    private static final DspyContext EMPTY = new DspyContext(null, ChatAdapter.DEFAULT, LmOptions.NONE, List.of(),
            List.of(), null, Map.of());
    private static final InheritableThreadLocal<DspyContext.Scope> CURRENT = new InheritableThreadLocal<>();
    private static final ContextKey<Retriever> RETRIEVER = ContextKey.named("retriever");

    private final @Nullable Lm lm;
    private final Adapter adapter;
    private final LmOptions options;
    private final List<DspyListener> listeners;
    private final List<LmInterceptor> interceptors;
    private final @Nullable Span span;
    private final Map<ContextKey<?>, Object> values;

    private DspyContext(@Nullable Lm lm, Adapter adapter, LmOptions options, List<DspyListener> listeners,
                        List<LmInterceptor> interceptors, @Nullable Span span, Map<ContextKey<?>, Object> values) {
        this.lm = lm;
        this.adapter = adapter;
        this.options = options;
        this.listeners = listeners;
        this.interceptors = interceptors;
        this.span = span;
        this.values = values;
    }

    /** A context with no LM, the default {@link ChatAdapter}, no interceptors and no listeners. */
    public static DspyContext empty() {
        return EMPTY;
    }

    /** A context with this LM and the defaults for everything else. */
    public static DspyContext of(Lm lm) {
        return EMPTY.withLm(lm);
    }

    /**
     * The context bound to the current thread (or inherited from the thread that started it), or
     * {@link #empty()} if none is.
     */
    public static DspyContext current() {
        Scope scope = CURRENT.get();
        while (scope != null && scope.closed) {
            scope = scope.previous;
        }
        return scope == null ? EMPTY : scope.bound;
    }

    /** The LM, or {@code null} if none is set. */
    public @Nullable Lm lm() {
        return lm;
    }

    /**
     * The LM.
     *
     * @throws DspyException saying how to set one if none is set
     */
    public Lm requireLm() {
        if (lm == null) {
            throw new DspyException("No LM is set for this call (thread " + Thread.currentThread().getName() + "). "
                    + "Pass one with program.call(inputs, DspyContext.of(lm)), bind one with "
                    + "try (var scope = DspyContext.of(lm).bind()) { ... }, or give the predictor its own LM. "
                    + "If the call runs on a thread that existed before the binding (an executor's pool thread), "
                    + "the binding does not reach it: submit DspyContext.current().wrap(task) instead of task, "
                    + "or start a new (virtual) thread, which inherits the binding.");
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

    /** The interceptors that run in front of every LM call made under this context, first first. */
    public List<LmInterceptor> interceptors() {
        return interceptors;
    }

    /** The span that work started under this context belongs to, or {@code null} at the top. */
    public @Nullable Span span() {
        return span;
    }

    /** This context with another LM. */
    public DspyContext withLm(Lm newLm) {
        return new DspyContext(Objects.requireNonNull(newLm, "lm"), adapter, options, listeners, interceptors, span,
                values);
    }

    /**
     * This context with a retriever, which {@link dev.dspy4j.module.Retrieve} modules without their
     * own use (DSPy's {@code dspy.configure(rm=...)}). The context does not own it: close it yourself.
     */
    public DspyContext withRetriever(Retriever retriever) {
        return with(RETRIEVER, Objects.requireNonNull(retriever, "retriever"));
    }

    /** The retriever set with {@link #withRetriever}, or {@code null}. */
    public @Nullable Retriever retriever() {
        return get(RETRIEVER);
    }

    /** This context with another adapter. */
    public DspyContext withAdapter(Adapter newAdapter) {
        return new DspyContext(lm, Objects.requireNonNull(newAdapter, "adapter"), options, listeners, interceptors,
                span, values);
    }

    /** This context with other default options. */
    public DspyContext withOptions(LmOptions newOptions) {
        return new DspyContext(lm, adapter, Objects.requireNonNull(newOptions, "options"), listeners, interceptors,
                span, values);
    }

    /** This context with one more listener, called after the existing ones. */
    public DspyContext withListener(DspyListener listener) {
        List<DspyListener> copy = new ArrayList<>(listeners);
        copy.add(Objects.requireNonNull(listener, "listener"));
        return new DspyContext(lm, adapter, options, List.copyOf(copy), interceptors, span, values);
    }

    /**
     * This context with more interceptors in front of every LM call, after (inside) the ones
     * already set. They apply to the context's LM and to any predictor's own LM, and run before
     * the LM's own interceptors. Usage trackers, histories and budgets go here.
     */
    public DspyContext withInterceptors(LmInterceptor... more) {
        List<LmInterceptor> copy = new ArrayList<>(interceptors);
        for (LmInterceptor interceptor : more) {
            copy.add(Objects.requireNonNull(interceptor, "interceptor"));
        }
        return new DspyContext(lm, adapter, options, listeners, List.copyOf(copy), span, values);
    }

    /** This context with work nested under {@code parent} (listeners see it as the parent span). */
    public DspyContext withSpan(@Nullable Span parent) {
        return parent == span ? this
                : new DspyContext(lm, adapter, options, listeners, interceptors, parent, values);
    }

    /**
     * Starts a span under this context's span and tells the listeners. Without listeners this
     * costs nothing. Run the span's work under {@code withSpan(span.span())}.
     *
     * @param kind what the span covers
     * @param name its short name
     * @param attributes what is known at the start
     * @return the span, to end or fail exactly once
     */
    public ActiveSpan startSpan(SpanKind kind, String name, Map<String, Object> attributes) {
        return ActiveSpan.start(listeners, span, kind, name, attributes);
    }

    /**
     * The LM a predictor's call goes to: {@code base} behind this context's interceptors, with its
     * calls reported to the listeners, and the calling predictor's path in
     * {@link dev.dspy4j.lm.CallInfo}. Returns {@code base} itself when there is nothing to add.
     *
     * @param base the predictor's own LM, or this context's
     * @param predictorPath the calling predictor's path ({@code ""} if unknown)
     */
    public Lm lmFor(Lm base, String predictorPath) {
        Objects.requireNonNull(base, "base");
        if (interceptors.isEmpty() && listeners.isEmpty()) {
            return base;
        }
        return new ContextLm(base, this, predictorPath);
    }

    /**
     * What an adapter needs to make a predictor's call under this context: the LM (see
     * {@link #lmFor}), the listeners and the current span; other LMs the adapter calls (such as
     * TwoStep's extraction model) are routed the same way.
     *
     * @param base the predictor's own LM, or this context's
     * @param predictorPath the calling predictor's path ({@code ""} if unknown)
     */
    public CallContext callContext(Lm base, String predictorPath) {
        if (interceptors.isEmpty() && listeners.isEmpty()) {
            return CallContext.of(base);
        }
        return new CallContext(lmFor(base, predictorPath), listeners, span, other -> lmFor(other, predictorPath));
    }

    /**
     * Binds this context to the current thread until the returned scope is closed. Scopes nest;
     * closing one restores the binding that was there before. Threads started while the scope is
     * open see this context too.
     *
     * @return the scope to close (use try-with-resources)
     */
    public Scope bind() {
        Scope previous = CURRENT.get();
        Scope scope = new Scope(this, previous, Thread.currentThread());
        CURRENT.set(scope);
        return scope;
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

    /** A task that runs {@code task} with this context bound, for handing to a pooled thread. */
    public Runnable wrap(Runnable task) {
        return () -> {
            try (Scope ignored = bind()) {
                task.run();
            }
        };
    }

    /** A task that runs {@code task} with this context bound, for handing to a pooled thread. */
    public <T> Callable<T> wrap(Callable<T> task) {
        return () -> {
            try (Scope ignored = bind()) {
                return task.call();
            }
        };
    }

    /**
     * The value stored under {@code key}, or {@code null}. Only code holding the key can read or
     * write its value: modules keep learned-state overrides this way, integrations their own data.
     */
    @SuppressWarnings("unchecked")
    public <T> @Nullable T get(ContextKey<T> key) {
        return values.isEmpty() ? null : (T) values.get(key);
    }

    /** This context with {@code value} stored under {@code key} ({@code null} removes it). */
    public <T> DspyContext with(ContextKey<T> key, @Nullable T value) {
        Objects.requireNonNull(key, "key");
        Map<ContextKey<?>, Object> copy;
        if (values.isEmpty()) {
            copy = value == null ? Map.of() : Map.of(key, value);
        } else {
            copy = new HashMap<>(values);
            if (value == null) {
                copy.remove(key);
            } else {
                copy.put(key, value);
            }
        }
        return new DspyContext(lm, adapter, options, listeners, interceptors, span, copy);
    }

    @Override
    public String toString() {
        return "DspyContext[lm=" + lm + ", adapter=" + adapter + ", options=" + options + ", "
                + interceptors.size() + " interceptors, " + listeners.size() + " listeners]";
    }

    /** A binding of a context to a thread; closing it restores the previous binding. */
    public static final class Scope implements AutoCloseable {
        private final DspyContext bound;
        private final @Nullable Scope previous;
        private final Thread owner;
        private volatile boolean closed;

        private Scope(DspyContext bound, @Nullable Scope previous, Thread owner) {
            this.bound = bound;
            this.previous = previous;
            this.owner = owner;
        }

        /** The context this scope bound. */
        public DspyContext context() {
            return bound;
        }

        /**
         * Restores the previous binding. Threads started under this scope stop seeing it.
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
