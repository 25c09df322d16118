package dev.dspy4j.testkit;

import static dev.dspy4j.testkit.KitChecks.assertFailure;
import static dev.dspy4j.testkit.KitChecks.drain;
import static dev.dspy4j.testkit.KitChecks.failureOf;
import static dev.dspy4j.testkit.KitChecks.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.StreamChunk;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Fault;
import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.Reply;
import dev.dspy4j.testkit.server.Responder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every HTTP LM client must meet, as a JUnit 5 test class to extend (like
 * Micrometer's registry compatibility kits). Each test starts a {@link FakeLmServer} speaking the
 * client's wire format on {@code 127.0.0.1}, builds the client against it with a canary API key,
 * and checks one promise: completions, several choices, usage, options on the wire, tool calls,
 * the mapping of every provider failure onto {@link LmException} (retryable or not, status,
 * request id, a message without the key), the timeout, streaming, and 200 concurrent calls.
 *
 * <pre>{@code
 * class MyLmCompatibilityTest extends LmCompatibilityKit {
 *     protected Dialect dialect() { return Dialect.OPENAI; }
 *     protected LM createLm(URI baseUrl, String apiKey, Duration timeout) {
 *         return MyLm.builder().baseUrl(baseUrl).apiKey(apiKey).timeout(timeout).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Streaming tests run when the LM is a {@link Lm}; embedding tests when
 * {@link #createEmbedder(URI, String)} returns one. A failure message names the promise broken.
 * Only loopback traffic; each test takes well under a second except the timeout test, which waits
 * for {@link #timeout()}.
 */
public abstract class LmCompatibilityKit {

    /** The kit's request: a system and a user message. */
    protected static final LmRequest QUESTION = LmRequest.of(List.of(
            Message.system("You answer geography questions tersely."),
            Message.user("What is the capital of France?")));

    /** A fresh canary API key per test: it must never show up in exceptions or {@code toString()}. */
    protected final String apiKey = "sk-canary-" + UUID.randomUUID().toString().replace("-", "");

    /** The server for the current test, started before it and stopped after it. */
    protected FakeLmServer server;

    /** The client under test, built against {@link #server} before each test. */
    protected Lm lm;

    /** For subclasses: one per LM client under test. */
    protected LmCompatibilityKit() {}

    /** The wire format the client speaks. */
    protected abstract Dialect dialect();

    /**
     * Builds the client under test.
     *
     * @param baseUrl the fake server's base URL ({@link FakeLmServer#baseUrl()})
     * @param apiKey the canary key to authenticate with
     * @param timeout the per-call timeout to configure
     * @return the client
     */
    protected abstract Lm createLm(URI baseUrl, String apiKey, Duration timeout);

    /**
     * Builds an embeddings client against the server, or returns {@code null} (the default) when the
     * client has none; embedding tests are then skipped.
     */
    protected dev.dspy4j.lm.Embedder createEmbedder(URI baseUrl, String apiKey) {
        return null;
    }

    /** The timeout given to {@link #createLm}; 2 seconds by default. */
    protected Duration timeout() {
        return Duration.ofSeconds(2);
    }

    /** Whether the client can return several choices for one request ({@code n > 1}); true by default. */
    protected boolean supportsSeveralChoices() {
        return true;
    }

    /** The {@code tools} value to send in {@link LmOptions#extra()} for the tool-call test, in the dialect's format. */
    protected Object toolsOption() {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")),
                "required", List.of("city"));
        if (dialect() == Dialect.ANTHROPIC) {
            return List.of(Map.of("name", "get_weather", "description", "Weather for a city", "input_schema", schema));
        }
        return List.of(Map.of("type", "function", "function",
                Map.of("name", "get_weather", "description", "Weather for a city", "parameters", schema)));
    }

    @BeforeEach
    void startServerAndClient() {
        server = FakeLmServer.start(dialect());
        lm = createLm(server.baseUrl(), apiKey, timeout());
    }

    @AfterEach
    void stopServerAndClient() throws Exception {
        if (lm instanceof AutoCloseable closeable) {
            closeable.close();
        }
        server.stop();
    }

    // ---- completions -----------------------------------------------------------------------

    @Test
    void answersAPlainCompletionAndSendsTheConversation() {
        server.respondWith(Responder.fixed("Paris"));

        LmResponse response = lm.call(QUESTION);

        assertThat(response.text()).as("completion text").isEqualTo("Paris");
        assertThat(response.choices()).hasSize(1);
        assertThat(response.cacheHit()).isFalse();
        RecordedRequest request = server.lastRequest();
        assertThat(server.requestCount()).as("one HTTP request per call").isEqualTo(1);
        assertThat(request.lastUserText()).isEqualTo("What is the capital of France?");
        assertThat(request.model()).as("the model name on the wire, without the provider prefix")
                .isNotBlank().doesNotContain("/");
        assertThat(lm.model()).endsWith(request.model());
        if (dialect() == Dialect.ANTHROPIC) {
            assertThat(request.header("x-api-key")).isEqualTo(apiKey);
            assertThat(request.header("anthropic-version")).as("anthropic-version header").isNotBlank();
            assertThat(KitChecks.text(request.json().path("system"))).contains("geography");
            assertThat(request.json().path("messages").findValuesAsString("role")).doesNotContain("system");
            assertThat(request.json().path("max_tokens").asInt(0)).as("Anthropic requires max_tokens").isPositive();
        } else {
            assertThat(request.header("authorization")).isEqualTo("Bearer " + apiKey);
            assertThat(request.json().path("messages").get(0).path("role").asString("")).isEqualTo("system");
        }
    }

    @Test
    void returnsEveryChoiceWhenSeveralAreRequested() {
        assumeThat(supportsSeveralChoices()).as("client supports n > 1").isTrue();
        AtomicInteger next = new AtomicInteger();
        server.respondWith(request -> {
            int n = request.json().path("n").asInt(1);
            String[] texts = new String[n];
            for (int i = 0; i < n; i++) {
                texts[i] = "choice-" + next.getAndIncrement();
            }
            return Reply.texts(texts);
        });

        LmResponse response = lm.call(QUESTION.withOptions(LmOptions.NONE.withN(3)));

        assertThat(response.choices()).extracting(Choice::text)
                .containsExactlyInAnyOrder("choice-0", "choice-1", "choice-2");
        if (dialect() == Dialect.OPENAI) {
            assertThat(response.choices()).extracting(Choice::text).containsExactly("choice-0", "choice-1", "choice-2");
            assertThat(server.lastRequest().json().path("n").asInt()).isEqualTo(3);
        }
    }

    @Test
    void reportsTheUsageTheProviderReported() {
        server.respondWith(request -> Reply.text("Paris").withUsage(11, 7));

        LmResponse response = lm.call(QUESTION);

        assertThat(response.usage()).isEqualTo(new Usage(11, 7));
    }

    @Test
    void sendsTheGenerationOptions() {
        LmOptions options = LmOptions.NONE.withTemperature(0.3).withMaxTokens(123).withStop(List.of("###"))
                .withSeed(42L);

        lm.call(QUESTION.withOptions(options));

        var body = server.lastRequest().json();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        if (dialect() == Dialect.ANTHROPIC) {
            assertThat(body.path("max_tokens").asInt()).isEqualTo(123);
            assertThat(body.path("stop_sequences").get(0).asString("")).isEqualTo("###");
        } else {
            assertThat(body.path("max_tokens").asInt(body.path("max_completion_tokens").asInt())).isEqualTo(123);
            assertThat(body.path("stop").isArray() ? body.path("stop").get(0).asString("") : body.path("stop").asString(""))
                    .isEqualTo("###");
            assertThat(body.path("seed").asLong()).isEqualTo(42L);
        }
    }

    @Test
    void neverSendsRolloutIdOrCacheSettings() {
        lm.call(QUESTION.withOptions(LmOptions.NONE.withRolloutId(7).withCache(false)));

        assertThat(fieldNames(server.lastRequest().json()))
                .as("rollout_id and cache steer the cache and must never reach the provider")
                .doesNotContain("rollout_id", "rolloutId", "cache");
    }

    @Test
    void parsesToolCalls() {
        server.respondWith(request -> Reply.toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));

        LmResponse response = lm.call(QUESTION.withOptions(LmOptions.NONE.withExtra("tools", toolsOption())));

        assertThat(response.choices()).hasSize(1);
        List<ToolCall> calls = response.choices().get(0).toolCalls();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).id()).isEqualTo("call_1");
        assertThat(calls.get(0).name()).isEqualTo("get_weather");
        assertThat(KitChecks.json(calls.get(0).argumentsJson())).isEqualTo(KitChecks.json("{\"city\":\"Paris\"}"));
        assertThat(server.lastRequest().field("tools")).as("tools sent").isPresent();
    }

    @Test
    void keepsTheApiKeyOutOfToStringAndSavedState() {
        assertThat(lm.toString()).doesNotContain(apiKey);
        assertThat(String.valueOf(lm.savedState())).doesNotContain(apiKey);
    }

    // ---- failures --------------------------------------------------------------------------

    @Test
    void rateLimitIsRetryableAndCarriesRetryAfter() {
        server.faults().next(Fault.rateLimited(Duration.ofSeconds(2)));

        LmException e = failureOf(() -> lm.call(QUESTION));

        assertFailure(e, server, apiKey, LmException.RateLimited.class, true, 429);
        assertThat(((LmException.RateLimited) e).retryAfter()).contains(Duration.ofSeconds(2));
    }

    @Test
    void fractionalRetryAfterIsReadToTheMillisecond() {
        server.faults().next(Fault.rateLimited(Duration.ofMillis(250)));

        LmException e = failureOf(() -> lm.call(QUESTION));

        assertThat(e).isInstanceOf(LmException.RateLimited.class);
        assertThat(((LmException.RateLimited) e).retryAfter()).contains(Duration.ofMillis(250));
    }

    @Test
    void internalServerErrorIsRetryable() {
        server.faults().next(Fault.serverError());
        assertFailure(failureOf(() -> lm.call(QUESTION)), server, apiKey, LmException.ServerError.class, true, 500);
    }

    @Test
    void serviceUnavailableIsRetryable() {
        server.faults().next(Fault.serviceUnavailable());
        assertFailure(failureOf(() -> lm.call(QUESTION)), server, apiKey, LmException.ServerError.class, true, 503);
    }

    @Test
    void overloadedIsRetryable() {
        server.faults().next(Fault.overloaded());
        assertFailure(failureOf(() -> lm.call(QUESTION)), server, apiKey, LmException.ServerError.class, true, 529);
    }

    @Test
    void invalidApiKeyIsANonRetryableAuthenticationFailure() {
        server.faults().next(Fault.unauthorized());
        assertFailure(failureOf(() -> lm.call(QUESTION)), server, apiKey, LmException.Authentication.class, false, 401);
    }

    @Test
    void unknownModelIsReportedAsSuch() {
        server.faults().next(Fault.modelNotFound());
        assertFailure(failureOf(() -> lm.call(QUESTION)), server, apiKey, LmException.UnknownModel.class, false, 404);
    }

    @Test
    void contextLengthExceededIsReportedAsSuch() {
        server.faults().next(Fault.contextLengthExceeded());
        assertFailure(failureOf(() -> lm.call(QUESTION)), server, apiKey,
                LmException.ContextWindowExceeded.class, false, 400);
    }

    @Test
    void connectionResetIsARetryableTransportFailure() {
        server.faults().next(Fault.connectionReset());
        assertFailure(failureOf(() -> lm.call(QUESTION)), server, apiKey, LmException.Transport.class, true, 0);
    }

    @Test
    void bodyCutShortIsARetryableTransportFailure() {
        server.faults().next(Fault.truncatedStream());
        assertFailure(failureOf(() -> lm.call(QUESTION)), server, apiKey, LmException.Transport.class, true, 0);
    }

    @Test
    void malformedJsonIsANonRetryableConfigurationFailure() {
        server.faults().next(Fault.malformedJson());
        assertFailure(failureOf(() -> lm.call(QUESTION)), server, apiKey, LmException.Configuration.class, false, -1);
    }

    @Test
    void slowResponseTimesOutWithinTheConfiguredTimeout() {
        server.faults().next(Fault.slow(timeout().plusSeconds(10)));

        long start = System.nanoTime();
        LmException e = failureOf(() -> lm.call(QUESTION));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertFailure(e, server, apiKey, LmException.Timeout.class, true, -1);
        assertThat(elapsed).as("time until the timeout was reported")
                .isLessThan(timeout().plusSeconds(3))
                .isGreaterThanOrEqualTo(timeout().minusMillis(100));
    }

    @Test
    void recoversOnTheSameClientAfterEachFault() {
        server.faults().next(Fault.connectionReset()).next(Fault.truncatedStream()).next(Fault.serverError());
        for (int i = 0; i < 3; i++) {
            failureOf(() -> lm.call(QUESTION));
        }

        assertThat(lm.call(QUESTION).text()).isEqualTo("echo: What is the capital of France?");
    }

    // ---- streaming -------------------------------------------------------------------------

    @Test
    void streamsChunksInOrderThenTheFullResponseWithUsage() {
        String text = "The capital of France is Paris , a city on the Seine .";
        server.respondWith(request -> Reply.text(text).withUsage(21, 13));

        List<String> pieces = new ArrayList<>();
        LmResponse response;
        try (LmStream stream = streaming().stream(QUESTION)) {
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                assertThat(chunk.choice()).isZero();
                if (!chunk.text().isEmpty()) {
                    pieces.add(chunk.text());
                }
            }
            response = stream.response();
        }

        assertThat(pieces).as("text arrives in several chunks").hasSizeGreaterThan(5);
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(response.text()).isEqualTo(text);
        assertThat(response.usage()).isEqualTo(new Usage(21, 13));
        assertThat(server.lastRequest().streaming()).isTrue();
        if (dialect() == Dialect.OPENAI) {
            assertThat(server.lastRequest().json().path("stream_options").path("include_usage").asBoolean())
                    .as("stream_options.include_usage").isTrue();
        }
    }

    @Test
    void truncatedStreamIsARetryableTransportFailure() {
        server.respondWith(Responder.fixed("one two three four five six seven eight nine ten"));
        server.faults().next(Fault.truncatedStream());
        Lm streaming = streaming();

        LmException e = failureOf(() -> drain(streaming, QUESTION));

        assertFailure(e, server, apiKey, LmException.Transport.class, true, -1);
    }

    @Test
    void connectionResetMidStreamIsARetryableTransportFailure() {
        server.respondWith(Responder.fixed("one two three four five six seven eight nine ten"));
        server.faults().next(Fault.connectionReset());
        Lm streaming = streaming();

        assertFailure(failureOf(() -> drain(streaming, QUESTION)), server, apiKey, LmException.Transport.class,
                true, -1);
    }

    @Test
    void rateLimitOnAStreamingCallIsReportedAsSuch() {
        server.faults().next(Fault.rateLimited(Duration.ofSeconds(1)));
        Lm streaming = streaming();

        assertFailure(failureOf(() -> drain(streaming, QUESTION)), server, apiKey, LmException.RateLimited.class,
                true, 429);
    }

    @Test
    void closingAStreamEarlyClosesItsConnection() throws Exception {
        server.respondWith(Responder.fixed("word ".repeat(400).strip())).streamDelay(Duration.ofMillis(5));

        try (LmStream stream = streaming().stream(QUESTION)) {
            assertThat(stream.next()).isNotNull();
            assertThat(stream.next()).isNotNull();
        }

        RecordedRequest.Outcome outcome = server.lastRequest().outcome().get(5, TimeUnit.SECONDS);
        assertThat(outcome).as("the server saw the client go away before the stream ended")
                .isEqualTo(RecordedRequest.Outcome.CLIENT_DISCONNECTED);
    }

    // ---- concurrency and embeddings ----------------------------------------------------------

    @Test
    void servesTwoHundredConcurrentCallsEachWithItsOwnAnswer() throws Exception {
        server.latency(Duration.ofMillis(100));
        List<Future<String>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                String question = "question " + i;
                answers.add(threads.submit(() -> lm.call(LmRequest.of(List.of(Message.user(question)))).text()));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("echo: question " + i);
            }
        }
        assertThat(server.requestCount()).isEqualTo(200);
        assertThat(server.maxConcurrentRequests()).as("calls ran concurrently").isGreaterThan(1);
    }

    @Test
    void embedsTextsInOrder() {
        dev.dspy4j.lm.Embedder embedder = createEmbedder(server.baseUrl(), apiKey);
        assumeThat(embedder).as("client has an embedder").isNotNull();
        List<String> texts = List.of("alpha", "beta", "gamma", "delta", "epsilon");

        List<float[]> vectors = embedder.embed(texts);

        assertThat(vectors).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).containsExactly(FakeLmServer.fakeEmbedding(texts.get(i), vectors.get(i).length));
        }
        assertThat(server.lastRequest().path()).endsWith("/embeddings");
        assertThat(embedder.toString()).doesNotContain(apiKey);
    }

    @Test
    void embeddingFailuresMapLikeCompletionFailures() {
        dev.dspy4j.lm.Embedder embedder = createEmbedder(server.baseUrl(), apiKey);
        assumeThat(embedder).as("client has an embedder").isNotNull();
        server.faults().next(Fault.rateLimited(Duration.ofSeconds(1)));

        assertFailure(failureOf(() -> embedder.embed(List.of("alpha"))), server, apiKey,
                LmException.RateLimited.class, true, 429);
    }

    private Lm streaming() {
        assumeThat(lm).as("client streams").isInstanceOf(Lm.class);
        return (Lm) lm;
    }
}
