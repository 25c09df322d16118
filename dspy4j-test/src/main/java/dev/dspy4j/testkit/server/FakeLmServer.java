package dev.dspy4j.testkit.server;

import dev.dspy4j.testkit.server.HttpWire.RawRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on {@code 127.0.0.1} that speaks an LM provider's wire format, for testing LM
 * clients and whole programs offline: OpenAI-compatible chat completions (several choices, tool
 * calls, usage, SSE streaming ending in {@code [DONE]}) and embeddings, or Anthropic's Messages API
 * (content blocks, tool use, SSE events {@code message_start} ... {@code message_stop}).
 *
 * <pre>{@code
 * try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
 *     server.respondWith(Responder.fixed("[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]"))
 *           .latency(Duration.ofMillis(20));
 *     server.faults().next(2, Fault.rateLimited(Duration.ofMillis(50)));   // first two calls: 429
 *     Lm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey("sk-test")
 *             .baseUrl(server.baseUrl()).build();
 *     ... run the program ...
 *     assertThat(server.requests()).hasSize(3);
 * }
 * }</pre>
 *
 * <p>Every request is recorded ({@link #requests()}, {@link #takeRequest(Duration)}) with its
 * headers and parsed JSON body before it is answered. Answers come from the {@link Responder}
 * (by default {@link Responder#echo()}), after the configured latency, unless the
 * {@link #faults() fault plan} picks a {@link Fault} for the request. Each response carries a
 * provider-style request id ({@code x-request-id} or {@code request-id}).
 *
 * <p>Resources: one listening socket and one virtual thread per open connection (HTTP/1.1
 * keep-alive, so a pooled client reuses them). {@link #stop()} closes the listener and every
 * connection and interrupts waits; the server cannot be restarted.
 *
 * <p>Thread-safe: settings may be changed at any time; they apply to requests received afterwards.
 */
public final class FakeLmServer implements AutoCloseable {

    /** Vector size of fake embeddings unless the request asks for {@code dimensions}. */
    public static final int EMBEDDING_DIMENSIONS = 8;

    private final Dialect dialect;
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final FaultPlan faults = new FaultPlan();
    private final List<RecordedRequest> recorded = new ArrayList<>();
    private final LinkedBlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Responder responder = Responder.echo();
    private volatile Duration minLatency = Duration.ZERO;
    private volatile Duration maxLatency = Duration.ZERO;
    private volatile Duration streamDelay = Duration.ZERO;
    private volatile String requiredApiKey;
    private SplittableRandom latencyRandom = new SplittableRandom(0);
    private volatile boolean running = true;

    private FakeLmServer(Dialect dialect) throws IOException {
        this.dialect = dialect;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        threads.execute(this::acceptLoop);
    }

    /**
     * Starts a server on a free port of {@code 127.0.0.1}.
     *
     * @param dialect the wire format to speak
     * @return the running server; {@link #stop()} it (try-with-resources)
     * @throws UncheckedIOException if no port can be bound
     */
    public static FakeLmServer start(Dialect dialect) {
        try {
            return new FakeLmServer(Objects.requireNonNull(dialect, "dialect"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind a port on 127.0.0.1 for the fake LM server", e);
        }
    }

    /** The wire format this server speaks. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * The base URL to give a client: {@code http://127.0.0.1:PORT/v1} for {@link Dialect#OPENAI},
     * {@code http://127.0.0.1:PORT} for {@link Dialect#ANTHROPIC}.
     */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port() + dialect.basePath());
    }

    /** The port the server listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Answers requests with this responder from now on. */
    public FakeLmServer respondWith(Responder newResponder) {
        this.responder = Objects.requireNonNull(newResponder, "responder");
        return this;
    }

    /** Waits this long before answering each request (0 by default). */
    public FakeLmServer latency(Duration latency) {
        return latency(latency, latency, 0);
    }

    /**
     * Waits a uniformly random time between {@code min} and {@code max} before answering each
     * request, drawn from a generator with this seed.
     */
    public FakeLmServer latency(Duration min, Duration max, long seed) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("latency needs 0 <= min <= max, was " + min + " and " + max);
        }
        synchronized (this) {
            latencyRandom = new SplittableRandom(seed);
        }
        this.minLatency = min;
        this.maxLatency = max;
        return this;
    }

    /** Waits this long between the events of a streamed answer (0 by default). */
    public FakeLmServer streamDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("streamDelay must be >= 0, was " + delay);
        }
        this.streamDelay = delay;
        return this;
    }

    /**
     * Answers 401 (in the provider's format) to requests that do not carry this API key where the
     * provider expects it; {@code null} (the default) accepts any key or none.
     */
    public FakeLmServer requireApiKey(String apiKey) {
        this.requiredApiKey = apiKey;
        return this;
    }

    /** The fault plan: which requests fail, and how. */
    public FaultPlan faults() {
        return faults;
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** How many requests the server has received. */
    public int requestCount() {
        synchronized (recorded) {
            return recorded.size();
        }
    }

    /** The most recent request. @throws IllegalStateException if there was none */
    public RecordedRequest lastRequest() {
        synchronized (recorded) {
            if (recorded.isEmpty()) {
                throw new IllegalStateException("The fake LM server has received no request");
            }
            return recorded.get(recorded.size() - 1);
        }
    }

    /**
     * The oldest request not yet taken, waiting up to {@code timeout} for one to arrive.
     *
     * @return the request, or {@code null} if none arrived in time
     */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Forgets recorded requests and clears the fault plan; settings stay. */
    public FakeLmServer reset() {
        synchronized (recorded) {
            recorded.clear();
        }
        untaken.clear();
        faults.clear();
        maxInFlight.set(inFlight.get());
        return this;
    }

    /** The largest number of requests the server was answering at the same time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** How many client connections are open right now. */
    public int openConnections() {
        return connections.size();
    }

    /** Stops the server: closes the listener and every connection. Idempotent. */
    public void stop() {
        running = false;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(FakeLmServer::closeQuietly);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "FakeLmServer[" + dialect + " at " + baseUrl() + "]";
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket socket = listener.accept();
                connections.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (running) {
                RawRequest raw = HttpWire.read(in, out);
                if (raw == null || !handle(socket, out, raw) || raw.wantsClose()) {
                    return;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away, the server stopped, or a fault closed the socket
        } finally {
            connections.remove(socket);
        }
    }

    private boolean handle(Socket socket, OutputStream out, RawRequest raw) throws IOException, InterruptedException {
        ProviderWire wire = dialect.wire();
        long number = sequence.getAndIncrement();
        ProviderWire.Route route = wire.route(raw.method(), raw.path());
        String key = requiredApiKey;
        boolean authorized = key == null || wire.hasApiKey(raw.headers(), key);
        RecordedRequest request = new RecordedRequest(number, raw.method(), raw.path(), raw.headers(), raw.body(),
                wire.requestId(number), null, System.nanoTime());
        Fault fault = route != ProviderWire.Route.NOT_FOUND && authorized ? faults.draw(request) : null;
        if (fault != null) {
            request = request.withFault(fault);
        }
        synchronized (recorded) {
            recorded.add(request);
        }
        untaken.add(request);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            sleep(nextLatency());
            return new Exchange(this, wire, socket, out, request).respond(route, authorized);
        } finally {
            inFlight.decrementAndGet();
            request.finish(RecordedRequest.Outcome.CLIENT_DISCONNECTED);
        }
    }

    private Duration nextLatency() {
        Duration min = minLatency;
        Duration max = maxLatency;
        if (min.equals(max)) {
            return min;
        }
        long span = max.toNanos() - min.toNanos();
        synchronized (this) {
            return min.plusNanos(latencyRandom.nextLong(span + 1));
        }
    }

    Responder responder() {
        return responder;
    }

    Duration streamDelay() {
        return streamDelay;
    }

    void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration);
        }
    }

    /**
     * The deterministic unit vector the server returns as the embedding of {@code text}.
     *
     * @param text the embedded text
     * @param dimensions the vector size
     * @return the vector (the same for the same text and size)
     */
    public static float[] fakeEmbedding(String text, int dimensions) {
        SplittableRandom random = new SplittableRandom(text.hashCode());
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (random.nextDouble() * 2 - 1);
            norm += vector[i] * vector[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    /** Whitespace-separated words: the server's token estimate. */
    static long words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
