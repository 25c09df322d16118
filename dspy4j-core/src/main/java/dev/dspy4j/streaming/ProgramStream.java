package dev.dspy4j.streaming;

import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A program call in progress, as a sequence of {@link StreamEvent}s ending with
 * {@link StreamEvent.Done}. Iterate it (or {@link #events()}) on one thread, and close it
 * (try-with-resources): closing before the end cancels the program call and closes the LM
 * connection it is reading.
 *
 * <p>Every wait is bounded: when no event arrives within the idle timeout, {@link #next()} cancels
 * the call and throws an {@link LmException.Timeout}. When the program fails, {@link #next()}
 * throws its exception.
 *
 * <p>Not thread-safe for reading: one thread consumes a stream; {@link #close()} may be called
 * from any thread.
 */
public final class ProgramStream implements Iterator<StreamEvent>, AutoCloseable {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Duration idleTimeout;
    private volatile boolean closed;
    private volatile @Nullable Thread producer;
    private volatile @Nullable LmStream active;
    private @Nullable Object peeked;
    private boolean finished;

    ProgramStream(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    void start(Supplier<Prediction> call) {
        producer = Thread.ofVirtual().name("dspy4j-stream").start(() -> {
            try {
                Prediction prediction = call.get();
                queue.add(new StreamEvent.Done(prediction));
            } catch (RuntimeException | Error e) {
                queue.add(closed ? cancelled() : e);
            } finally {
                queue.add(END);
            }
        });
    }

    void emit(StreamEvent event) {
        checkOpen();
        queue.add(event);
    }

    void checkOpen() {
        if (closed || Thread.currentThread().isInterrupted()) {
            throw cancelled();
        }
    }

    LmResponse readStream(Supplier<LmStream> opener, Function<LmStream, LmResponse> reader) {
        checkOpen();
        try (LmStream stream = opener.get()) {
            active = stream;
            if (closed) {
                throw cancelled();
            }
            return reader.apply(stream);
        } catch (RuntimeException e) {
            throw closed ? cancelled() : e;
        } finally {
            active = null;
        }
    }

    private static CancellationException cancelled() {
        return new CancellationException("The program stream was closed by its consumer before the program finished;"
                + " the program call and its LM call were cancelled");
    }

    @Override
    public boolean hasNext() {
        if (peeked != null) {
            return true;
        }
        if (finished || closed) {
            return false;
        }
        Object item = take();
        if (item == END) {
            finished = true;
            return false;
        }
        if (item instanceof RuntimeException e) {
            finished = true;
            throw e;
        }
        if (item instanceof Error e) {
            finished = true;
            throw e;
        }
        peeked = item;
        return true;
    }

    @Override
    public StreamEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The program stream has ended");
        }
        Object event = Objects.requireNonNull(peeked);
        peeked = null;
        return (StreamEvent) event;
    }

    private Object take() {
        try {
            Object item = queue.poll(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                close();
                finished = true;
                throw new LmException.Timeout("No stream event arrived within " + idleTimeout
                        + "; the program call was cancelled. Raise Streaming.idleTimeout if the model is slow.",
                        null, 0, null, null);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            finished = true;
            throw cancelled();
        }
    }

    /** The events as a sequential {@link Stream}; closing it closes this program stream. */
    public Stream<StreamEvent> events() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(this::close);
    }

    /**
     * Reads the stream to its end and returns the final prediction, ignoring the other events.
     *
     * @throws RuntimeException the program's failure, or a timeout
     */
    public Prediction prediction() {
        try {
            Prediction result = null;
            while (hasNext()) {
                if (next() instanceof StreamEvent.Done done) {
                    result = done.prediction();
                }
            }
            if (result == null) {
                throw new IllegalStateException("The program stream ended without a prediction");
            }
            return result;
        } finally {
            close();
        }
    }

    /** Cancels the program call if it is still running and closes its LM connection. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LmStream stream = active;
        if (stream != null) {
            try {
                stream.close();
            } catch (RuntimeException ignored) {
                // the producer sees the cancellation either way
            }
        }
        Thread thread = producer;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
