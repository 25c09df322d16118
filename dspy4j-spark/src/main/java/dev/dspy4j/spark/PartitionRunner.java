package dev.dspy4j.spark;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;

/**
 * Runs one partition: reads rows lazily, keeps at most {@code window} of them running at once,
 * each on its own virtual thread, and gives their results in input order. Never holds more than
 * the window in memory. A row past its deadline is interrupted and its result is
 * {@code onFailure(row, TimeoutException)}. When the task is killed (or the iterator closed), every
 * running row is interrupted.
 *
 * @param <T> what one row gives
 */
final class PartitionRunner<T> implements Iterator<T>, AutoCloseable {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private record Pending<T>(Row row, Future<T> future, long deadline) {
    }

    private final Iterator<Row> input;
    private final int window;
    private final long rowTimeoutNanos;
    private final Duration rowTimeout;
    private final Function<Row, T> work;
    private final BiFunction<Row, Throwable, T> onFailure;
    private final TaskContext task;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dspy4j-spark-row-", 0).factory());
    private final ArrayDeque<Pending<T>> running = new ArrayDeque<>();
    private volatile boolean closed;

    /**
     * @param work runs one row; must not throw (it turns failures into a result itself)
     * @param onFailure the result of a row that timed out or whose work threw anyway
     */
    PartitionRunner(Iterator<Row> input, int window, Duration rowTimeout, Function<Row, T> work,
                    BiFunction<Row, Throwable, T> onFailure) {
        this.input = input;
        this.window = window;
        this.rowTimeout = rowTimeout;
        this.rowTimeoutNanos = rowTimeout.toNanos();
        this.work = work;
        this.onFailure = onFailure;
        this.task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> close());
            task.addTaskFailureListener((org.apache.spark.util.TaskFailureListener) (context, error) -> close());
        }
    }

    @Override
    public boolean hasNext() {
        fill();
        if (running.isEmpty()) {
            close();
            return false;
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Pending<T> head = running.poll();
        T result = await(head);
        fill();
        return result;
    }

    private void fill() {
        while (!closed && running.size() < window && input.hasNext()) {
            Row row = input.next();
            long deadline = System.nanoTime() + rowTimeoutNanos;
            running.add(new Pending<>(row, threads.submit(() -> work.apply(row)), deadline));
        }
    }

    private T await(Pending<T> pending) {
        while (true) {
            checkKilled();
            long left = pending.deadline() - System.nanoTime();
            if (left <= 0) {
                pending.future().cancel(true);
                return onFailure.apply(pending.row(), new TimeoutException("The row ran longer than rowTimeout ("
                        + rowTimeout + ") and was interrupted."));
            }
            try {
                return pending.future().get(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // poll again: check the task and the deadline
            } catch (ExecutionException e) {
                return onFailure.apply(pending.row(), e.getCause());
            } catch (CancellationException e) {
                return onFailure.apply(pending.row(), e);
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("The Spark task was interrupted; its rows' calls were cancelled", e);
            }
        }
    }

    private void checkKilled() {
        if (task != null && task.isInterrupted()) {
            close();
            task.killTaskIfInterrupted();
        }
    }

    /** Interrupts every running row and stops the threads; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Pending<T> pending : running) {
            pending.future().cancel(true);
        }
        running.clear();
        threads.shutdownNow();
    }
}
