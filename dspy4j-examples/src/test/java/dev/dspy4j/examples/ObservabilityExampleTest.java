package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObservabilityExampleTest {

    /** One request the fake collector received. */
    record Received(String method, String path, String contentType, int bytes) {}

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer collector;

    @BeforeEach
    void startCollector() throws IOException {
        // an OTLP/HTTP receiver on loopback: records each export and answers 200 with an empty body
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", this::receive);
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    private void receive(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), body.length));
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private String collectorUrl() {
        return "http://" + collector.getAddress().getHostString() + ":" + collector.getAddress().getPort();
    }

    private int run(Map<String, String> environment) {
        return ObservabilityExample.run(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theProgramsSpansAndMetricsAreExportedOverOtlpHttp() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            // given
            server.respondWith(request -> Reply.text("[[ ## reasoning ## ]]\nSaturn has 274 known moons.\n\n"
                    + "[[ ## answer ## ]]\nSaturn\n\n[[ ## completed ## ]]"));

            // when
            int status = run(Map.of("DSPY4J_MODEL", "openai/gpt-4o-mini", "OPENAI_BASE_URL", server.baseUrl().toString(),
                    "OPENAI_API_KEY", "sk-otel-example", "OTEL_EXPORTER_OTLP_ENDPOINT", collectorUrl()));

            // then
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("answer:   Saturn").containsPattern("trace: +[0-9a-f]{32}");
            assertThat(received).anySatisfy(request -> {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.path()).isEqualTo("/v1/traces");
                assertThat(request.contentType()).isEqualTo("application/x-protobuf");
                assertThat(request.bytes()).isPositive();
            });
            assertThat(received).anySatisfy(request -> {
                assertThat(request.path()).isEqualTo("/v1/metrics");
                assertThat(request.bytes()).isPositive();
            });
        }
    }

    @Test
    void withoutAModelItSaysHowToConfigureOne() {
        int status = run(Map.of());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DSPY4J_MODEL");
        assertThat(received).isEmpty();
    }
}
