package dev.dspy4j.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dspy4j.cache.DiskCache;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a loopback server speaking DSPy's ColBERTv2 wire format, with faults. */
class ColBertV2Test {

    private static final String TOPK = """
            {"topk": [
              {"text": "Oslo | Oslo is the capital of Norway.", "pid": 17, "rank": 1, "score": 25.5, "prob": 0.7},
              {"text": "Bergen | Bergen is a city in Norway.", "pid": 4, "rank": 2, "score": 20.25, "prob": 0.2},
              {"text": "Paris | Paris is the capital of France.", "pid": 9, "rank": 3, "score": 11.0, "prob": 0.1}
            ], "latency": 12.3}""";

    /** What the server does with one request: the request's number (from 0) and the exchange. */
    @FunctionalInterface
    interface Fault {
        void answer(int n, HttpExchange exchange) throws Exception;
    }

    private HttpServer server;
    private ExecutorService executor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Fault fault = (n, exchange) -> reply(exchange, 200, TOPK);

    @BeforeEach
    void startServer() throws IOException {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/api/search", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String query = exchange.getRequestURI().getRawQuery();
                requests.add(exchange.getRequestMethod() + " "
                        + (query == null ? body : URLDecoder.decode(query, StandardCharsets.UTF_8)));
                fault.answer(count.getAndIncrement(), exchange);
            } catch (IOException e) {
                // the client went away
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/search";
    }

    private ColBertV2.Builder client() {
        return ColBertV2.builder(url()).initialBackoff(Duration.ofMillis(1)).timeout(Duration.ofSeconds(5));
    }

