package dev.dspy4j.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * One HTTP client under test in {@link TransportHarness}: POSTs a JSON body with the chat headers
 * and returns the reply's status and whole body. Each implementation is configured for
 * {@code maxConnections} keep-alive connections to one host and a whole-call timeout.
 */
interface Transport extends AutoCloseable {

    Duration TIMEOUT = Duration.ofSeconds(60);
    String AUTHORIZATION = "Bearer sk-bench";
    String USER_AGENT = "dspy4j-bench/transports";

    /** The status and body of one exchange. */
    record Reply(int status, byte[] body) {
    }

    Reply post(URI uri, byte[] body) throws Exception;

    /** Closes the client and its threads, so that the JVM can exit at once. */
    @Override
    void close() throws Exception;

    /** The transport called {@code name}; see {@link TransportHarness} for the list. */
    static Transport named(String name, int maxConnections) {
        return switch (name) {
            case "jdk" -> new Jdk(true, true, true);
            case "jdk-no-request-timeout" -> new Jdk(true, false, true);
            case "jdk-send" -> new Jdk(false, true, true);
            case "jdk-default-executor" -> new Jdk(true, true, false);
            case "okhttp" -> new OkHttp(maxConnections);
            case "jetty" -> new Jetty(maxConnections, false);
            case "jetty-async" -> new Jetty(maxConnections, true);
            case "reactor-netty" -> new ReactorNetty(maxConnections);
            default -> throw new IllegalArgumentException("unknown transport " + name);
        };
    }

    /**
     * {@code java.net.http} as dspy4j's {@code HttpCaller} uses it: HTTP/1.1, a virtual thread per
     * completion, {@code sendAsync} with a byte[] body handler, the caller blocking on the future
     * with the call's deadline, and the same timeout on the request. The flags switch off one of
     * these at a time: {@code async=false} uses the blocking {@code send}; {@code requestTimeout=false}
     * leaves the deadline to {@code future.get} alone; {@code virtualThreads=false} keeps the
     * client's default executor (a cached pool of platform threads).
     */
    final class Jdk implements Transport {
        private final HttpClient client;
        private final boolean async;
        private final boolean requestTimeout;

        Jdk(boolean async, boolean requestTimeout, boolean virtualThreads) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (virtualThreads) {
                builder.executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-", 0).factory()));
            }
            this.client = builder.build();
            this.async = async;
            this.requestTimeout = requestTimeout;
        }

        @Override
        public Reply post(URI uri, byte[] body) throws Exception {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .version(HttpClient.Version.HTTP_1_1)
                    .header("Content-Type", "application/json")
                    .header("Authorization", AUTHORIZATION)
                    .header("User-Agent", USER_AGENT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (requestTimeout) {
                builder.timeout(TIMEOUT);
            }
            HttpRequest request = builder.build();
            HttpResponse<byte[]> response = async
                    ? client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                            .get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                    : client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.body());
        }

        @Override
        public void close() {
            client.shutdownNow();
        }
    }

    /**
     * OkHttp 5 ({@code okhttp-jvm}): blocking {@code execute()} on the caller's virtual thread, a
     * connection pool that keeps {@code maxConnections} idle connections for five minutes, and a
     * call timeout. The dispatcher's limits only bind asynchronous calls but are raised anyway.
     */
    final class OkHttp implements Transport {
        private static final MediaType JSON = MediaType.get("application/json");
        private final OkHttpClient client;

        OkHttp(int maxConnections) {
            Dispatcher dispatcher = new Dispatcher();
            dispatcher.setMaxRequests(maxConnections);
            dispatcher.setMaxRequestsPerHost(maxConnections);
            this.client = new OkHttpClient.Builder()
                    .dispatcher(dispatcher)
                    .connectionPool(new ConnectionPool(maxConnections, 5, TimeUnit.MINUTES))
                    .callTimeout(TIMEOUT)
                    .readTimeout(TIMEOUT)
                    .followRedirects(false)
                    .retryOnConnectionFailure(false)
                    .build();
        }

        @Override
        public Reply post(URI uri, byte[] body) throws Exception {
            Request request = new Request.Builder()
                    .url(uri.toString())
                    .header("Authorization", AUTHORIZATION)
                    .header("User-Agent", USER_AGENT)
                    .post(RequestBody.create(body, JSON))
                    .build();
            try (Response response = client.newCall(request).execute()) {
                return new Reply(response.code(), response.body().bytes());
            }
        }

        @Override
        public void close() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /**
     * Jetty 12's client over HTTP/1.1 with its default thread pool, {@code maxConnections}
     * connections per destination and a queue large enough never to reject. Blocking
     * {@code send()} on the caller's virtual thread, or ({@code async}) a
     * {@link CompletableResponseListener}'s future that the caller waits on.
     */
    final class Jetty implements Transport {
        private final org.eclipse.jetty.client.HttpClient client;
        private final boolean async;

        Jetty(int maxConnections, boolean async) {
            this.client = new org.eclipse.jetty.client.HttpClient();
            client.setMaxConnectionsPerDestination(maxConnections);
            client.setMaxRequestsQueuedPerDestination(1_000_000);
            client.setFollowRedirects(false);
            client.setUserAgentField(null);
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            this.async = async;
        }

        @Override
        public Reply post(URI uri, byte[] body) throws Exception {
            var request = client.newRequest(uri)
                    .method(HttpMethod.POST)
                    .headers(h -> h.put(HttpHeader.AUTHORIZATION, AUTHORIZATION).put(HttpHeader.USER_AGENT, USER_AGENT))
                    .body(new BytesRequestContent("application/json", body))
                    .timeout(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            ContentResponse response;
            if (async) {
                CompletableFuture<ContentResponse> future = new CompletableResponseListener(request, 2 << 20).send();
                response = future.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                response = request.send();
            }
            return new Reply(response.getStatus(), response.getContent());
        }

        @Override
        public void close() throws Exception {
            client.stop();
        }
    }

    /**
     * reactor-netty's HTTP client (Netty, epoll on Linux): a connection pool of
     * {@code maxConnections} with an unbounded queue of pending acquires, its own event loops, and
     * the caller's virtual thread blocking on the reply's {@code Mono}.
     */
    final class ReactorNetty implements Transport {
        private final ConnectionProvider pool;
        private final LoopResources loops;
        private final reactor.netty.http.client.HttpClient client;

        ReactorNetty(int maxConnections) {
            this.pool = ConnectionProvider.builder("bench").maxConnections(maxConnections)
                    .pendingAcquireMaxCount(-1).build();
            this.loops = LoopResources.create("bench");
            this.client = reactor.netty.http.client.HttpClient.create(pool).runOn(loops)
                    .responseTimeout(TIMEOUT)
                    .headers(h -> h.set("Content-Type", "application/json").set("Authorization", AUTHORIZATION)
                            .set("User-Agent", USER_AGENT));
        }

        @Override
        public Reply post(URI uri, byte[] body) {
            return client.post().uri(uri).send(ByteBufFlux.fromInbound(Mono.just(body)))
                    .responseSingle((response, content) -> content.asByteArray()
                            .map(bytes -> new Reply(response.status().code(), bytes)))
                    .block(TIMEOUT);
        }

        @Override
        public void close() {
            pool.disposeLater().block();
            loops.disposeLater().block();
        }
    }
}
