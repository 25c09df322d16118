package dev.dspy4j.spark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-JVM registry of {@link ExecutorRuntime}s, keyed by a fingerprint of the job's
 * configuration (program and state, LM, cache, rate limit, calls in flight).
 *
 * <p><b>Why a static.</b> Spark gives user code no executor lifecycle: there is no hook that runs
 * once when an executor starts or stops, and each task deserializes its own copy of the job. The
 * point of the runtime is to be shared by every task of the executor, so that the limit on calls
 * in flight, the HTTP connection pool and the Redis pools are one per executor, not one per task.
 * A JVM-wide registry is the only place that outlives a task. It is kept harmless: entries are
 * built lazily from immutable configuration, at most {@value #MAX_ENTRIES} live at once (the least
 * recently used is closed as soon as no task holds it), and all are closed at JVM shutdown.
 * Nothing else in this module keeps state.
 */
final class ExecutorRuntimes {

    static final int MAX_ENTRIES = 4;

    private static final Map<String, ExecutorRuntime> RUNTIMES = new LinkedHashMap<>(8, 0.75f, true);
    private static int built;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorRuntimes::closeAll, "dspy4j-spark-runtimes-close"));
    }

    private ExecutorRuntimes() {
    }

    /**
     * The runtime of {@code job}, built on first use in this JVM; the caller must
     * {@link #release(ExecutorRuntime)} it when its task ends.
     */
    static ExecutorRuntime lease(SparkPredict job) {
        String key = fingerprint(job.runtimeFingerprintText());
        List<ExecutorRuntime> toClose = new ArrayList<>();
        ExecutorRuntime runtime;
        synchronized (ExecutorRuntimes.class) {
            runtime = RUNTIMES.get(key);
            if (runtime == null) {
                runtime = ExecutorRuntime.build(job);
                built++;
                RUNTIMES.put(key, runtime);
                Iterator<ExecutorRuntime> oldest = RUNTIMES.values().iterator();
                while (RUNTIMES.size() > MAX_ENTRIES && oldest.hasNext()) {
                    ExecutorRuntime evicted = oldest.next();
                    oldest.remove();
                    evicted.evicted = true;
                    if (evicted.leases == 0) {
                        toClose.add(evicted);
                    }
                }
            }
            runtime.leases++;
        }
        toClose.forEach(ExecutorRuntime::close);
        return runtime;
    }

    /** Gives back a runtime from {@link #lease(SparkPredict)}; closes it if it was evicted meanwhile. */
    static void release(ExecutorRuntime runtime) {
        boolean close;
        synchronized (ExecutorRuntimes.class) {
            runtime.leases--;
            close = runtime.evicted && runtime.leases == 0;
        }
        if (close) {
            runtime.close();
        }
    }

    /** How many runtimes this JVM has built (for tests: one per job configuration, not per task). */
    static synchronized int built() {
        return built;
    }

    /** Closes and forgets every runtime (JVM shutdown; tests). */
    static void closeAll() {
        List<ExecutorRuntime> all;
        synchronized (ExecutorRuntimes.class) {
            all = new ArrayList<>(RUNTIMES.values());
            RUNTIMES.clear();
        }
        all.forEach(ExecutorRuntime::close);
    }

    static String fingerprint(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
