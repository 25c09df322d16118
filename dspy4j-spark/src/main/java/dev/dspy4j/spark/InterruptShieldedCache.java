package dev.dspy4j.spark;

import dev.dspy4j.cache.LmCache;
import dev.dspy4j.lm.LmResponse;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Runs each cache operation on a thread of its own, so that interrupting a row (a killed task, a
 * row past its deadline) never interrupts a Redis command. On a virtual thread, socket I/O is
 * interruptible: an interrupt in the middle of a {@code SET} closes the connection and the answer
 * that already arrived would not be stored (the Redis tier does not count that as an outage, but
 * the entry is lost). Shielded, an answer that arrived is stored even if its row is being
 * cancelled, so a re-run of a killed job does not pay for it again.
 *
 * <p>The caller waits for the operation even if interrupted (then its interrupt flag is set
 * again); the wait is bounded by the Redis tier's command timeout.
 */
final class InterruptShieldedCache implements LmCache {

    private final LmCache delegate;

    InterruptShieldedCache(LmCache delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<LmResponse> get(String key) {
        return shielded(() -> delegate.get(key));
    }

    @Override
    public void put(String key, LmResponse response) {
        shielded(() -> {
            delegate.put(key, response);
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    private static <T> T shielded(Supplier<T> operation) {
        FutureTask<T> task = new FutureTask<>(operation::get);
        Thread.ofVirtual().name("dspy4j-spark-cache").start(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
