package dev.dspy4j.lm;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A streaming LM call in progress. Read chunks with {@link #next()} until it returns
 * {@code null}, then take the complete response (text of every choice and the final usage) from
 * {@link #response()}. Closing the stream early cancels the call and closes its connection.
 *
 * <pre>{@code
 * try (LmStream stream = lm.stream(request)) {
 *     for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
 *         System.out.print(chunk.text());
 *     }
 *     Usage usage = stream.response().usage();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread reads a stream.
 */
public interface LmStream extends AutoCloseable {

    /**
     * Blocks until the next chunk arrives.
     *
     * @return the chunk, or {@code null} once the stream has ended normally
     * @throws LmException if the stream fails or breaks off (a truncated stream is a
     *     {@link LmException.Transport})
     */
    @Nullable StreamChunk next();

    /**
     * The complete response, assembled from the chunks, with the provider's final usage.
     *
     * @throws IllegalStateException if the stream has not ended yet
     */
    LmResponse response();

    /**
     * A finished response as a stream: one chunk per choice with its whole text and reasoning,
     * then the end.
     */
    static LmStream of(LmResponse response) {
        return new CompletedStream(response);
    }

    /**
     * {@code stream}, reporting once how it ends: {@code onComplete} with the assembled response
     * when it is read to the end, or {@code onFailure} when it fails or is closed early (with a
     * {@link java.util.concurrent.CancellationException}). For interceptors that account for
     * streams (usage, history, spans).
     */
    static LmStream observed(LmStream stream, Consumer<LmResponse> onComplete,
                             Consumer<Throwable> onFailure) {
        return new ObservedStream(stream, onComplete, onFailure);
    }

    /** Cancels the call if it is still running and releases its connection. Idempotent. */
    @Override
    void close();
}
