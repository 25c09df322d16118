package dev.dspy4j.lm;

import static dev.dspy4j.lm.OpenAiLmTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dspy4j.provider.OpenAiLm;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpErrorsTest {

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    static final LmRequest REQUEST = LmRequest.of(List.of(Message.user("hi")));

    LmException openAiFails() {
        LmException e = catchThrowableOfType(LmException.class, () -> server.openAi().call(REQUEST));
        assertThat(e).as("the call should fail").isNotNull();
        assertThat(e.getMessage()).doesNotContain(KEY);
        return e;
    }

    LmException anthropicFails() {
        LmException e = catchThrowableOfType(LmException.class, () -> server.anthropic().call(REQUEST));
        assertThat(e).as("the call should fail").isNotNull();
        assertThat(e.getMessage()).doesNotContain(KEY);
        return e;
    }

    static String openAiError(String message, String type, String code) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    @Test
    void rateLimitCarriesRetryAfterSecondsRequestIdAndTheProvidersMessage() {
        server.respond(429, openAiError("Rate limit reached for gpt-4o-mini", "requests", "rate_limit_exceeded"),
                "Retry-After", "7", "x-request-id", "req_abc");

        LmException e = openAiFails();

        assertThat(e).isInstanceOf(LmException.RateLimited.class);
        assertThat(((LmException.RateLimited) e).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.requestId()).contains("req_abc");
        assertThat(e.provider()).contains("openai");
        assertThat(e.getMessage()).contains("openai", "gpt-4o-mini", "HTTP 429", "req_abc",
                "Rate limit reached for gpt-4o-mini", "wait 7 s", "Retry");
    }

    @Test
    void retryAfterMsWinsAndHttpDatesAreUnderstood() {
        server.respond(429, "{}", "retry-after-ms", "1500", "Retry-After", "9");
        assertThat(((LmException.RateLimited) openAiFails()).retryAfter()).contains(Duration.ofMillis(1500));

        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(120));
        server.respond(429, "{}", "Retry-After", date);
        Duration wait = ((LmException.RateLimited) openAiFails()).retryAfter().orElseThrow();
        assertThat(wait).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121));

        server.respond(429, "{}", "Retry-After", "soon");
        assertThat(((LmException.RateLimited) openAiFails()).retryAfter()).isEmpty();
    }

    @Test
    void exhaustedQuotaIsAnAuthenticationProblemNotARateLimit() {
        server.respond(429, openAiError("You exceeded your current quota", "insufficient_quota", "insufficient_quota"));

        LmException e = openAiFails();

        assertThat(e).isInstanceOf(LmException.Authentication.class).hasMessageContaining("billing");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void serverErrorsAndOverloadAreRetryable() {
        server.respond(500, openAiError("The server had an error", "server_error", null));
        assertThat(openAiFails()).isInstanceOf(LmException.ServerError.class)
                .hasMessageContaining("HTTP 500").hasMessageContaining("The server had an error");
        server.respond(503, "<html>Service Unavailable</html>", "Content-Type", "text/html");
        assertThat(openAiFails()).isInstanceOf(LmException.ServerError.class).hasMessageContaining("Service Unavailable");
        server.respond(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                "request-id", "req_ant_1");
        LmException overloaded = anthropicFails();
        assertThat(overloaded).isInstanceOf(LmException.ServerError.class).hasMessageContaining("overloaded")
                .hasMessageContaining("req_ant_1").hasMessageContaining("anthropic");
        assertThat(overloaded.isRetryable()).isTrue();
    }

    @Test
    void http408IsATimeout() {
        server.respond(408, "{}");
        LmException e = openAiFails();
        assertThat(e).isInstanceOf(LmException.Timeout.class);
        assertThat(e.status()).isEqualTo(408);
    }

    @Test
    void credentialsProblemsAreAuthenticationErrors() {
        for (int status : new int[] {401, 403, 402}) {
            server.respond(status, openAiError("Incorrect API key provided", "invalid_request_error", "invalid_api_key"));
            LmException e = openAiFails();
            assertThat(e).as("HTTP " + status).isInstanceOf(LmException.Authentication.class);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.status()).isEqualTo(status);
        }
    }

    @Test
    void unknownModelsAreReportedAsSuch() {
        server.respond(404, openAiError("The model `gpt-9` does not exist", "invalid_request_error", "model_not_found"));
        assertThat(openAiFails()).isInstanceOf(LmException.UnknownModel.class).hasMessageContaining("gpt-4o-mini")
                .hasMessageContaining("does not exist");
        server.respond(400, "{\"error\":\"model 'llama9' not found, try pulling it first\"}");
        assertThat(openAiFails()).isInstanceOf(LmException.UnknownModel.class);
        server.respond(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-x\"}}");
        assertThat(anthropicFails()).isInstanceOf(LmException.UnknownModel.class);
    }

    @Test
    void contextOverflowIsRecognisedForBothProviders() {
        server.respond(400, openAiError("This model's maximum context length is 128000 tokens.",
                "invalid_request_error", "context_length_exceeded"));
        assertThat(openAiFails()).isInstanceOf(LmException.ContextWindowExceeded.class)
                .hasMessageContaining("Shorten");
        server.respond(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}");
        assertThat(anthropicFails()).isInstanceOf(LmException.ContextWindowExceeded.class);
    }

    @Test
    void otherClientErrorsAreBadRequestsWithTheProvidersMessageShortened() {
        String longMessage = "Invalid value for 'temperature'. " + "x".repeat(2000);
        server.respond(400, openAiError(longMessage, "invalid_request_error", null));
        LmException e = openAiFails();
        assertThat(e).isInstanceOf(LmException.BadRequest.class).isNotInstanceOf(LmException.ContextWindowExceeded.class);
        assertThat(e.getMessage()).contains("Invalid value for 'temperature'").hasSizeLessThan(700);
        server.respond(422, "{\"detail\":[{\"msg\":\"field required\"}]}");
        assertThat(openAiFails()).isInstanceOf(LmException.BadRequest.class).hasMessageContaining("field required");
    }

    @Test
    void anErrorObjectInASuccessfulReplyIsMappedByItsCode() {
        server.respond(200, "{\"error\":{\"message\":\"Provider returned error\",\"code\":502}}");
        assertThat(openAiFails()).isInstanceOf(LmException.ServerError.class).hasMessageContaining("HTTP 502");
        server.respond(200, "{\"error\":{\"message\":\"Rate limited upstream\",\"code\":429}}");
        assertThat(openAiFails()).isInstanceOf(LmException.RateLimited.class);
    }

    @Test
    void aMalformedSuccessfulReplyIsAConfigurationErrorWithAnExcerpt() {
        server.respond(200, "<html><body>Welcome to nginx!</body></html>", "Content-Type", "text/html",
                "x-request-id", "req_html");
        LmException e = openAiFails();
        assertThat(e).isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("malformed").hasMessageContaining("Welcome to nginx!")
                .hasMessageContaining("req_html").hasMessageContaining("base URL");
        assertThat(e.isRetryable()).isFalse();

        server.respond(200, "{\"object\":\"list\",\"data\":[]}");
        assertThat(openAiFails()).isInstanceOf(LmException.Configuration.class).hasMessageContaining("no choices");
        server.respond(200, "{\"id\":\"msg\"}");
        assertThat(anthropicFails()).isInstanceOf(LmException.Configuration.class).hasMessageContaining("no content");
    }

    @Test
    void aJsonBodyCutOffMidwayIsARetryableTransportError() {
        server.respond(200, "{\"choices\":[{\"message\":{\"content\":\"Par");
        LmException e = openAiFails();
        assertThat(e).isInstanceOf(LmException.Transport.class).hasMessageContaining("cut off");
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void theKeyNeverAppearsEvenWhenTheProviderEchoesIt() {
        server.respond(401, openAiError("Incorrect API key provided: " + KEY, "invalid_request_error", "invalid_api_key"));
        assertThat(openAiFails().getMessage()).contains("[redacted]");
        server.respond(200, "not json " + KEY);
        LmException malformed = openAiFails();
        assertThat(malformed.getMessage()).contains("[redacted]");
        assertThat(String.valueOf(malformed.getCause())).doesNotContain(KEY);
    }

    @Test
    void aServerSlowerThanTheTimeoutGivesATimeout() {
        server.handler((request, exchange) -> {
            Thread.sleep(3000);
            LoopbackServer.reply(exchange, 200, OpenAiLmTest.OK);
        });
        OpenAiLm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(KEY).baseUrl(server.v1())
                .timeout(Duration.ofMillis(300)).build();

        long start = System.nanoTime();
        LmException e = catchThrowableOfType(LmException.class, () -> lm.call(REQUEST));

        assertThat(e).isInstanceOf(LmException.Timeout.class).hasMessageContaining("PT0.3S");
        assertThat(e.isRetryable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aBodyThatStallsAfterTheHeadersAlsoTimesOut() {
        server.handler((request, exchange) -> {
            exchange.sendResponseHeaders(200, 1000);
            exchange.getResponseBody().write("{\"choices\":".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            Thread.sleep(3000);
        });
        OpenAiLm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(KEY).baseUrl(server.v1())
                .timeout(Duration.ofMillis(300)).build();

        assertThat(catchThrowableOfType(LmException.class, () -> lm.call(REQUEST)))
                .isInstanceOf(LmException.Timeout.class);
    }

    @Test
    void aConnectionResetMidResponseIsARetryableTransportError() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = raw.accept()) {
                    InputStream in = socket.getInputStream();
                    in.read(new byte[8192]); // the request
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                            + "{\"choices\":[{\"message\":").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.setSoLinger(true, 0); // RST instead of FIN
                } catch (Exception e) {
                    // test ends
                }
            });
            OpenAiLm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(KEY)
                    .baseUrl(URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/v1")).build();

            LmException e = catchThrowableOfType(LmException.class, () -> lm.call(REQUEST));

            assertThat(e).isInstanceOf(LmException.Transport.class).hasMessageContaining("connection broke");
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).doesNotContain(KEY);
        }
    }

    @Test
    void aRefusedConnectionIsATransportErrorThatSaysWhatToCheck() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        OpenAiLm lm = OpenAiLm.builder().model("ollama_chat/llama3.2")
                .baseUrl(URI.create("http://127.0.0.1:" + port)).build();

        LmException e = catchThrowableOfType(LmException.class, () -> lm.call(REQUEST));

        assertThat(e).isInstanceOf(LmException.Transport.class).hasMessageContaining("could not connect")
                .hasMessageContaining("ollama");
    }
}
