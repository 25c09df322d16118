package dev.dspy4j.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;

/** An iterator that runs {@code onDone} once: when exhausted or when its task ends, whichever is first. */
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

    private synchronized void done() {
        if (!done) {
            done = true;
            onDone.run();
        }
    }
}
