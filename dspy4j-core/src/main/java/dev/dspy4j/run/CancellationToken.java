package dev.dspy4j.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels runs from another thread. Pass one to {@link Runner#run(java.util.List, ItemTask,
 * CancellationToken)}; calling {@link #cancel()} from any thread then stops the run as an interrupt
 * of its caller would: running items are interrupted, no new item starts, and {@code run} returns
 * with {@link RunStatus#CANCELLED} once every thread of the run has ended.
 *
 * <pre>{@code
 * CancellationToken token = CancellationToken.create();
 * ui.onStopButton(token::cancel);
 * RunResult<Prediction> result = runner.run(examples, program::call, token);
 * }</pre>
 *
 * <p>A token is cancelled at most once and stays cancelled; one token can cancel several runs
 * (also at the same time), and a run started with a cancelled token starts no item. Thread-safe.
 */
public final class CancellationToken {

    private static final Logger LOG = LoggerFactory.getLogger(CancellationToken.class);

    private final Object lock = new Object();
    private final List<Runnable> actions = new ArrayList<>();
    private volatile boolean cancelled;

    private CancellationToken() {}

    /** A new token, not cancelled. */
    public static CancellationToken create() {
        return new CancellationToken();
    }

    /**
     * Cancels every run using this token, now and later. Does nothing if already cancelled.
     * Returns without waiting for the runs to end.
     */
    public void cancel() {
        List<Runnable> toRun;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        for (Runnable action : toRun) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("A cancellation action failed; the others still ran", e);
            }
        }
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Runs {@code action} when this token is cancelled, on the thread that cancels it; at once, on
     * this thread, if it already is. Exceptions thrown by the action are logged and ignored.
     *
     * @param action what to do on cancellation; should be quick
     * @return a registration whose {@code close()} removes the action if it has not run yet
     * @throws NullPointerException if {@code action} is {@code null}
     */
    public Registration onCancel(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (lock) {
            if (!cancelled) {
                actions.add(action);
                return () -> {
                    synchronized (lock) {
                        actions.remove(action);
                    }
                };
            }
        }
        action.run();
        return () -> { };
    }

    @Override
    public String toString() {
        return "CancellationToken[" + (cancelled ? "cancelled" : "active") + "]";
    }

    /** An action registered with {@link #onCancel(Runnable)}; closing it unregisters the action. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {

        /** Removes the action if it has not run yet. Idempotent; never throws. */
        @Override
        void close();
    }
}
