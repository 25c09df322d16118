package dev.dspy4j.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FakeLmServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeLmServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        http.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer sk-test").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static final String CHAT = """
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"hello there"}],"n":2}""";

    @Test
    void answersChatCompletionsWithEveryChoiceAndUsage() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI).respondWith(r -> Reply.texts("a b", "c"));

        HttpResponse<String> response = post("/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("choices").findValuesAsString("content")).containsExactly("a b", "c");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(4);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(response.headers().firstValue("x-request-id")).contains(server.lastRequest().requestId());
        assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(server.lastRequest().lastUserText()).isEqualTo("hello there");
        assertThat(server.lastRequest().outcome().get(1, TimeUnit.SECONDS)).isEqualTo(RecordedRequest.Outcome.ANSWERED);
    }

    @Test
    void streamsServerSentEventsEndingInDone() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI).respondWith(Responder.fixed("one two three"));

        HttpResponse<String> response = post("/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}");

        List<String> data = response.body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data.getLast()).isEqualTo("data: [DONE]");
        assertThat(data.get(data.size() - 2)).contains("\"usage\":{\"prompt_tokens\"");
        assertThat(response.body()).contains("\"content\":\"one \"", "\"content\":\"two \"", "\"content\":\"three\"");
    }

    @Test
    void streamsAnthropicEvents() throws Exception {
        server = FakeLmServer.start(Dialect.ANTHROPIC);

        HttpResponse<String> response = post("/v1/messages",
                "{\"model\":\"claude\",\"stream\":true,\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.body().lines().filter(l -> l.startsWith("event: ")).distinct().toList()).containsExactly(
                "event: message_start", "event: content_block_start", "event: ping", "event: content_block_delta",
                "event: content_block_stop", "event: message_delta", "event: message_stop");
        assertThat(response.headers().firstValue("request-id")).isPresent();
    }

    @Test
    void scriptedFaultsComeFirstThenNormalAnswers() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI);
        server.faults().next(2, Fault.rateLimited(Duration.ofMillis(1500)));

        HttpResponse<String> first = post("/chat/completions", CHAT);
        HttpResponse<String> second = post("/chat/completions", CHAT);
        HttpResponse<String> third = post("/chat/completions", CHAT);

        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("retry-after")).contains("1.5");
        assertThat(first.headers().firstValue("retry-after-ms")).contains("1500");
        assertThat(JSON.readTree(first.body()).path("error").path("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(server.requests()).extracting(r -> r.fault().isPresent()).containsExactly(true, true, false);
    }

    @Test
    void contentRulesFailMatchingRequestsWhateverTheirOrder() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI);
        server.faults().when(r -> r.lastUserText().contains("bad"), Fault.serverError());
        String bad = CHAT.replace("hello there", "a bad one");

        HttpResponse<String> first = post("/chat/completions", CHAT);
        HttpResponse<String> second = post("/chat/completions", bad);
        HttpResponse<String> third = post("/chat/completions", CHAT);
        HttpResponse<String> fourth = post("/chat/completions", bad);

        assertThat(List.of(first, second, third, fourth)).extracting(HttpResponse::statusCode)
                .containsExactly(200, 500, 200, 500);
        assertThat(server.requests()).extracting(r -> r.fault().isPresent()).containsExactly(false, true, false, true);
        server.faults().clear();
        assertThat(post("/chat/completions", bad).statusCode()).isEqualTo(200);
    }

    @Test
    void resetsTheConnectionMidResponse() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI);
        server.faults().next(Fault.connectionReset());

        assertThatThrownBy(() -> post("/chat/completions", CHAT)).isInstanceOf(IOException.class);
        assertThat(server.lastRequest().outcome().get(1, TimeUnit.SECONDS)).isEqualTo(RecordedRequest.Outcome.CUT_BY_SERVER);
        assertThat(post("/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedBodyIsNotJson() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI);
        server.faults().next(Fault.malformedJson());

        HttpResponse<String> response = post("/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> JSON.readTree(response.body())).hasMessageNotContaining("end-of-input");
    }

    @Test
    void randomFaultsFollowTheSeededRate() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI);
        server.faults().random(0.2, 7, Fault.serverError(), Fault.serviceUnavailable());

        int failed = 0;
        for (int i = 0; i < 200; i++) {
            failed += post("/chat/completions", CHAT).statusCode() >= 500 ? 1 : 0;
        }

        assertThat(failed).isBetween(20, 60);
        assertThat(server.requests().stream().filter(r -> r.fault().isPresent()).count()).isEqualTo(failed);
    }

    @Test
    void rejectsAWrongKeyWhenOneIsRequiredWithoutEchoingIt() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI).requireApiKey("sk-right-key-123456");

        HttpResponse<String> response = post("/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("invalid_api_key").doesNotContain("sk-test");
    }

    @Test
    void embedsDeterministically() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI);

        JsonNode body = JSON.readTree(post("/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b\"]}").body());

        assertThat(body.path("data")).hasSize(2);
        assertThat(body.path("data").get(1).path("embedding").get(0).floatValue())
                .isEqualTo(FakeLmServer.fakeEmbedding("b", 8)[0]);
    }

    @Test
    void unknownPathsAre404() throws Exception {
        server = FakeLmServer.start(Dialect.ANTHROPIC);
        assertThat(post("/v1/complete", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void stopClosesOpenConnections() throws Exception {
        server = FakeLmServer.start(Dialect.OPENAI);
        post("/chat/completions", CHAT);
        assertThat(server.openConnections()).isEqualTo(1);

        server.stop();

        assertThat(server.openConnections()).isZero();
    }
}
