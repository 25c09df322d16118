package dev.dspy4j.retrieve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * A body subscriber that holds at most a limit in memory and cancels the subscription there, so the
 * client drops the connection instead of draining the rest: over the limit it fails with
 * {@link TooLarge}, or (for error bodies, which are only quoted) keeps the first bytes.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The failure of a body over the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("the body is larger than " + limit + " bytes");
        }
    }

    private final long limit;
    private final boolean failOverLimit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.@Nullable Subscription subscription;

    private LimitedBody(long limit, boolean failOverLimit) {
        this.limit = limit;
        this.failOverLimit = failOverLimit;
    }

    static LimitedBody of(long limit, boolean failOverLimit) {
        return new LimitedBody(limit, failOverLimit);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            int n = (int) Math.min(limit - bytes.size(), buffer.remaining());
            byte[] chunk = new byte[n];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
            if (buffer.hasRemaining()) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
                if (failOverLimit) {
                    result.completeExceptionally(new TooLarge(limit));
                } else {
                    result.complete(bytes.toByteArray());
                }
                return;
            }
        }
    }

    @Override
    public void onError(Throwable failure) {
        result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }
}
