package dev.dspy4j.python;

import dev.dspy4j.module.CodeExecutionException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;
import org.jspecify.annotations.Nullable;

/**
 * Watches the runs in progress and stops those that exceed a limit: wall-clock time, bytes
 * allocated by the run's thread, printed output, or (for the run that allocated most) a heap that
 * stays nearly full after garbage collection. Stopping interrupts the context (it stays usable)
 * and, if the code does not stop within a second, cancels it (the context is closed).
 */
final class RunWatchdog implements AutoCloseable {

    private static final long POLL_MILLIS = 10;
    private static final double HEAP_FULL = 0.9;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()).toList();
    private final Set<Run> runs = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "dspy4j-python-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    RunWatchdog() {
        if (!threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("This JVM cannot measure the memory a thread allocates "
                    + "(ThreadMXBean.isThreadAllocatedMemorySupported() is false), so GraalPyInterpreter cannot "
                    + "enforce its memory limit. Use a HotSpot-based JDK.");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        timer.scheduleWithFixedDelay(this::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts watching a run on the current thread. */
    Run start(Context context, CappedOutput out, CappedOutput err, Duration timeout, long maxAllocatedBytes) {
        Thread thread = Thread.currentThread();
        Run run = new Run(context, thread, out, err, System.nanoTime() + timeout.toNanos(), timeout,
                threads.getThreadAllocatedBytes(thread.threadId()), maxAllocatedBytes);
        runs.add(run);
        return run;
    }

    void finish(Run run) {
        runs.remove(run);
    }

    private void check() {
        try {
            long now = System.nanoTime();
            boolean heapFull = heapFull();
            Run biggest = null;
            long biggestBytes = -1;
            for (Run run : runs) {
                long allocated = threads.getThreadAllocatedBytes(run.thread.threadId()) - run.allocatedAtStart;
                if (now - run.deadline > 0) {
                    stop(run, new CodeExecutionException(CodeExecutionException.Kind.TIMEOUT, "TimeoutError",
                            "TimeoutError: the code ran longer than the limit of " + run.timeout.toMillis()
                                    + " ms and was stopped; make it do less work", 0));
                } else if (allocated > run.maxAllocatedBytes) {
                    stop(run, memoryError("the code allocated more than the limit of " + run.maxAllocatedBytes
                            + " bytes and was stopped; make it use less memory"));
                } else if (run.out.exceeded() || run.err.exceeded()) {
                    stop(run, new CodeExecutionException(CodeExecutionException.Kind.OUTPUT_LIMIT, "OutputLimitError",
                            "OutputLimitError: the code printed more than the output limit and was stopped; "
                                    + "print less", 0));
                }
                if (allocated > biggestBytes) {
                    biggest = run;
                    biggestBytes = allocated;
                }
            }
            if (heapFull && biggest != null) {
                stop(biggest, memoryError("the JVM's heap was nearly full while this code allocated the most of "
                        + "all running code, so it was stopped; make it use less memory"));
            }
        } catch (RuntimeException e) {
            // keep watching: one failed check must not disable the limits of every later run
        }
    }

    private static CodeExecutionException memoryError(String what) {
        return new CodeExecutionException(CodeExecutionException.Kind.MEMORY_LIMIT, "MemoryError",
                "MemoryError: " + what, 0);
    }

    private boolean heapFull() {
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage usage = pool.getCollectionUsage();
            if (usage != null && usage.getMax() > 0 && usage.getUsed() > usage.getMax() * HEAP_FULL) {
                return true;
            }
        }
        return false;
    }

    private void stop(Run run, CodeExecutionException reason) {
        if (run.stopReason != null) {
            return;
        }
        run.stopReason = reason;
        Thread.ofVirtual().name("dspy4j-python-stop").start(() -> {
            if (!runs.contains(run)) {
                return; // it ended meanwhile; do not interrupt the context's next run
            }
            try {
                run.context.interrupt(Duration.ofSeconds(1));
            } catch (TimeoutException | RuntimeException e) {
                run.cancelled = true;
                try {
                    run.context.close(true);
                } catch (RuntimeException ignored) {
                    // already closed or closing: the run is stopped either way
                }
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One execution being watched. */
    static final class Run {
        private final Context context;
        private final Thread thread;
        private final CappedOutput out;
        private final CappedOutput err;
        private final long deadline;
        private final Duration timeout;
        private final long allocatedAtStart;
        private final long maxAllocatedBytes;
        volatile @Nullable CodeExecutionException stopReason;
        volatile boolean cancelled;

        Run(Context context, Thread thread, CappedOutput out, CappedOutput err, long deadline, Duration timeout,
            long allocatedAtStart, long maxAllocatedBytes) {
            this.context = context;
            this.thread = thread;
            this.out = out;
            this.err = err;
            this.deadline = deadline;
            this.timeout = timeout;
            this.allocatedAtStart = allocatedAtStart;
            this.maxAllocatedBytes = maxAllocatedBytes;
        }
    }
}
