package dev.dspy4j.lm;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dspy4j.provider.AnthropicLm;
import dev.dspy4j.provider.OpenAiLm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server on 127.0.0.1 for the clients' tests: records requests, answers as scripted.
 *
 * <p>As a JUnit extension, one server serves a whole test class: {@code @RegisterExtension static
 * final LoopbackServer server = LoopbackServer.start();} resets it before each test and closes it
 * after the last.
 */
final class LoopbackServer implements AutoCloseable, BeforeEachCallback, AfterAllCallback {

    /** A recorded request. */
    record Recorded(String method, String path, String query, Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** Answers one exchange. */
    @FunctionalInterface
    interface Handler {
        void handle(Recorded request, HttpExchange exchange) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Handler handler = (request, exchange) -> reply(exchange, 500, "{\"error\":\"no handler\"}");

    private LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Recorded recorded = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
                requests.add(recorded);
                handler.handle(recorded, exchange);
            } catch (IOException e) {
                // the client went away
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        server.start();
    }

    static LoopbackServer start() {
        try {
            return new LoopbackServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The OpenAI-style root, {@code http://127.0.0.1:port/v1}. */
    URI v1() {
        return URI.create(base() + "/v1");
    }

    /** An {@link OpenAiLm} for {@code openai/gpt-4o-mini} against this server. */
    OpenAiLm openAi() {
        return openAi("openai/gpt-4o-mini");
    }

    /** An {@link OpenAiLm} for the model against this server's {@link #v1()}. */
    OpenAiLm openAi(String model) {
        return OpenAiLm.builder().model(model).apiKey(OpenAiLmTest.KEY).baseUrl(v1()).build();
    }

    /** An {@link AnthropicLm} for {@code anthropic/claude-sonnet-4-5} against this server. */
    AnthropicLm anthropic() {
        return AnthropicLm.builder().model("anthropic/claude-sonnet-4-5").apiKey(OpenAiLmTest.KEY).baseUrl(base())
                .build();
    }

    void handler(Handler value) {
        handler = value;
    }

    /** Every request gets this status, JSON body and headers (name, value, name, value...). */
    void respond(int status, String body, String... headers) {
        handler = (request, exchange) -> {
            for (int i = 0; i < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            reply(exchange, status, body);
        };
    }

    /** Forgets recorded requests and the handler (between tests sharing one server). */
    void reset() {
        requests.clear();
        handler = (request, exchange) -> reply(exchange, 500, "{\"error\":\"no handler\"}");
    }

    List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    Recorded last() {
        List<Recorded> all = requests();
        return all.get(all.size() - 1);
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (exchange.getResponseHeaders().getFirst("Content-Type") == null) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