    private static void reply(HttpExchange exchange, int status, String body, String... headers) throws IOException {
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void getsTheTopKPassagesWithPidScoreAndOtherFields() {
        // given
        try (ColBertV2 colbert = client().build()) {
            // when
            List<Passage> hits = colbert.search("capital of Norway?", 2);

            // then DSPy's GET request, the first k hits, text as text, pid as id
            assertThat(requests).containsExactly("GET query=capital of Norway?&k=2");
            assertThat(hits).extracting(Passage::id).containsExactly("17", "4");
            assertThat(hits.get(0).text()).isEqualTo("Oslo | Oslo is the capital of Norway.");
            assertThat(hits.get(0).score()).isEqualTo(25.5);
            assertThat(hits.get(0).metadata()).containsEntry("prob", 0.7).containsEntry("rank", 1)
                    .containsEntry("pid", 17).doesNotContainKey("text");
        }
    }

    @Test
    void postsJsonWhenAskedAndPrefersLongText() {
        // given a POST server answering long_text as DSPy's post variant expects
        fault = (n, exchange) -> reply(exchange, 200,
                "{\"topk\": [{\"text\": \"short\", \"long_text\": \"the long text\", \"pid\": \"p1\", \"score\": 1}]}");
        try (ColBertV2 colbert = client().post(true).build()) {
            // when
            List<Passage> hits = colbert.search("q", 3);

            // then
            assertThat(requests).containsExactly("POST {\"query\":\"q\",\"k\":3}");
            assertThat(hits).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo("p1");
                assertThat(p.text()).isEqualTo("the long text");
            });
        }
    }

    @Test
    void retriesServerErrorsAndRateLimitsThenSucceeds() {
        // given a 503, then a 429 asking to wait 0 s, then an answer
        fault = (n, exchange) -> {
            switch (n) {
                case 0 -> reply(exchange, 503, "overloaded");
                case 1 -> reply(exchange, 429, "slow down", "Retry-After", "0");
                default -> reply(exchange, 200, TOPK);
            }
        };
        try (ColBertV2 colbert = client().build()) {
            // when
            List<Passage> hits = colbert.search("q", 1);

            // then
            assertThat(count.get()).isEqualTo(3);
            assertThat(hits).extracting(Passage::id).containsExactly("17");
        }
    }

    @Test
    void givesUpAfterMaxRetriesWithARetryableError() {
        // given a server that always fails
        fault = (n, exchange) -> reply(exchange, 500, "boom");
        try (ColBertV2 colbert = client().maxRetries(2).build()) {
            // when / then
            assertThatThrownBy(() -> colbert.search("q", 1)).isInstanceOf(RetrievalException.class)
                    .hasMessageContaining("answered HTTP 500: boom")
                    .hasMessageContaining("after 3 attempts")
                    .satisfies(e -> assertThat(((RetrievalException) e).isRetryable()).isTrue());
            assertThat(count.get()).isEqualTo(3);
        }
    }

    @Test
    void failsAtOnceWhenRetryAfterAsksForMoreThanTheLongestWait() {
        // given
        fault = (n, exchange) -> reply(exchange, 429, "later", "Retry-After", "3600");
        try (ColBertV2 colbert = client().maxRetryWait(Duration.ofSeconds(1)).build()) {
            // when / then
            assertThatThrownBy(() -> colbert.search("q", 1)).isInstanceOf(RetrievalException.class)
                    .hasMessageContaining("asks to wait 3600000 ms, more than maxRetryWait (1000 ms)");
            assertThat(count.get()).isEqualTo(1);
        }
    }

    @Test
    void doesNotRetryClientErrors() {
        // given
        fault = (n, exchange) -> reply(exchange, 404, "no such index");
        try (ColBertV2 colbert = client().build()) {
            // when / then
            assertThatThrownBy(() -> colbert.search("q", 1)).isInstanceOf(RetrievalException.class)
                    .hasMessageContaining("HTTP 404: no such index; check the URL");
            assertThat(count.get()).isEqualTo(1);
        }
    }

    @Test
    void timesOutASilentServerAndRetriesIt() {
        // given a server that hangs on the first request, then answers
        fault = (n, exchange) -> {
            if (n == 0) {
                release.await(30, TimeUnit.SECONDS);
            } else {
                reply(exchange, 200, TOPK);
            }
        };
        try (ColBertV2 colbert = client().timeout(Duration.ofMillis(300)).build()) {
            // when
            List<Passage> hits = colbert.search("q", 1);

            // then
            assertThat(count.get()).isEqualTo(2);
            assertThat(hits).hasSize(1);
        }
    }

    @Test
    void reportsATimeoutWhenRetriesRunOut() {
        // given
        fault = (n, exchange) -> release.await(30, TimeUnit.SECONDS);
        try (ColBertV2 colbert = client().timeout(Duration.ofMillis(200)).maxRetries(0).build()) {
            // when / then
            assertThatThrownBy(() -> colbert.search("q", 1)).isInstanceOf(RetrievalException.class)
                    .hasMessageContaining("did not answer within 200 ms");
        }
    }

    @Test
    void rejectsMalformedJsonAndUnexpectedShapes() {
        try (ColBertV2 colbert = client().build()) {
            fault = (n, exchange) -> reply(exchange, 200, "{\"topk\": [");
            assertThatThrownBy(() -> colbert.search("q", 1)).isInstanceOf(RetrievalException.class)
                    .hasMessageContaining("malformed JSON");

            fault = (n, exchange) -> reply(exchange, 200, "{\"results\": []}");
            assertThatThrownBy(() -> colbert.search("q", 1)).isInstanceOf(RetrievalException.class)
                    .hasMessageContaining("no \"topk\" array");

            fault = (n, exchange) -> reply(exchange, 200, "{\"error\": true, \"message\": \"index not loaded\"}");
            assertThatThrownBy(() -> colbert.search("q", 1)).isInstanceOf(RetrievalException.class)
                    .hasMessageContaining("returned an error: index not loaded");
        }
    }

    @Test
    void refusesABodyOverTheLimit() {
        // given an answer of about 200 KB and a 64 KB limit
        String big = "{\"topk\": [{\"text\": \"" + "x".repeat(200_000) + "\", \"pid\": 1, \"score\": 1}]}";
        fault = (n, exchange) -> reply(exchange, 200, big);
        try (ColBertV2 colbert = client().maxResponseBytes(64 * 1024).build()) {
            // when / then
            assertThatThrownBy(() -> colbert.search("q", 1)).isInstanceOf(RetrievalException.class)
                    .hasMessageContaining("more than 65536 bytes");
            assertThat(count.get()).isEqualTo(1);
        }
    }

    @Test
    void servesASecondIdenticalSearchFromTheCacheWithoutARequest() {
        // given the default client, which caches answers in memory
        try (ColBertV2 colbert = client().build()) {
            List<Passage> first = colbert.search("capital of Norway?", 2);

            // when the same search comes again
            List<Passage> second = colbert.search("capital of Norway?", 2);

            // then the server saw one request and both answers are equal
            assertThat(requests).containsExactly("GET query=capital of Norway?&k=2");
            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void anotherQueryOrAnotherKOrAnotherMethodMissesTheCache() {
        // given one cache shared by a GET and a POST client of the same server
        MemoryCache shared = new MemoryCache(100);
        try (ColBertV2 get = client().cache(shared).build(); ColBertV2 post = client().post(true).cache(shared).build()) {
            get.search("capital of Norway?", 2);

            // when
            get.search("capital of Norway?", 3);
            get.search("capital of France?", 2);
            post.search("capital of Norway?", 2);
            get.search("capital of Norway?", 2);

            // then every different search asked the server; only the repeat did not
            assertThat(requests).hasSize(4);
            assertThat(requests.get(3)).startsWith("POST ");
        }
    }

    @Test
    void aFailureIsNotCached() {
        // given a server that fails once, then answers
        fault = (n, exchange) -> {
            if (n == 0) {
                reply(exchange, 404, "no such index");
            } else {
                reply(exchange, 200, TOPK);
            }
        };
        try (ColBertV2 colbert = client().build()) {
            assertThatThrownBy(() -> colbert.search("q", 1)).isInstanceOf(RetrievalException.class);

            // when the same search comes again, twice
            List<Passage> hits = colbert.search("q", 1);
            colbert.search("q", 1);

            // then the failure was asked again, and the good answer then served from the cache
            assertThat(count.get()).isEqualTo(2);
            assertThat(hits).extracting(Passage::id).containsExactly("17");
        }
    }

    @Test
    void anErrorAnswerIsNotCached() {
        // given a server answering an error object once, then passages
        fault = (n, exchange) -> reply(exchange, 200,
                n == 0 ? "{\"error\": true, \"message\": \"index not loaded\"}" : TOPK);
        try (ColBertV2 colbert = client().build()) {
            assertThatThrownBy(() -> colbert.search("q", 1)).hasMessageContaining("index not loaded");

            // when
            List<Passage> hits = colbert.search("q", 1);

            // then
            assertThat(count.get()).isEqualTo(2);
            assertThat(hits).hasSize(1);
        }
    }

    @Test
    void withoutTheCacheEverySearchAsksTheServer() {
        try (ColBertV2 colbert = client().cache(false).build()) {
            colbert.search("q", 1);
            colbert.search("q", 1);

            assertThat(count.get()).isEqualTo(2);
        }
    }

    @Test
    void answersLiveInTheGivenTiersAndSurviveANewClient(@TempDir Path directory) {
        // given a disk cache shared by two clients, as a restarted process would reuse it
        try (DiskCache disk = DiskCache.at(directory)) {
            try (ColBertV2 before = client().cache(disk).build()) {
                before.search("capital of Norway?", 2);
            }

            // when a new client asks the same
            List<Passage> hits;
            try (ColBertV2 after = client().cache(disk).build()) {
                hits = after.search("capital of Norway?", 2);
            }

            // then the answer came from disk, exactly
            assertThat(count.get()).isEqualTo(1);
            assertThat(hits).extracting(Passage::id).containsExactly("17", "4");
            assertThat(hits.get(0).metadata()).containsEntry("prob", 0.7);
        }
    }

    @Test
    void aForeignEntryUnderTheKeyIsAMiss() {
        // given a cache holding something else under the search's key
        MemoryCache shared = new MemoryCache(10);
        URI url = URI.create(url());
        shared.put(ColBertV2Answers.key(url, false, "q", 1), new LmResponse(
                List.of(new Choice("not an answer", List.of(), null, "stop")), Usage.ZERO, null, false));
        try (ColBertV2 colbert = client().cache(shared).build()) {
            // when
            List<Passage> hits = colbert.search("q", 1);

            // then
            assertThat(count.get()).isEqualTo(1);
            assertThat(hits).hasSize(1);
        }
    }

    @Test
    void checksKAndTheUrl() {
        try (ColBertV2 colbert = client().build()) {
            assertThatThrownBy(() -> colbert.search("q", 101)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("between 1 and 100");
        }
        assertThatThrownBy(() -> ColBertV2.of("ftp://host/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute http(s) URL");
    }
}
