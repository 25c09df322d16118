package dev.dspy4j.lm;

import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A stream that reports, once, how it ended: with its response, or with a failure or early close. */
final class ObservedStream implements LmStream {

    private final LmStream inner;
    private final Consumer<LmResponse> onComplete;
    private final Consumer<Throwable> onFailure;
    private boolean done;

    ObservedStream(LmStream inner, Consumer<LmResponse> onComplete, Consumer<Throwable> onFailure) {
        this.inner = inner;
        this.onComplete = onComplete;
        this.onFailure = onFailure;
    }

    @Override
    public @Nullable StreamChunk next() {
        StreamChunk chunk;
        try {
            chunk = inner.next();
        } catch (RuntimeException | Error e) {
            if (!done) {
                done = true;
                onFailure.accept(e);
            }
            throw e;
        }
        if (chunk == null && !done) {
            done = true;
            onComplete.accept(inner.response());
        }
        return chunk;
    }

    @Override
    public LmResponse response() {
        return inner.response();
    }

    @Override
    public void close() {
        try {
            inner.close();
        } finally {
            if (!done) {
                done = true;
                onFailure.accept(new CancellationException("the stream was closed before its end"));
            }
        }
    }
}
