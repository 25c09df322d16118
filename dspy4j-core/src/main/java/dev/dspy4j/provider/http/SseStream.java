package dev.dspy4j.provider.http;

import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.StreamChunk;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * The common part of both providers' streams: reads SSE events, hands them to the provider's
 * handler, queues the chunks it produces, and detects a stream that ends before its terminator.
 * Closing it closes the body stream, which shuts down the stream's own HTTP client and so drops
 * the connection (see {@link HttpCaller#open}).
 */
abstract class SseStream implements LmStream {

    final Endpoint endpoint;
    final @Nullable String requestId;
    private final InputStream body;
    private final SseReader reader;
    private final ArrayDeque<StreamChunk> pending = new ArrayDeque<>();
    private volatile boolean closed;
    private boolean finished;
    private @Nullable LmException failure;
    private @Nullable LmResponse response;

    SseStream(Endpoint endpoint, @Nullable String requestId, InputStream body) {
        this.endpoint = endpoint;
        this.requestId = requestId;
        this.body = body;
        this.reader = new SseReader(body);
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
            SseReader.Event event;
            try {
                event = reader.next();
            } catch (IOException e) {
                throw fail(closed ? closedWhileReading(e) : ErrorMapper.fromFailure(endpoint, e));
            }
            if (event == null) {
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
        try {
            body.close();
        } catch (IOException e) {
            // the connection is being dropped anyway
        }
    }
}
