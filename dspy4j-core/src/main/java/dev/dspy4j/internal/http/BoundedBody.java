package dev.dspy4j.internal.http;

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
 * A body handler that never holds more than a limit in memory: a 2xx body over
 * {@code maxResponseBytes} fails the exchange with {@link TooLarge}, an error body is cut to its
 * first {@value #MAX_ERROR_BODY} bytes (enough for the provider's message). Either way the
 * subscription is cancelled at the limit, so the JDK's client drops the connection instead of
 * draining the rest (a 1 GiB reply once killed its selector thread).
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** How much of an error body is read. */
    public static final int MAX_ERROR_BODY = 8 * 1024;

    /** The failure of an exchange whose body passed the limit. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        private final long limit;

        public TooLarge(long limit) {
            super("the reply body is larger than " + limit + " bytes");
            this.limit = limit;
        }

        /** The limit the body passed, in bytes. */
        public long limit() {
            return limit;
        }
    }

    private final long limit;
    private final boolean failOverLimit;
    private final long contentLength;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.@Nullable Subscription subscription;

    private BoundedBody(long limit, boolean failOverLimit, long contentLength) {
        this.limit = limit;
        this.failOverLimit = failOverLimit;
        this.contentLength = contentLength;
    }

    /** Bounded bodies: 2xx up to {@code maxResponseBytes}, anything else up to {@value #MAX_ERROR_BODY} bytes. */
    public static HttpResponse.BodyHandler<byte[]> handler(long maxResponseBytes) {
        return info -> info.statusCode() / 100 == 2
                ? new BoundedBody(maxResponseBytes, true, info.headers().firstValueAsLong("Content-Length").orElse(-1))
                : new BoundedBody(MAX_ERROR_BODY, false, -1);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (failOverLimit && contentLength > limit) {
            s.cancel(); // declared too large: fail before reading a byte
            result.completeExceptionally(new TooLarge(limit));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            int room = (int) Math.min(Integer.MAX_VALUE, limit - bytes.size());
            int n = Math.min(room, buffer.remaining());
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
