package dev.dspy4j.provider.http;

import dev.dspy4j.internal.http.BoundedBody;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.StreamChunk;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * The common part of both providers' streams: reads SSE events, hands them to the provider's
 * handler, queues the chunks it produces, and detects a stream that ends before its terminator.
 * Closing it closes the body stream, which shuts down the stream's own HTTP client and so drops
 * the connection (see {@link HttpCaller#open}).
 *
 * <p>The JDK's body stream has no read timeout, so a virtual thread reads events into a small
 * queue and {@link #next()} polls it: it waits at most the idle timeout for an event, and never
 * past the whole-call deadline. Either limit ends the stream with {@link LmException.Timeout} and
 * drops the connection, which also ends the reading thread.
 */
abstract class SseStream implements LmStream {

    final Endpoint endpoint;
    final @Nullable String requestId;
    private final InputStream body;
    private final SseReader reader;
    private final long deadlineNanos;
    private final long idleNanos;
    /** Events, {@link #END}, or the reading thread's {@link IOException}. */
    private final BlockingQueue<Object> events = new ArrayBlockingQueue<>(64);
    private static final Object END = new Object();
    private volatile @Nullable Thread pump;
    private final ArrayDeque<StreamChunk> pending = new ArrayDeque<>();
    private volatile boolean closed;
    private boolean finished;
    private @Nullable LmException failure;
    private @Nullable LmResponse response;

    SseStream(Endpoint endpoint, HttpCaller.Opened opened) {
        this.endpoint = endpoint;
        this.requestId = opened.requestId();
        this.body = opened.body();
        this.reader = new SseReader(body, endpoint.maxResponseBytes());
        this.deadlineNanos = opened.deadlineNanos();
        this.idleNanos = endpoint.idleTimeout().toNanos();
    }

    /**
     * Handles one event, adding chunks with {@link #emit}.
     *
     * @return whether it was the terminator
     */
    abstract boolean handle(SseReader.Event event);

    /** The assembled response once the terminator arrived. */
    abstract LmResponse assemble();

    /** The terminator's name for messages: {@code data: [DONE]}, {@code message_stop}. */
    abstract String terminator();

    final void emit(int choice, @Nullable String text, @Nullable String reasoning) {
        if ((text != null && !text.isEmpty()) || (reasoning != null && !reasoning.isEmpty())) {
            pending.add(new StreamChunk(choice, text == null ? "" : text, reasoning == null ? "" : reasoning));
        }
    }

    @Override
    public final @Nullable StreamChunk next() {
        while (true) {
            StreamChunk chunk = pending.poll();
            if (chunk != null) {
                return chunk;
            }
            if (finished) {
                return null;
            }
            if (failure != null) {
                throw failure;
            }
            if (closed) {
                throw new IllegalStateException("the stream was closed; open a new one with stream(request)");
            }
            Object item = take();
            if (item instanceof BoundedBody.TooLarge e) {
                throw fail(ErrorMapper.tooLarge(endpoint, 200, requestId, e.limit()));
            }
            if (item instanceof IOException e) {
                throw fail(closed ? closedWhileReading(e) : ErrorMapper.fromFailure(endpoint, e));
            }
            if (!(item instanceof SseReader.Event event)) {
                throw fail(new LmException.Transport(endpoint.provider() + " stream for model " + endpoint.model()
                        + " ended before " + terminator() + " " + ErrorMapper.where(200, requestId)
                        + ": the reply is truncated. Retry the call", endpoint.provider(), null));
            }
            try {
                if (handle(event)) {
                    response = assemble();
                    finished = true;
                    close();
                }
            } catch (JacksonException e) {
                throw fail(ErrorMapper.malformed(endpoint, 200, requestId, "a stream event is not valid JSON",
                        event.data(), e));
            } catch (LmException e) {
                throw fail(e);
            }
        }
    }

    /** The next item from the reading thread, waiting at most the idle timeout and never past the deadline. */
    private Object take() {
        if (pump == null) {
            pump = Thread.ofVirtual().name("dspy4j-sse-" + endpoint.provider()).start(this::pump);
        }
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) { // even with events queued: a slow reader must not stretch the call
            throw fail(ErrorMapper.deadline(endpoint, requestId));
        }
        boolean deadlineFirst = remaining <= idleNanos;
        Object item;
        try {
            item = events.poll(deadlineFirst ? remaining : idleNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(new LmException(endpoint.provider() + " stream for model " + endpoint.model()
                    + " was interrupted; the connection was closed", false, endpoint.provider(), 200, requestId, e));
        }
        if (item == null) {
            throw fail(deadlineFirst ? ErrorMapper.deadline(endpoint, requestId) : ErrorMapper.idle(endpoint, requestId));
        }
        return item;
    }

    /** The reading thread: events into the queue until the end, a failure, or close(). */
    private void pump() {
        try {
            while (true) {
                Object item;
                try {
                    SseReader.Event event = reader.next();
                    item = event == null ? END : event;
                } catch (IOException e) {
                    item = e;
                }
                events.put(item);
                if (!(item instanceof SseReader.Event)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed: nobody reads the queue any more
        }
    }

    private LmException closedWhileReading(IOException e) {
        return new LmException(endpoint.provider() + " stream for model " + endpoint.model()
                + " was closed while reading", false, endpoint.provider(), 200, requestId, e);
    }

    private LmException fail(LmException e) {
        failure = e;
        close();
        return e;
    }

    @Override
    public final LmResponse response() {
        if (response == null) {
            throw new IllegalStateException(failure != null ? "the stream failed: " + failure.getMessage()
                    : "the stream has not ended; read it with next() until it returns null");
        }
        return response;
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread reading = pump;
        if (reading != null) {
            reading.interrupt(); // from here on its put() fails, so the queue has room for the wake-up below
        }
        try {
            body.close();
        } catch (IOException e) {
            // the connection is being dropped anyway
        }
        // wake a next() waiting on another thread, which then reports the close
        events.clear();
        events.offer(new IOException("the stream was closed"));
    }
}
