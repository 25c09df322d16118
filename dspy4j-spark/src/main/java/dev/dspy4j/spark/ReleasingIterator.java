package dev.dspy4j.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;

/**
 * An iterator that, once, closes its delegate and runs {@code onDone}: when exhausted or when its
 * task ends, whichever is first.
 */
final class ReleasingIterator<T> implements Iterator<T> {

    private final Iterator<T> delegate;
    private final Runnable onDone;
    private volatile boolean done;

    ReleasingIterator(Iterator<T> delegate, Runnable onDone) {
        this.delegate = delegate;
        this.onDone = onDone;
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> done());
        }
    }

    @Override
    public boolean hasNext() {
        if (done) {
            return false;
        }
        boolean more = delegate.hasNext();
        if (!more) {
            done();
        }
        return more;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return delegate.next();
    }

    /** Closes the delegate first (its rows stop), then runs {@code onDone}. */
    private synchronized void done() {
        if (!done) {
            done = true;
            try {
                if (delegate instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("Closing the rows of a dspy4j Spark task failed: " + e.getMessage(), e);
            } finally {
                onDone.run();
            }
        }
    }
}
