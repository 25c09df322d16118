package dev.dspy4j.retrieve;

import dev.dspy4j.cache.LmCache;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.internal.http.BoundedBody;
import dev.dspy4j.internal.JsonTrees;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client for a ColBERTv2 search server in DSPy's wire format: DSPy's {@code dspy.ColBERTv2(url)},
 * so retrieval servers made for DSPy keep working.
 *
 * <p><b>Wire format.</b> {@code GET url?query=...&k=...} (or, with {@link Builder#post(boolean)},
 * {@code POST url} with the JSON body {@code {"query": ..., "k": ...}}) answers a JSON object whose
 * {@code topk} array holds the hits, best first, each with {@code text} (or {@code long_text}),
 * {@code pid} and {@code score}. An answer with a truthy {@code error} fails with its
 * {@code message}. A hit becomes a {@link Passage} with {@code long_text} (else {@code text}) as
 * text, {@code pid} as id (its rank when absent), {@code score} as score, and its other fields
 * ({@code prob}, {@code rank}, ...) as metadata.
 *
 * <p><b>Failures.</b> A 5xx or 429 answer, a timeout or a broken connection is retried up to
 * {@link Builder#maxRetries} times with exponential backoff, waiting as long as a
 * {@code Retry-After} header asks (but failing at once if it asks more than
 * {@link Builder#maxRetryWait}). Each attempt, body included, must finish within
 * {@link Builder#timeout}; a body over {@link Builder#maxResponseBytes} fails without being read
 * further. Other 4xx answers and malformed JSON fail at once. Every failure is a
 * {@link RetrievalException} naming the server and saying what to do.
 *
 * <p><b>Cache.</b> As DSPy caches its ColBERTv2 requests, answers are cached by default: good
 * answers, keyed by URL, method (GET or POST), query and {@code k}, are kept in memory (at most
 * {@link #DEFAULT_CACHE_ENTRIES}, least recently used dropped first), so an identical search is
 * served without a request. {@link Builder#cache(LmCache)} puts them in other tiers instead, the
 * same ones LM responses and embeddings use ({@code TieredCache.defaults()} for memory then disk,
 * {@code RedisCache} to share them); {@link Builder#cache(boolean) cache(false)} turns caching off.
 * Failures (HTTP errors, timeouts, an {@code error} answer, malformed JSON) are never cached, nor
 * are answers over {@link #MAX_CACHED_BYTES}. Cache failures are misses, as {@link LmCache}
 * promises.
 *
 * <p>Thread-safe; one instance holds one {@link HttpClient}, released by {@link #close()}.
 */
public final class ColBertV2 implements Retriever {

    /** The largest {@code k} DSPy's hosted ColBERTv2 server accepts. */
    public static final int MAX_K = 100;

    /** The longest query accepted, in characters. */
    public static final int MAX_QUERY_CHARS = 8_192;

    /** How many answers the default in-memory cache keeps: 1,000. */
    public static final int DEFAULT_CACHE_ENTRIES = 1_000;

    /** The largest answer body cached, 1 MiB; larger answers are returned but not kept. */
    public static final int MAX_CACHED_BYTES = 1 << 20;

    private final URI url;
    private final boolean post;
    private final Duration timeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxRetryWait;
    private final long maxResponseBytes;
    private final HttpClient client;
    private final @Nullable LmCache cache;

    private ColBertV2(Builder builder) {
        this.url = builder.url;
        this.post = builder.post;
        this.timeout = builder.timeout;
        this.maxRetries = builder.maxRetries;
        this.initialBackoff = builder.initialBackoff;
        this.maxRetryWait = builder.maxRetryWait;
        this.maxResponseBytes = builder.maxResponseBytes;
        this.cache = builder.cache != null ? builder.cache
                : builder.cached ? new MemoryCache(DEFAULT_CACHE_ENTRIES) : null;
        this.client = HttpClient.newBuilder().connectTimeout(builder.timeout).build();
    }

    /**
     * A client with the defaults: GET, 10 s per attempt, 3 retries, answers cached in memory.
     *
     * @param url the server's search endpoint, e.g. {@code http://127.0.0.1:8893/api/search}
     * @return the client
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL
     */
    public static ColBertV2 of(String url) {
        return builder(url).build();
    }

    /**
     * A builder for a client of the server at {@code url}.
     *
     * @param url the server's search endpoint (DSPy's {@code url}, with its {@code port} in it)
     * @return the builder
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with no query
     */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /**
     * The server's {@code k} best passages for {@code query}: from the cache when the same search
     * was answered before, else from the server.
     *
     * @param query the query, at most {@link #MAX_QUERY_CHARS} characters
     * @param k between 1 and {@link #MAX_K}
     * @throws IllegalArgumentException if {@code k} or the query is out of bounds
     * @throws RetrievalException if the server fails (after the retries) or answers malformed JSON
     */
    @Override
    public List<Passage> search(String query, int k) {
        Checks.query(query, MAX_QUERY_CHARS, "ColBertV2");
        Checks.k(k, MAX_K, "ColBertV2");
        LmCache tiers = cache;
        String key = null;
        if (tiers != null) {
            key = ColBertV2Answers.key(url, post, query, k);
            byte[] cached = ColBertV2Answers.lookup(tiers, key);
            if (cached != null) {
                try {
                    return parse(cached, k);
                } catch (RetrievalException unreadable) {
                    // an entry that no longer parses: ask the server again, as on a miss
                }
            }
        }
        return fetch(query, k, key);
    }

    /** Asks the server, with retries; caches a good answer under {@code key} (if not {@code null}). */
    private List<Passage> fetch(String query, int k, @Nullable String key) {
        HttpRequest request = request(query, k);
        for (int attempt = 0; ; attempt++) {
            Duration wait;
            RetrievalException failure;
            try {
                HttpResponse<byte[]> response = send(request);
                int status = response.statusCode();
                if (status / 100 == 2) {
                    List<Passage> passages = parse(response.body(), k);
                    LmCache tiers = cache;
                    if (key != null && tiers != null && response.body().length <= MAX_CACHED_BYTES) {
                        ColBertV2Answers.store(tiers, key, url, response.body());
                    }
                    return passages;
                }
                boolean retryable = status == 429 || status / 100 == 5;
                failure = new RetrievalException("ColBERTv2 server " + url + " answered HTTP " + status + ": "
                        + snippet(response.body()) + (retryable ? " (after " + (attempt + 1) + " attempts; try again "
                        + "later or raise maxRetries)" : "; check the URL and the query"), retryable, null);
                if (!retryable) {
                    throw failure;
                }
                wait = retryAfter(response);
                if (wait != null && wait.compareTo(maxRetryWait) > 0) {
                    throw new RetrievalException("ColBERTv2 server " + url + " answered HTTP " + status
                            + " and asks to wait " + wait.toMillis() + " ms, more than maxRetryWait ("
                            + maxRetryWait.toMillis() + " ms); try again later.", true, null);
                }
            } catch (Attempt e) {
                failure = e.failure;
                wait = null;
            }
            if (attempt >= maxRetries) {
                throw failure;
            }
            sleep(wait != null ? wait : backoff(attempt));
        }
    }

    private HttpRequest request(String query, int k) {
        if (post) {
            ObjectNode body = JsonTrees.object();
            body.put("query", query);
            body.put("k", k);
            return HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JsonTrees.write(body))).build();
        }
        URI withQuery = URI.create(url + "?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&k=" + k);
        return HttpRequest.newBuilder(withQuery).timeout(timeout).GET().build();
    }

    /** One attempt, body included, within the timeout. */
    private HttpResponse<byte[]> send(HttpRequest request) throws Attempt {
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request,
                BoundedBody.handler(maxResponseBytes));
        try {
            return exchange.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new Attempt(new RetrievalException("ColBERTv2 server " + url + " did not answer within "
                    + timeout.toMillis() + " ms; check that it is up, or raise the timeout.", true, e));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new RetrievalException("Interrupted while waiting for ColBERTv2 server " + url + ".", false, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof BoundedBody.TooLarge) {
                throw new RetrievalException("ColBERTv2 server " + url + " answered more than " + maxResponseBytes
                        + " bytes; ask for fewer passages (k) or raise maxResponseBytes.", false, cause);
            }
            if (cause instanceof HttpTimeoutException) {
                throw new Attempt(new RetrievalException("ColBERTv2 server " + url + " did not answer within "
                        + timeout.toMillis() + " ms; check that it is up, or raise the timeout.", true, cause));
            }
            if (cause instanceof IOException) {
                throw new Attempt(new RetrievalException("Cannot reach ColBERTv2 server " + url + ": " + cause
                        + "; check that it is up and the URL is right.", true, cause));
            }
            throw new RetrievalException("ColBERTv2 request to " + url + " failed: " + cause, false, cause);
        }
    }

    private List<Passage> parse(byte[] body, int k) {
        JsonNode root;
        try {
            root = JsonTrees.read(body);
        } catch (JacksonException e) {
            throw new RetrievalException("ColBERTv2 server " + url + " answered malformed JSON (" + e.getOriginalMessage()
                    + "): " + snippet(body) + "; check that the URL is a ColBERTv2 search endpoint.", false, e);
        }
        if (!(root instanceof ObjectNode object)) {
            throw malformed("not a JSON object", body);
        }
        JsonNode error = object.get("error");
        if (error != null && truthy(error)) {
            JsonNode message = object.get("message");
            throw new RetrievalException("ColBERTv2 server " + url + " returned an error: "
                    + (message != null && message.isString() ? message.stringValue() : "Unknown error"), false, null);
        }
        JsonNode topk = object.get("topk");
        if (topk == null || !topk.isArray()) {
            throw malformed("no \"topk\" array", body);
        }
        List<Passage> passages = new ArrayList<>();
        for (int rank = 0; rank < topk.size() && rank < k; rank++) {
            if (!(topk.get(rank) instanceof ObjectNode hit)) {
                throw malformed("topk[" + rank + "] is not an object", body);
            }
            JsonNode text = hit.has("long_text") ? hit.get("long_text") : hit.get("text");
            if (text == null || !text.isString()) {
                throw malformed("topk[" + rank + "] has no \"text\" string", body);
            }
            JsonNode pid = hit.get("pid");
            JsonNode score = hit.get("score");
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : hit.properties()) {
                String name = field.getKey();
                Object value = JsonTrees.toJava(field.getValue());
                if (value != null && !name.equals("text") && !name.equals("long_text")) {
                    metadata.put(name, value);
                }
            }
            String id = pid == null || pid.isNull() ? Integer.toString(rank)
                    : pid.isString() ? pid.stringValue() : pid.toString();
            passages.add(new Passage(id, text.stringValue(), score != null && score.isNumber() ? score.asDouble() : 0,
                    metadata));
        }
        return List.copyOf(passages);
    }

    private static boolean truthy(JsonNode node) {
        return !(node.isNull() || node.isBoolean() && !node.booleanValue()
                || node.isNumber() && node.asDouble() == 0 || node.isString() && node.stringValue().isEmpty()
                || node.isContainer() && node.isEmpty());
    }

    private RetrievalException malformed(String what, byte[] body) {
        return new RetrievalException("ColBERTv2 server " + url + " answered an unexpected response (" + what + "): "
                + snippet(body) + "; check that the URL is a ColBERTv2 search endpoint.", false, null);
    }

    private static String snippet(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "(empty body)" : text + (body.length > 500 ? "..." : "");
    }

    private static @Nullable Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse("").strip();
        if (value.isEmpty()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(value);
            return Double.isFinite(seconds) && seconds >= 0 ? Duration.ofMillis((long) (seconds * 1000)) : null;
        } catch (NumberFormatException e) {
            try {
                java.time.Instant at = java.time.ZonedDateTime.parse(value,
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(java.time.Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (java.time.format.DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt, 16);
        return Duration.ofMillis(Math.min(millis, maxRetryWait.toMillis()));
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetrievalException("Interrupted while waiting to retry ColBERTv2 server " + url + ".", false, e);
        }
    }

    /** Closes the HTTP client. A cache given to {@link Builder#cache(LmCache)} is not closed: its owner closes it. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "ColBertV2(" + url + (post ? ", POST" : "") + ")";
    }

    /** A failed attempt that may be retried. */
    private static final class Attempt extends Exception {
        private static final long serialVersionUID = 1L;
        final transient RetrievalException failure;

        Attempt(RetrievalException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /** Settings of a {@link ColBertV2} client; each is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final URI url;
        private boolean post;
        private Duration timeout = Duration.ofSeconds(10);
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxRetryWait = Duration.ofSeconds(30);
        private long maxResponseBytes = 8L * 1024 * 1024;
        private boolean cached = true;
        private @Nullable LmCache cache;

        private Builder(String url) {
            URI uri;
            try {
                uri = URI.create(Objects.requireNonNull(url, "url"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ColBertV2: " + url + " is not a URL: " + e.getMessage(), e);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("ColBertV2: " + url + " must be an absolute http(s) URL without a "
                        + "query, e.g. http://127.0.0.1:8893/api/search");
            }
            this.url = uri;
        }

        /** POST the query as JSON (DSPy's {@code post_requests=True}) instead of GET; default GET. */
        public Builder post(boolean usePost) {
            this.post = usePost;
            return this;
        }

        /** How long one attempt may take, body included; default 10 s (DSPy's). */
        public Builder timeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("ColBertV2 timeout must be positive, not " + value);
            }
            this.timeout = value;
            return this;
        }

        /** How many times a 5xx, 429, timeout or broken connection is retried; default 3, 0 for none. */
        public Builder maxRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("ColBertV2 maxRetries must be >= 0, not " + value);
            }
            this.maxRetries = value;
            return this;
        }

        /** The first retry's wait when the server gives no {@code Retry-After}, doubled each retry; default 500 ms. */
        public Builder initialBackoff(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("ColBertV2 initialBackoff must not be negative, not " + value);
            }
            this.initialBackoff = value;
            return this;
        }

        /** The longest wait before a retry; a longer {@code Retry-After} fails at once. Default 30 s. */
        public Builder maxRetryWait(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("ColBertV2 maxRetryWait must not be negative, not " + value);
            }
            this.maxRetryWait = value;
            return this;
        }

        /** The largest answer body read; default 8 MiB. */
        public Builder maxResponseBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("ColBertV2 maxResponseBytes must be positive, not " + value);
            }
            this.maxResponseBytes = value;
            return this;
        }

        /**
         * Answers cached in memory ({@code true}, the default: at most
         * {@link ColBertV2#DEFAULT_CACHE_ENTRIES}) or not cached at all ({@code false}, every search
         * asks the server).
         */
        public Builder cache(boolean enabled) {
            this.cached = enabled;
            this.cache = null;
            return this;
        }

        /**
         * Answers cached in {@code tiers} instead of the default in-memory cache, e.g.
         * {@code TieredCache.defaults()} (memory, then disk) or a {@code RedisCache} shared by many
         * processes; sharing it with LM responses and embeddings is fine, the keys do not collide.
         *
         * @throws NullPointerException if {@code tiers} is {@code null}
         */
        public Builder cache(LmCache tiers) {
            this.cache = Objects.requireNonNull(tiers, "cache");
            this.cached = true;
            return this;
        }

        /** The client. */
        public ColBertV2 build() {
            return new ColBertV2(this);
        }
    }
}
