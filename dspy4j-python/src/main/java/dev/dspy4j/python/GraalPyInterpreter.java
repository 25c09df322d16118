package dev.dspy4j.python;

import dev.dspy4j.DspyException;
import dev.dspy4j.module.CodeInterpreter;
import dev.dspy4j.module.CodeSession;
import dev.dspy4j.tool.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * A {@link CodeInterpreter} that runs Python in GraalPy (Python 3.11 on the JVM) inside a sandbox,
 * for {@link dev.dspy4j.module.ProgramOfThought} and {@link dev.dspy4j.module.CodeAct}.
 *
 * <pre>{@code
 * try (GraalPyInterpreter python = GraalPyInterpreter.builder().timeout(Duration.ofSeconds(5)).build()) {
 *     ProgramOfThought pot = ProgramOfThought.of("question -> answer", python);
 *     ...
 * }
 * }</pre>
 *
 * <p><b>The sandbox.</b> Each context is built with every GraalVM privilege off: no file system
 * ({@code open} raises {@code PermissionError}), no sockets, no processes ({@code os.system},
 * {@code subprocess}), no environment ({@code os.environ} is empty), no threads, no native code,
 * no host (Java) access or class lookup, no other polyglot languages. The code sees the Python
 * standard library modules that need none of these (math, json, re, datetime, fractions,
 * statistics, itertools, ...), the {@code SUBMIT} function, and the session's tools, which call
 * back into Java through one host function that takes and returns JSON text.
 *
 * <p><b>Limits per run</b> (one {@link CodeSession#execute}), enforced by a watchdog thread that
 * polls every 10 ms and stops the run (GraalVM's {@code Context.interrupt}, then
 * {@code Context.close(true)} if the code does not stop within a second):
 * <ul>
 *   <li><b>time</b>: {@link Builder#timeout}, default 10 s of wall-clock time;</li>
 *   <li><b>memory</b>: {@link Builder#maxAllocatedBytes}, default 1 GiB, counts every byte the run's
 *     thread allocates ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), garbage
 *     included, since GraalVM's community edition has no heap limit per context. It stops
 *     unbounded growth early, but it is a budget on allocation, not on live memory: code that
 *     churns through short-lived objects reaches it too. As a second guard, when a heap pool is
 *     still over 90% full after a garbage collection, the run that allocated most is stopped. Both
 *     act within a poll interval, so a run can overshoot by what it allocates in about 10 ms; a
 *     single huge allocation can still raise the JVM's {@code OutOfMemoryError} before either acts;
 *     GraalPy reports that as a {@code MemoryError} and the JVM recovers;</li>
 *   <li><b>output</b>: {@link Builder#maxOutputBytes}, default 64 KiB each of stdout and stderr;
 *     printing more stops the run.</li>
 * </ul>
 * Tools called from the code run on the run's thread, so their time and allocation count too.
 * A stopped run raises {@link dev.dspy4j.module.CodeExecutionException} of kind {@code TIMEOUT},
 * {@code MEMORY_LIMIT} or {@code OUTPUT_LIMIT}, which ProgramOfThought feeds back to the LM. When
 * the code had to be cancelled, the session continues in a fresh context: its variables are lost.
 *
 * <p><b>Warm.</b> One GraalVM {@link Engine} is shared by all contexts, and contexts are pooled: a
 * closed session returns its context to the pool, and the next session gets a fresh namespace in
 * it. The first context of a JVM takes seconds (GraalPy initialises its runtime and the standard
 * library modules the runner imports; see {@code docs/modules.md} for measured times); later
 * sessions take milliseconds. Modules imported by one session stay imported in that context, so a
 * session that changes a module's state (say {@code math.pi = 3}) is seen by later sessions on
 * the same context. Pooled contexts therefore do not isolate sessions from hostile code: code
 * that rewrites the standard library or the runner's helpers affects the sessions that reuse its
 * context. {@link Builder#isolateSessions} gives every session a new context instead.
 * {@link #warmUp()} starts the first context ahead of time.
 *
 * <p>Code runs on the interpreter's own daemon threads (platform threads, so their allocation can
 * be measured); the calling thread waits. Thread-safe: concurrent sessions use separate contexts.
 * {@link #close()} closes the pool and the engine; sessions in progress are cancelled.
 *
 * <p>On JDK 24 or later, run with {@code --enable-native-access=ALL-UNNAMED
 * --sun-misc-unsafe-memory-access=allow}; {@code -Dpolyglot.engine.WarnInterpreterOnly=false}
 * silences GraalVM's note that it runs without its JIT compiler on a stock JDK. The first run on a
 * machine unpacks GraalPy's standard library (about 48 MB) into {@code ~/.cache/org.graalvm.polyglot},
 * or where the system property {@code polyglot.engine.userResourceCache} points.
 */
public final class GraalPyInterpreter implements CodeInterpreter {

    private static final Source PRELUDE = prelude();

    private final Duration timeout;
    private final long maxAllocatedBytes;
    private final int maxOutputBytes;
    private final boolean isolateSessions;
    private final Engine engine;
    private final RunWatchdog watchdog = new RunWatchdog();
    private final ExecutorService runners;
    private final ConcurrentLinkedDeque<PythonContext> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private GraalPyInterpreter(Builder builder) {
        this.timeout = builder.timeout;
        this.maxAllocatedBytes = builder.maxAllocatedBytes;
        this.maxOutputBytes = builder.maxOutputBytes;
        this.isolateSessions = builder.isolateSessions;
        this.engine = Engine.newBuilder("python")
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        // platform threads, whose allocation ThreadMXBean measures; they must not inherit the
        // context of whichever call happened to start them (each run binds its caller's)
        this.runners = Executors.newCachedThreadPool(Thread.ofPlatform().name("dspy4j-python-run-", 1).daemon(true)
                .inheritInheritableThreadLocals(false).factory());
    }

    /** An interpreter with the default limits: 10 s, 1 GiB allocated, 64 KiB of output per run. */
    public static GraalPyInterpreter create() {
        return builder().build();
    }

    /** A builder for an interpreter with other limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** The time limit of one run. */
    public Duration timeout() {
        return timeout;
    }

    /** The allocation budget of one run, in bytes. */
    public long maxAllocatedBytes() {
        return maxAllocatedBytes;
    }

    /** The most bytes one run may print to stdout, and to stderr. */
    public int maxOutputBytes() {
        return maxOutputBytes;
    }

    /**
     * Starts a context now and pools it, so the first session does not pay GraalPy's start-up.
     * Blocks until done (seconds in a cold JVM).
     *
     * @throws DspyException if the interpreter is closed or GraalPy cannot start
     */
    public void warmUp() {
        idle.push(newContext());
    }

    @Override
    public CodeSession openSession(List<Tool> tools) {
        Objects.requireNonNull(tools, "tools");
        checkOpen();
        PythonContext context = idle.poll();
        return new GraalPySession(this, context != null ? context : newContext(), List.copyOf(tools));
    }

    PythonContext newContext() {
        checkOpen();
        CappedOutput out = new CappedOutput(maxOutputBytes);
        CappedOutput err = new CappedOutput(maxOutputBytes);
        Context context = Context.newBuilder("python")
                .engine(engine)
                .allowAllAccess(false)
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowNativeAccess(false)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowInnerContextOptions(false)
                .in(InputStream.nullInputStream())
                .out(out)
                .err(err)
                .build();
        try {
            context.eval(PRELUDE);
        } catch (RuntimeException e) {
            context.close(true);
            throw new DspyException("GraalPy could not start its runner: " + e.getMessage() + ". Check that "
                    + "org.graalvm.polyglot:python is on the class path in the same version as polyglot.", e);
        }
        Value bindings = context.getBindings("python");
        return new PythonContext(context, out, err, bindings.getMember("__dspy4j_namespace"),
                bindings.getMember("__dspy4j_run"));
    }

    /** Takes back a session's context: pooled, unless sessions are isolated or it was cancelled. */
    void release(PythonContext context, boolean healthy) {
        if (healthy && !isolateSessions && !closed) {
            idle.push(context);
            if (!closed) {
                return;
            }
            idle.remove(context);
        }
        context.close();
    }

    RunWatchdog watchdog() {
        return watchdog;
    }

    ExecutorService runners() {
        return runners;
    }

    Duration runTimeout() {
        return timeout;
    }

    void checkOpen() {
        if (closed) {
            throw new DspyException("This GraalPyInterpreter is closed; create a new one.");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        PythonContext context;
        while ((context = idle.poll()) != null) {
            context.close();
        }
        watchdog.close();
        runners.shutdownNow();
        try {
            engine.close(true);
        } catch (RuntimeException e) {
            // contexts still running are cancelled with the engine; nothing else to release
        }
    }

    private static Source prelude() {
        try (InputStream in = GraalPyInterpreter.class.getResourceAsStream("prelude.py")) {
            if (in == null) {
                throw new IllegalStateException("dspy4j-python's prelude.py is missing from the class path");
            }
            return Source.newBuilder("python", new String(in.readAllBytes(), StandardCharsets.UTF_8), "<dspy4j>")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A pooled context with its output streams and the runner's two functions, held here so that
     * code rebinding their global names does not change what later sessions call.
     */
    record PythonContext(Context context, CappedOutput out, CappedOutput err, Value namespaceFactory, Value runner) {
        void close() {
            try {
                context.close(true);
            } catch (RuntimeException e) {
                // already closed (cancelled by the watchdog)
            }
        }
    }

    /**
     * Limits of a {@link GraalPyInterpreter}, each checked as it is set. Not thread-safe; the
     * interpreters it builds are.
     */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(10);
        private long maxAllocatedBytes = 1L << 30;
        private int maxOutputBytes = 64 * 1024;
        private boolean isolateSessions;

        private Builder() {}

        /**
         * The wall-clock time one run may take; default 10 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The bytes one run may allocate, garbage included; default 1 GiB.
         *
         * @throws IllegalArgumentException if below 1 MiB
         */
        public Builder maxAllocatedBytes(long bytes) {
            if (bytes < (1L << 20)) {
                throw new IllegalArgumentException("maxAllocatedBytes must be at least 1 MiB (1048576), was " + bytes);
            }
            this.maxAllocatedBytes = bytes;
            return this;
        }

        /**
         * The bytes one run may print to stdout, and to stderr; default 64 KiB.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxOutputBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxOutputBytes must be at least 1, was " + bytes);
            }
            this.maxOutputBytes = bytes;
            return this;
        }

        /**
         * Whether every session gets a new context (nothing carries over from one session to the
         * next, at the cost of a context start per session) instead of a pooled one with a fresh
         * namespace; default false.
         */
        public Builder isolateSessions(boolean isolate) {
            this.isolateSessions = isolate;
            return this;
        }

        /** The interpreter. Starts the GraalVM engine; contexts start on first use or {@link #warmUp()}. */
        public GraalPyInterpreter build() {
            return new GraalPyInterpreter(this);
        }
    }
}
