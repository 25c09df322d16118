package dev.dspy4j.run;

import dev.dspy4j.context.DspyContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of {@link Runner#run}. The calling thread is the dispatcher: it starts items in order
 * while slots are free, waits for changes (and per-item deadlines) on one condition, and at the end
 * joins every thread it started. Workers record their outcome under the same lock, which also
 * serializes the handler and listener calls, so their view of the counts is always consistent.
 */
final class RunExecution<T, R> {

    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

    /** A started item. Fields other than the finals are guarded by {@link #lock}. */
    private static final class Worker {
        final int index;
        final long startNanos;
        final Thread thread;
        boolean timedOut;

        Worker(int index, long startNanos, String threadName, Consumer<Worker> body) {
            this.index = index;
            this.startNanos = startNanos;
            this.thread = Thread.ofVirtual().name(threadName).unstarted(() -> body.accept(this));
        }
    }

    private final Runner config;
    private final List<T> items;
    private final ItemTask<? super T, ? extends R> task;
    private final ResultHandler<? super R> handler;
    private final @Nullable CancellationToken token;
    private final DspyContext context;
    private final RunProgress progress;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private final List<ItemResult<R>> results;
    private final Map<Integer, Worker> running = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private int next;
    private int inOrder;
    private int failures;
    private @Nullable RunStatus stop;
    private @Nullable Throwable handlerError;

    RunExecution(Runner config, List<T> items, ItemTask<? super T, ? extends R> task,
                 ResultHandler<? super R> handler, @Nullable CancellationToken token, DspyContext context) {
        this.config = config;
        this.items = items;
        this.task = task;
        this.handler = handler;
        this.token = token;
        this.context = context;
        this.progress = new RunProgress(config.name, items.size(), config.concurrency);
        this.results = new ArrayList<>(Collections.nCopies(items.size(), null));
    }

    RunResult<R> execute() {
        long start = System.nanoTime();
        boolean interrupted = false;
        CancellationToken.Registration registration = token == null ? () -> { }
                : token.onCancel(() -> stopWith(RunStatus.CANCELLED));
        lock.lock();
        try {
            notifyListeners(listener -> listener.onRunStarted(progress));
            while (stop == null) {
                if (Thread.interrupted()) {
                    interrupted = true;
                    stopLocked(RunStatus.INTERRUPTED);
                    break;
                }
                if (next == items.size() && running.isEmpty()) {
                    break;
                }
                if (mayStartNext()) {
                    startNext();
                    continue;
                }
                try {
                    long wait = nanosToNextDeadline();
                    if (wait == Long.MAX_VALUE) {
                        changed.await();
                    } else if (wait > 0) {
                        changed.awaitNanos(wait);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    stopLocked(RunStatus.INTERRUPTED);
                    break;
                }
                expireDeadlines();
            }
        } finally {
            lock.unlock();
            registration.close();
        }
        interrupted |= joinAll();
        RunResult<R> result = result(System.nanoTime() - start);
        notifyListenersLocking(listener -> listener.onRunFinished(progress, result));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (handlerError instanceof RuntimeException e) {
            throw e;
        }
        if (handlerError instanceof Error e) {
            throw e;
        }
        return result;
    }

    // ---- dispatcher, lock held ----

    private boolean mayStartNext() {
        if (next >= items.size() || running.size() >= config.concurrency) {
            return false;
        }
        int lookahead;
        try {
            lookahead = Math.max(1, handler.lookahead());
        } catch (RuntimeException | Error e) {
            failHandler(e);
            return false;
        }
        return next - inOrder < lookahead;
    }

    private void startNext() {
        int index = next++;
        Worker worker = new Worker(index, System.nanoTime(), config.threadPrefix() + index, this::work);
        running.put(index, worker);
        threads.add(worker.thread);
        progress.itemStarted();
        notifyListeners(listener -> listener.onItemStarted(progress, index));
        worker.thread.start();
    }

    private long nanosToNextDeadline() {
        if (config.itemTimeout == null) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        long soonest = Long.MAX_VALUE;
        for (Worker worker : running.values()) {
            if (!worker.timedOut) {
                soonest = Math.min(soonest, Math.max(0, worker.startNanos + config.itemTimeout.toNanos() - now));
            }
        }
        return soonest;
    }

    private void expireDeadlines() {
        if (config.itemTimeout == null) {
            return;
        }
        long now = System.nanoTime();
        for (Worker worker : List.copyOf(running.values())) {
            long elapsed = now - worker.startNanos;
            if (!worker.timedOut && elapsed >= config.itemTimeout.toNanos() && stop == null) {
                worker.timedOut = true;
                worker.thread.interrupt();
                record(new ItemResult.Failed<>(worker.index, new TimeoutException("Item " + worker.index
                        + " ran longer than the item timeout (" + config.itemTimeout + ") and was interrupted."),
                        Duration.ofNanos(elapsed)));
            }
        }
    }

    /** Waits, without giving up on interrupts, until every thread of the run has ended. */
    private boolean joinAll() {
        List<Thread> started;
        lock.lock();
        try {
            started = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread thread : started) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        return interrupted;
    }

    private RunResult<R> result(long elapsedNanos) {
        List<ItemResult<R>> all = new ArrayList<>(items.size());
        lock.lock();
        try {
            for (int i = 0; i < items.size(); i++) {
                ItemResult<R> item = results.get(i);
                all.add(item != null ? item : new ItemResult.Cancelled<>(i, false, Duration.ZERO));
            }
            return new RunResult<>(stop == null ? RunStatus.COMPLETED : stop, all, Duration.ofNanos(elapsedNanos));
        } finally {
            lock.unlock();
        }
    }

    // ---- workers ----

    private void work(Worker worker) {
        R value = null;
        Throwable error = null;
        try (DspyContext.Scope ignored = context.bind()) {
            value = task.run(items.get(worker.index));
        } catch (Throwable e) {
            error = e;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - worker.startNanos);
        lock.lock();
        try {
            running.remove(worker.index);
            if (results.get(worker.index) == null) {   // else it timed out and was recorded then
                if (error == null) {
                    record(new ItemResult.Succeeded<>(worker.index, value, elapsed));
                } else if (stop != null) {
                    // interrupted by the stop: not a failure of its own
                    results.set(worker.index, new ItemResult.Cancelled<>(worker.index, true, elapsed));
                } else {
                    record(new ItemResult.Failed<>(worker.index, error, elapsed));
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- recording, lock held ----

    private void record(ItemResult<R> result) {
        results.set(result.index(), result);
        if (stop != null) {
            return;   // the run is over: record quietly
        }
        if (result instanceof ItemResult.Failed<R>) {
            failures++;
            progress.itemFailed();
        } else {
            progress.itemSucceeded();
        }
        callHandler(() -> {
            handler.onCompleted(cast(result));
            return true;
        });
        if (result instanceof ItemResult.Failed<R> && failures >= config.maxErrors) {
            stopLocked(RunStatus.MAX_ERRORS);
        }
        while (stop == null && inOrder < results.size() && results.get(inOrder) != null) {
            ItemResult<R> first = results.get(inOrder++);
            if (!callHandler(() -> handler.onInOrder(cast(first)))) {
                stopLocked(RunStatus.STOPPED);
            }
        }
        callHandler(() -> {
            progress.note(handler.progressNote());
            return true;
        });
        switch (result) {
            case ItemResult.Succeeded<R> ok -> notifyListeners(listener -> listener.onItemSucceeded(progress, ok));
            case ItemResult.Failed<R> failed -> notifyListeners(listener -> listener.onItemFailed(progress, failed));
            case ItemResult.Cancelled<R> cancelled -> { }
        }
        changed.signalAll();
    }

    /** The handler accepts a supertype of R; an ItemResult of R is one of that supertype's. */
    @SuppressWarnings("unchecked")
    private static <S> ItemResult<S> cast(ItemResult<?> result) {
        return (ItemResult<S>) result;
    }

    /** Calls the handler; if it throws, the run stops and the call counts as {@code false}. */
    private boolean callHandler(BooleanSupplier call) {
        if (handlerError != null) {
            return false;
        }
        try {
            return call.getAsBoolean();
        } catch (RuntimeException | Error e) {
            failHandler(e);
            return false;
        }
    }

    private void failHandler(Throwable e) {
        if (handlerError == null) {
            handlerError = e;
        }
        stopLocked(RunStatus.STOPPED);
    }

    private void stopWith(RunStatus status) {
        lock.lock();
        try {
            stopLocked(status);
        } finally {
            lock.unlock();
        }
    }

    private void stopLocked(RunStatus status) {
        if (stop != null) {
            return;
        }
        stop = status;
        for (Worker worker : running.values()) {
            worker.thread.interrupt();
        }
        changed.signalAll();
    }

    private void notifyListeners(Consumer<RunListener> event) {
        for (RunListener listener : config.listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Run listener {} failed; ignoring it for this event", listener, e);
            }
        }
    }

    private void notifyListenersLocking(Consumer<RunListener> event) {
        lock.lock();
        try {
            notifyListeners(event);
        } finally {
            lock.unlock();
        }
    }
}
