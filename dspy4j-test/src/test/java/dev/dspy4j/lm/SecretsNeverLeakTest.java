package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.DiskCache;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.provider.AnthropicLm;
import dev.dspy4j.provider.OpenAiEmbedder;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Fault;
import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.Reply;
import dev.dspy4j.trace.LmHistory;
import dev.dspy4j.usage.UsageTracker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary API key goes through everything a user would do with an LM (successful calls, every
 * provider failure, retries, streaming, embeddings, history, usage reports, the disk cache, saved
 * programs) and must show up nowhere: not in exceptions (messages, {@code toString()}, stack traces
 * with causes and suppressed failures), {@code toString()} of any part, history or usage output,
 * cache files, saved programs, request bodies, or the DEBUG log that this module's tests write
 * (slf4j-simple, configured by the surefire settings in the pom).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsNeverLeakTest {

    private static final String CANARY = "sk-canary-" + UUID.randomUUID().toString().replace("-", "");
    private static final String SIGNATURE = "question -> answer";
    private static final String ANSWER = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]";
    // long enough for a first call on a loaded machine; the slow-reply fault waits it out three times
    private static final Duration TIMEOUT = Duration.ofMillis(1_500);

    @TempDir
    Path dir;

    private FakeLmServer server;
    private final List<String> outputs = new ArrayList<>();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    @Order(1)
    void openAiKeyAppearsNowhere() throws IOException {
        exercise(Dialect.OPENAI, url -> OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(CANARY).baseUrl(url)
                .timeout(TIMEOUT).environment(Map.of()).build());
    }

    @Test
    @Order(2)
    void anthropicKeyAppearsNowhere() throws IOException {
        exercise(Dialect.ANTHROPIC, url -> AnthropicLm.builder().model("anthropic/claude-3-5-haiku-latest")
                .apiKey(CANARY).baseUrl(url).timeout(TIMEOUT).environment(Map.of()).build());
    }

    @Test
    @Order(3)
    void keyFromTheEnvironmentAppearsNowhere() throws IOException {
        exercise(Dialect.OPENAI, url -> OpenAiLm.builder().model("openai/gpt-4o-mini").timeout(TIMEOUT)
                .environment(Map.of("OPENAI_API_KEY", CANARY, "OPENAI_BASE_URL", url.toString())).build());
    }

    @Test
    @Order(4)
    void embeddingKeyAppearsNowhere() {
        server = FakeLmServer.start(Dialect.OPENAI).requireApiKey(CANARY);
        Embedder embedder = OpenAiEmbedder.builder().model("openai/text-embedding-3-small").apiKey(CANARY)
                .baseUrl(server.baseUrl()).batchSize(2).environment(Map.of()).build();

        outputs.add(embedder.toString());
        outputs.add(String.valueOf(embedder.embed(List.of("a", "b", "c")).size()));
        for (Fault fault : List.of(Fault.unauthorized(), Fault.rateLimited(Duration.ofSeconds(1)), Fault.serverError(),
                Fault.connectionReset(), Fault.malformedJson(), Fault.modelNotFound())) {
            server.faults().next(fault);
            outputs.add(failure(() -> embedder.embed(List.of("x"))));
        }

        assertSentOnlyAsCredential();
        assertNoCanary(outputs);
    }

    /** Runs last: by then this test class (and any test of the module before it) has logged at DEBUG. */
    @Test
    @Order(5)
    void debugLogContainsNoKey() throws IOException {
        String logFile = System.getProperty("org.slf4j.simpleLogger.logFile");
        assumeThat(logFile).as("tests run with the module's surefire logging settings").isNotNull();
        String log = Files.readString(Path.of(logFile), StandardCharsets.UTF_8);

        assertThat(log).as("the DEBUG log captured this test's LM calls").contains("DEBUG dev.dspy4j.provider.http");
        assertThat(log).as("no canary key of any test in the DEBUG log").doesNotContain("sk-canary-");
    }

    private void exercise(Dialect dialect, Function<URI, Lm> factory) throws IOException {
        server = FakeLmServer.start(dialect).requireApiKey(CANARY).respondWith(request -> Reply.text(ANSWER));
        Lm client = factory.apply(server.baseUrl());
        LmHistory history = LmHistory.create();
        UsageTracker usage = UsageTracker.create();
        Path cacheDir = dir.resolve("cache");
        Lm lm = client.withInterceptors(usage,
                Retry.builder().maxRetries(2).initialDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(5)).build(),
                new CacheInterceptor(DiskCache.at(cacheDir)), ConcurrencyLimit.defaults(), history);
        Module program = Predict.of(SIGNATURE).withLm(lm);
        DspyContext context = DspyContext.of(lm);

        for (int i = 0; i < 3; i++) {
            outputs.add(program.call(Map.of("question", "Capital of France, take " + i + "?"), context).toString());
        }
        outputs.add(program.call(Map.of("question", "Capital of France, take 0?"), context).toString()); // cache hit
        int call = 0;
        for (Fault fault : List.of(Fault.rateLimited(Duration.ofMillis(5)), Fault.serverError(),
                Fault.serviceUnavailable(), Fault.overloaded(), Fault.connectionReset(), Fault.truncatedStream(),
                Fault.malformedJson(), Fault.unauthorized(), Fault.modelNotFound(), Fault.contextLengthExceeded(),
                Fault.slow(TIMEOUT.plusSeconds(2)))) {
            server.faults().next(3, fault);
            String question = "Failing question " + call++ + "?";
            outputs.add(failure(() -> program.call(Map.of("question", question), context)));
            server.faults().clear();
        }
        streamAndFail(client);

        outputs.add(client.toString());
        outputs.add(lm.toString());
        outputs.add(String.valueOf(client.savedState()));
        outputs.add(program.toString());
        outputs.add(history.inspectHistory(50));
        outputs.add(history.calls().toString());
        outputs.add(usage.snapshot().toString());
        outputs.add(usage.toString());
        Path saved = dir.resolve("program.json");
        program.save(saved);
        outputs.add(Files.readString(saved));
        outputs.addAll(filesUnder(cacheDir));

        assertThat(history.size()).as("history recorded the calls").isPositive();
        assertThat(filesUnder(cacheDir)).as("the disk cache holds entries").isNotEmpty();
        assertSentOnlyAsCredential();
        assertNoCanary(outputs);
    }

    private void streamAndFail(Lm client) {
        LmRequest request = LmRequest.of(List.of(Message.user("Stream please")));
        StringBuilder text = new StringBuilder();
        try (LmStream stream = client.stream(request)) {
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                text.append(chunk.text());
            }
            outputs.add(stream.response().toString());
            outputs.add(stream.toString());
        }
        outputs.add(text.toString());
        for (Fault fault : List.of(Fault.truncatedStream(), Fault.connectionReset(), Fault.unauthorized(),
                Fault.rateLimited(Duration.ofSeconds(1)), Fault.malformedJson())) {
            server.faults().next(fault);
            outputs.add(failure(() -> {
                try (LmStream stream = client.stream(request)) {
                    while (stream.next() != null) {
                        // drain
                    }
                    return stream.response();
                }
            }));
        }
    }

    /** The key went out, but only in the credential header, never in a body. */
    private void assertSentOnlyAsCredential() {
        List<RecordedRequest> requests = server.requests();
        assertThat(requests).isNotEmpty();
        RecordedRequest first = requests.get(0);
        assertThat(first.header("authorization") != null ? first.header("authorization") : first.header("x-api-key"))
                .as("the client sends the canary key").contains(CANARY);
        assertThat(requests).allSatisfy(r -> assertThat(r.bodyText()).doesNotContain(CANARY));
    }

    private static void assertNoCanary(List<String> outputs) {
        assertThat(outputs).isNotEmpty();
        for (String output : outputs) {
            assertThat(output).doesNotContain(CANARY);
        }
    }

    private static String failure(java.util.concurrent.Callable<?> call) {
        try {
            Object result = call.call();
            throw new AssertionError("expected a failure but got " + result);
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace)); // causes and suppressed failures included
            return e + "\n" + trace;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        List<String> contents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.add(file + "\n" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return contents;
    }
}
