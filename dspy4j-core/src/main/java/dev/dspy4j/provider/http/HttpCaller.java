package dev.dspy4j.provider.http;

import dev.dspy4j.internal.http.BoundedBody;
import dev.dspy4j.lm.LmException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's HTTP transport: an {@link HttpClient} shared with every client of the same
 * configuration ({@link SharedHttpClients}), a bounded wait for each exchange,
 * failure mapping and the DEBUG request summary. Blocking and virtual-thread friendly: the caller
 * parks on a future while the JDK's selector thread does the I/O.
 */
final class HttpCaller {

    static final Logger LOG = LoggerFactory.getLogger("dev.dspy4j.provider.http");
    /** Completions run on virtual threads, so a thousand concurrent calls need no platform pool. */
    private static final Executor EXECUTOR = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dspy4j-http-", 0).factory());

    private final Endpoint endpoint;
    private final SharedHttpClients clients;
    private final SharedHttpClients.Lease lease;
    private final HttpClient client;
    private final long timeoutNanos;
    private volatile boolean closed;

    HttpCaller(Endpoint endpoint) {
        this(endpoint, SharedHttpClients.INSTANCE);
    }

    HttpCaller(Endpoint endpoint, SharedHttpClients clients) {
        this.endpoint = endpoint;
        this.clients = clients;
        this.lease = clients.acquire(endpoint, HttpCaller::newClient);
        this.client = lease.client();
        this.timeoutNanos = endpoint.timeout().toNanos();
    }

    /**
     * A JDK client for the endpoint. For a plain-http base URL it gets a TLS context that is never
     * initialised ({@link NoTls}): the JDK client otherwise loads the default TLS context (the
     * JSSE provider, the CA certificates) when it is built, about 0.2 s of a fresh JVM's first call
     * to a local server that speaks no TLS. Redirects are never followed, so such a client cannot
     * be led to an https URL.
     */
    private static HttpClient newClient(Endpoint endpoint) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(endpoint.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(EXECUTOR);
        if (endpoint.plainHttp()) {
            builder.sslContext(NoTls.CONTEXT).sslParameters(new SSLParameters());
        }
        return builder.build();
    }

    /**
     * Gives the HTTP client back (see {@link SharedHttpClients}); calls after this fail with
     * {@link LmException.Configuration}. Idempotent.
     */
    void close() {
        closed = true;
        lease.release();
    }

    private void checkOpen() {
        if (closed) {
            throw new LmException.Configuration(endpoint.provider() + " client for model " + endpoint.model()
                    + " was closed; build a new one to make more calls", endpoint.provider());
        }
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** The JDK client in use (for tests). */
    HttpClient client() {
        return client;
    }

    /** A 2xx reply's body and request id. */
    record Reply(int status, @Nullable String requestId, byte[] body) {
    }

    /**
     * POSTs a JSON body and waits for the complete reply, at most the endpoint's whole-call
     * timeout; the body is read up to {@code maxResponseBytes} (see {@link BoundedBody}).
     *
     * @throws LmException for non-2xx replies and failed exchanges
     */
    Reply post(URI uri, byte[] body, int messages) {
        checkOpen();
        HttpRequest request = endpoint.post(uri, body);
        long start = System.nanoTime();
        HttpResponse<byte[]> response = await(client.sendAsync(request, BoundedBody.handler(endpoint.maxResponseBytes())),
                start, messages);
        String requestId = ErrorMapper.requestId(response.headers());
        int status = response.statusCode();
        log(status, requestId, start, messages);
        if (status / 100 != 2) {
            throw ErrorMapper.fromStatus(endpoint, status, response.headers(), response.body());
        }
        return new Reply(status, requestId, response.body());
    }

    /**
     * A streaming reply: its request id, its body (whose close() drops the connection), and the
     * whole-call deadline on the {@link System#nanoTime()} scale.
     */
    record Opened(@Nullable String requestId, InputStream body, long deadlineNanos) {
    }

    /**
     * POSTs a JSON body and returns as soon as a 2xx status and headers arrive, with the body to
     * read as a stream (the caller closes it).
     *
     * <p>Each stream gets its own HTTP client, shut down when the body is closed: cancelling an
     * HTTP/1.1 body in the JDK's client stops reading but does not always close the connection, so
     * a server could go on generating (and billing) a stream nobody reads. Stream connections are
     * not reused anyway.
     *
     * @throws LmException for non-2xx replies and failed exchanges
     */
    Opened open(URI uri, byte[] body, int messages) {
        checkOpen();
        HttpClient streamClient = clients.track(newClient(endpoint));
        try {
            HttpRequest request = endpoint.post(uri, body);
            long start = System.nanoTime();
            HttpResponse<InputStream> response = await(
                    streamClient.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()), start, messages);
            String requestId = ErrorMapper.requestId(response.headers());
            int status = response.statusCode();
            log(status, requestId, start, messages);
            if (status / 100 != 2) {
                byte[] error;
                try (InputStream in = response.body()) {
                    error = in.readNBytes(BoundedBody.MAX_ERROR_BODY);
                } catch (IOException e) {
                    error = new byte[0];
                }
                throw ErrorMapper.fromStatus(endpoint, status, response.headers(), error);
            }
            return new Opened(requestId, new java.io.FilterInputStream(response.body()) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        clients.shutDown(streamClient);
                    }
                }
            }, start + timeoutNanos);
        } catch (RuntimeException | Error e) {
            clients.shutDown(streamClient);
            throw e;
        }
    }

    private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> future, long start, int messages) {
        try {
            return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            logFailure("timeout", start, messages);
            throw ErrorMapper.timeout(endpoint, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            logFailure(cause.getClass().getSimpleName(), start, messages);
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof BoundedBody.TooLarge tooLarge) {
                    throw ErrorMapper.tooLarge(endpoint, 200, null, tooLarge.limit());
                }
            }
            throw ErrorMapper.fromFailure(endpoint, cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new LmException(endpoint.provider() + " call for model " + endpoint.model()
                    + " was interrupted; the request was cancelled", false, endpoint.provider(), 0, null, e);
        }
    }

    /**
     * The TLS context of a plain-http client: never initialised, and failing clearly if anything
     * asks it for TLS. Building a JDK client with it (and explicit, empty SSL parameters) loads no
     * JSSE provider, key store or certificate.
     */
    static final class NoTls extends SSLContextSpi {

        static final SSLContext CONTEXT = new SSLContext(new NoTls(), null, "TLS") {
        };

        private static IllegalStateException refused() {
            return new IllegalStateException("this HTTP client was built for a plain-http base URL and has no TLS; "
                    + "use an https base URL to get a TLS client");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }
    }

    private void log(int status, @Nullable String requestId, long start, int messages) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} messages={} status={} latency={}ms request_id={}", endpoint.provider(),
                    endpoint.wireModel(), messages, status, (System.nanoTime() - start) / 1_000_000, requestId);
        }
    }

    private void logFailure(String what, long start, int messages) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} messages={} failed={} latency={}ms", endpoint.provider(), endpoint.wireModel(),
                    messages, what, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
