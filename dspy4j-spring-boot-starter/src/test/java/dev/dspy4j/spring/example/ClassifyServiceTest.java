package dev.dspy4j.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Responder;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example service end to end: Spring MVC, the starter, and the loopback fake provider. */
@SpringBootTest(classes = ClassifyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClassifyServiceTest {

    private static final String KEY = "sk-example-do-not-log-7f3a";
    private static final FakeLmServer SERVER = FakeLmServer.start(Dialect.OPENAI)
            .respondWith(Responder.fixed("[[ ## label ## ]]\nnegative\n\n[[ ## completed ## ]]"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int port;

    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("dspy4j.lm.base-url", () -> SERVER.baseUrl().toString());
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> classify(String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/classify"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"" + text + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void theEndpointReturnsTheOptimizedProgramsOutput() throws Exception {
        HttpResponse<String> response = classify("The screen cracked on day one.");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"label\":\"negative\"}");
        assertThat(SERVER.lastRequest().bodyText())
                .contains("Classify the sentiment of the customer message")
                .contains("The screen cracked on day one.");
    }

    @Test
    @Order(2)
    void metricsAreRecordedAfterACall() throws Exception {
        classify("Metrics, please.");

        assertThat(meters.get("dspy4j.lm.calls").tag("model", "openai/gpt-4o-mini").tag("outcome", "success")
                .timer().count()).isPositive();
        assertThat(meters.get("dspy4j.lm.tokens").tag("type", "input").counter().count()).isPositive();
        assertThat(get("/actuator/metrics/dspy4j.lm.calls").body()).contains("COUNT");
    }

    @Test
    @Order(3)
    void healthIsUpWhileTheProviderAnswers() throws Exception {
        HttpResponse<String> response = get("/actuator/health/dspy4j");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("gpt-4o-mini").doesNotContain(KEY);
    }

    @Test
    @Order(4)
    void theApiKeyAppearsInNeitherEnvNorConfigpropsNorTheLog(CapturedOutput output) throws Exception {
        classify("Is the key safe?");

        String env = get("/actuator/env").body();
        String configprops = get("/actuator/configprops").body();

        // application.properties sets show-values=always, so other values are visible
        assertThat(env).contains("dspy4j.lm.api-key").contains("gpt-4o-mini").doesNotContain(KEY);
        assertThat(configprops).contains("apiKey").contains("gpt-4o-mini").doesNotContain(KEY);
        assertThat(output.getAll()).doesNotContain(KEY);
    }

    @Test
    @Order(5)
    void healthIsDownWithTheErrorOnceTheProviderIsGone() throws Exception {
        SERVER.stop();

        HttpResponse<String> response = get("/actuator/health/dspy4j");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"status\":\"DOWN\"").contains("error").doesNotContain(KEY);
    }
}
