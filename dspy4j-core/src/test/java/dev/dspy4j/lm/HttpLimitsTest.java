package dev.dspy4j.lm;

import static dev.dspy4j.lm.StreamingTest.REQUEST;
import static dev.dspy4j.lm.StreamingTest.send;
import static dev.dspy4j.lm.StreamingTest.startSse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dspy4j.provider.AnthropicLm;
import dev.dspy4j.provider.OpenAiLm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits of the HTTP clients: idle and whole-call timeouts of streams, and the body caps. Each
 * server keeps sending (or stalling) until the client drops the connection, which the server sees
 * as a failed write; the hang guards are generous and only there to stop a broken build.
 */
class HttpLimitsTest {

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();
    static final Duration HANG_GUARD = Duration.ofSeconds(60);
    static final String FIRST_EVENT = "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";

    OpenAiLm.Builder openAi() {
        return OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(OpenAiLmTest.KEY).baseUrl(server.v1());
    }

    AnthropicLm.Builder anthropic() {
        return AnthropicLm.builder().model("anthropic/claude-sonnet-4-5").apiKey(OpenAiLmTest.KEY)
                .baseUrl(server.base());
    }

    /** Writes {@code chunk} until the client drops the connection (then counts down) or 256 MiB are out. */
    static void writeUntilDropped(OutputStream out, byte[] chunk, CountDownLatch dropped) {
        try {
            for (long sent = 0; sent < 256L * 1024 * 1024; sent += chunk.length) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            dropped.countDown();
        }
    }

    static byte[] filler(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }

