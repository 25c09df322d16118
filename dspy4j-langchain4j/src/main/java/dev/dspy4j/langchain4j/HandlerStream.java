package dev.dspy4j.langchain4j;

import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.StreamChunk;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A langchain4j {@link StreamingChatModel} call read as a dspy4j {@link LmStream}.
 *
 * <p>langchain4j pushes partial responses to a {@link StreamingChatResponseHandler} on its own
 * thread. They go into a bounded buffer of {@link #CAPACITY} items; when the reader falls that far
 * behind, the handler blocks langchain4j's thread (never past the deadline), which slows the
 * provider's connection rather than growing memory. The model's {@code chat} is started on a
 * virtual thread, so that a model that streams synchronously cannot block the reader either.
 *
 * <p>{@link #next()} waits at most until the stream's deadline. The deadline, an interrupt of the
 * reader and {@link #close()} cancel the call through the {@link StreamingHandle} langchain4j
 * passes with each partial (the handle of providers that support cancelling), interrupt a model
 * still inside {@code chat}, and ignore whatever the model sends afterwards.
 */
final class HandlerStream implements LmStream, StreamingChatResponseHandler {

    private static final String PROVIDER = "langchain4j";
    static final int CAPACITY = 256;
    private static final Object CLOSED = new Object();

    private final String modelName;
    private final Duration timeout;
    private final long deadlineNanos;
    /** Chunks, the complete {@link ChatResponse}, a failure, or {@link #CLOSED}. */
    private final BlockingQueue<Object> events = new ArrayBlockingQueue<>(CAPACITY);
    private volatile @Nullable StreamingHandle handle;
    private volatile @Nullable Thread starter;
    private volatile boolean closed;
    private boolean finished;
    private @Nullable LmException failure;
    private @Nullable LmResponse response;

    private HandlerStream(String modelName, Duration timeout) {
        this.modelName = modelName;
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /** Starts {@code model.chat(request, handler)} on a virtual thread and returns the stream. */
    static HandlerStream start(StreamingChatModel model, ChatRequest request, String modelName, Duration timeout) {
        HandlerStream stream = new HandlerStream(modelName, timeout);
        stream.starter = Thread.ofVirtual().name("dspy4j-langchain4j-stream").start(() -> {
            try {
                model.chat(request, stream);
            } catch (RuntimeException e) {
                stream.onError(e);
            } finally {
                stream.starter = null;
            }
        });
        return stream;
    }

    // --- the handler side (langchain4j's threads) ---

    @Override
    public void onPartialResponse(String partialResponse) {
        put(new StreamChunk(0, partialResponse, ""));
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        keep(context.streamingHandle());
        onPartialResponse(partialResponse.text());
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
        put(new StreamChunk(0, "", partialThinking.text()));
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        keep(context.streamingHandle());
        onPartialThinking(partialThinking);
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
        put(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
        put(error);
    }

    private void keep(@Nullable StreamingHandle streamingHandle) {
        if (streamingHandle != null) {
            handle = streamingHandle;
            if (closed) { // closed before the first partial brought the handle
                streamingHandle.cancel();
            }
        }
    }

    /** Buffers an item, waiting for room at most until the deadline; drops it once closed. */
    private void put(Object item) {
        if (closed) {
            return;
        }
        try {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0 || !events.offer(item, remaining, TimeUnit.NANOSECONDS)) {
                cancel(); // the reader has stopped reading; next() reports the deadline
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        }
    }

    // --- the reader side ---

    @Override
    public @Nullable StreamChunk next() {
        while (true) {
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
            if (item == CLOSED || closed) {
                throw new IllegalStateException("the stream was closed while reading; open a new one with"
                        + " stream(request)");
            }
            if (item instanceof StreamChunk chunk) {
                if (!chunk.text().isEmpty() || !chunk.reasoning().isEmpty()) {
                    return chunk;
                }
            } else if (item instanceof ChatResponse complete) {
                try {
                    response = LangChain4jLm.toLmResponse(complete);
                } catch (RuntimeException e) { // tool-call arguments that are not JSON
                    throw fail(LangChain4jErrors.toLmException(e));
                }
                finished = true;
                handle = null;
                return null;
            } else if (item instanceof RuntimeException e) {
                throw fail(LangChain4jErrors.toLmException(e));
            } else {
                Throwable t = (Throwable) item;
                throw fail(new LmException("langchain4j stream for model " + modelName + " failed: " + t,
                        false, PROVIDER, 0, null, t));
            }
        }
    }

    private Object take() {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) { // even with chunks queued: a slow reader must not stretch the call
            throw fail(deadline());
        }
        Object item;
        try {
            item = events.poll(remaining, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(new LmException("langchain4j stream for model " + modelName
                    + " was interrupted; the call was cancelled", false, PROVIDER, 0, null, e));
        }
        if (item == null) {
            throw fail(deadline());
        }
        return item;
    }

    private LmException.Timeout deadline() {
        return new LmException.Timeout("langchain4j stream for model " + modelName + " did not end within "
                + timeout + "; the call was cancelled. Retry, or raise withStreamTimeout(...) on the"
                + " LangChain4jLm", PROVIDER, 0, null, null);
    }

    private LmException fail(LmException e) {
        failure = e;
        close();
        return e;
    }

    @Override
    public LmResponse response() {
        if (response == null) {
            throw new IllegalStateException(failure != null ? "the stream failed: " + failure.getMessage()
                    : "the stream has not ended; read it with next() until it returns null");
        }
        return response;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!finished) {
            cancel();
        }
        events.clear();
        events.offer(CLOSED); // wakes a next() waiting on another thread, which then reports the close
    }

    private void cancel() {
        StreamingHandle h = handle;
        if (h != null && !h.isCancelled()) {
            h.cancel();
        }
        Thread t = starter;
        if (t != null) {
            t.interrupt(); // a model still inside chat(...): one that streams synchronously
        }
    }
}