    static boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(30, TimeUnit.SECONDS);
    }

    @Test
    void aStreamThatStallsEndsWithARetryableIdleTimeoutAndTheConnectionIsDropped() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, FIRST_EVENT);
            // keep-alive comments are not events: they do not hold the stream open
            writeUntilDropped(out, ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8), dropped);
        });
        OpenAiLm lm = openAi().idleTimeout(Duration.ofMillis(300)).build();

        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (LmStream stream = lm.stream(REQUEST)) {
                assertThat(stream.next().text()).isEqualTo("Hi");
                LmException.Timeout e = catchThrowableOfType(LmException.Timeout.class, stream::next);
                assertThat(e.isRetryable()).isTrue();
                assertThat(e.getMessage()).contains("idleTimeout = PT0.3S", "idleTimeout(...)", "req_stream");
            }
        });
        assertThat(await(dropped)).as("the server saw the connection dropped").isTrue();
    }

    @Test
    void closingAStreamFromAnotherThreadWakesAReaderWaitingForAnEvent() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, FIRST_EVENT);
            writeUntilDropped(out, ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8), dropped);
        });
        OpenAiLm lm = openAi().build(); // idle timeout 60 s: only close() can end the wait in time

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (LmStream stream = lm.stream(REQUEST)) {
                assertThat(stream.next().text()).isEqualTo("Hi");
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    stream.close();
                });
                LmException e = catchThrowableOfType(LmException.class, stream::next);
                assertThat(e.getMessage()).contains("was closed while reading");
            }
        });
        assertThat(await(dropped)).as("the server saw the connection dropped").isTrue();
    }

    @Test
    void aStreamThatTricklesEventsEndsAtTheWholeCallDeadline() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            try {
                for (int i = 0; i < 600; i++) {
                    send(out, FIRST_EVENT);
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                dropped.countDown();
            }
        });
        OpenAiLm lm = openAi().timeout(Duration.ofSeconds(1)).build();

        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (LmStream stream = lm.stream(REQUEST)) {
                LmException.Timeout e = catchThrowableOfType(LmException.Timeout.class,
                        () -> StreamingTest.drain(stream));
                assertThat(e.isRetryable()).isTrue();
                assertThat(e.getMessage()).contains("whole-call timeout = PT1S", "timeout(...)");
            }
        });
        assertThat(await(dropped)).as("the server saw the connection dropped").isTrue();
    }

    @Test
    void anAnthropicStreamThatStallsEndsWithAnIdleTimeout() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude\","
                    + "\"usage\":{\"input_tokens\":3}}}\n\n");
            writeUntilDropped(out, ": \n".getBytes(StandardCharsets.UTF_8), dropped);
        });
        AnthropicLm lm = anthropic().idleTimeout(Duration.ofMillis(300)).build();

        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (LmStream stream = lm.stream(REQUEST)) {
                LmException.Timeout e = catchThrowableOfType(LmException.Timeout.class, stream::next);
                assertThat(e.getMessage()).contains("anthropic", "idleTimeout = PT0.3S");
            }
        });
        assertThat(await(dropped)).as("the server saw the connection dropped").isTrue();
    }

    @Test
    void aChunkedBodyOverTheCapFailsWithoutRetryAndDropsTheConnection() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            writeUntilDropped(exchange.getResponseBody(), filler(64 * 1024), dropped);
        });
        OpenAiLm lm = openAi().maxResponseBytes(1024 * 1024).build();

        LmException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> catchThrowableOfType(LmException.class, () -> lm.call(REQUEST)));

        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("maxResponseBytes = 1048576", "maxResponseBytes(...)");
        assertThat(await(dropped)).as("the server saw the connection dropped").isTrue();
    }

    @Test
    void aBodyDeclaredOverTheCapFailsBeforeItIsRead() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 200L * 1024 * 1024);
            writeUntilDropped(exchange.getResponseBody(), filler(64 * 1024), dropped);
        });
        AnthropicLm lm = anthropic().maxResponseBytes(1024 * 1024).build();

        LmException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> catchThrowableOfType(LmException.class, () -> lm.call(REQUEST)));

        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("maxResponseBytes = 1048576");
        assertThat(await(dropped)).as("the server saw the connection dropped").isTrue();
    }

    @Test
    void anErrorBodyOfSeveralMegabytesIsReadOnlyToItsStart() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(500, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("upstream exploded ".getBytes(StandardCharsets.UTF_8));
            writeUntilDropped(out, filler(64 * 1024), dropped);
        });
        OpenAiLm lm = openAi().build();

        LmException.ServerError e = assertTimeoutPreemptively(HANG_GUARD,
                () -> catchThrowableOfType(LmException.ServerError.class, () -> lm.call(REQUEST)));

        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).contains("upstream exploded");
        assertThat(await(dropped)).as("the server saw the connection dropped").isTrue();
    }

    @Test
    void aStreamingErrorBodyOfSeveralMegabytesIsReadOnlyToItsStart() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(503, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("overloaded ".getBytes(StandardCharsets.UTF_8));
            writeUntilDropped(out, filler(64 * 1024), dropped);
        });
        AnthropicLm lm = anthropic().build();

        LmException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> catchThrowableOfType(LmException.class, () -> lm.stream(REQUEST)));

        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).contains("overloaded");
        assertThat(await(dropped)).as("the server saw the connection dropped").isTrue();
    }

    @Test
    void anEndlessStreamLineFailsAtTheCapWithoutRetry() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, FIRST_EVENT + "data: ");
            writeUntilDropped(out, filler(64 * 1024), dropped);
        });
        OpenAiLm lm = openAi().maxResponseBytes(1024 * 1024).build();

        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (LmStream stream = lm.stream(REQUEST)) {
                assertThat(stream.next().text()).isEqualTo("Hi");
                LmException e = catchThrowableOfType(LmException.class, stream::next);
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.getMessage()).contains("maxResponseBytes = 1048576", "req_stream");
            }
        });
        assertThat(await(dropped)).as("the server saw the connection dropped").isTrue();
    }

    @Test
    void theLimitsAreValidatedAsTheyAreSet() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> openAi().idleTimeout(Duration.ZERO))).hasMessageContaining("idleTimeout must be positive");
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> anthropic().maxResponseBytes(0))).hasMessageContaining("maxResponseBytes must be positive");
    }
}
