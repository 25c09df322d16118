package dev.dspy4j.mcp;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A real MCP server built with the SDK: {@code add}, {@code echo} (with a default), {@code fail}
 * (an error result), {@code halt} (the process dies mid-call) and {@code slow}. Run as a
 * subprocess over stdio ({@code main("tools")}), or in-process over loopback HTTP
 * ({@link #startHttp()}). {@code main("export")} serves a {@code question -> answer} Predict over
 * stdio with {@link McpServerExport}, answering "Paris".
 */
public final class TestServer {

    private record Spec(McpSchema.Tool tool, Function<McpSchema.CallToolRequest, McpSchema.CallToolResult> call) {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("export")) {
            Predict qa = Predict.of("question -> answer");
            McpServerExport.builder("qa", "1.0")
                    .tool("answer", "Answers a question.", qa)
                    .context(DspyContext.of(ScriptedLm.withOutputs(Map.of("answer", "Paris"))))
                    .build()
                    .serveStdio();
            return;
        }
        StdioServerTransportProvider transport = new StdioServerTransportProvider(McpJson.mapper());
        McpServer.SyncSpecification<?> spec = McpServer.sync(transport)
                .serverInfo("test-server", "1.0")
                .jsonMapper(McpJson.mapper())
                .jsonSchemaValidator(McpJson.schemaValidator())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build());
        for (Spec s : specs()) {
            spec.toolCall(s.tool(), (exchange, request) -> s.call().apply(request));
        }
        spec.build();
        new CountDownLatch(1).await(); // until the client stops this process
    }

    /** The same tools on loopback HTTP, in this process. */
    static Http startHttp() {
        try {
            LoopbackHttpTransport transport = new LoopbackHttpTransport(new InetSocketAddress("127.0.0.1", 0), "/mcp",
                    java.time.Duration.ofSeconds(30));
            McpServer.StatelessSyncSpecification spec = McpServer.sync(transport)
                    .serverInfo("test-server", "1.0")
                    .jsonMapper(McpJson.mapper())
                    .jsonSchemaValidator(McpJson.schemaValidator())
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build());
            for (Spec s : specs()) {
                spec.toolCall(s.tool(), (context, request) -> s.call().apply(request));
            }
            McpStatelessSyncServer server = spec.build();
            transport.start();
            return new Http(transport, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Http(LoopbackHttpTransport transport, McpStatelessSyncServer server) implements AutoCloseable {
        URI endpoint() {
            return transport.uri();
        }

        @Override
        public void close() {
            server.close();
            transport.stop();
        }
    }

    private static List<Spec> specs() {
        List<Spec> specs = new ArrayList<>();
        specs.add(new Spec(tool("add", "Add two integers.", props("a", Map.of("type", "integer"), "b", Map.of("type", "integer")),
                List.of("a", "b")),
                request -> text(String.valueOf(number(request, "a") + number(request, "b")))));
        specs.add(new Spec(tool("echo", "Repeat a text.", props("text", Map.of("type", "string", "description", "what to repeat"),
                        "times", Map.of("type", "integer", "default", 1)), List.of("text")),
                request -> {
                    long times = request.arguments().containsKey("times") ? number(request, "times") : 1;
                    return text(String.valueOf(request.arguments().get("text")).repeat((int) times));
                }));
        specs.add(new Spec(tool("fail", "Always fails.", props(), List.of()),
                request -> McpSchema.CallToolResult.builder().addTextContent("the disk is on fire").isError(true).build()));
        specs.add(new Spec(tool("halt", "Kills the server mid-call.", props(), List.of()),
                request -> {
                    Runtime.getRuntime().halt(3);
                    return text("unreachable");
                }));
        specs.add(new Spec(tool("slow", "Sleeps, then answers.", props("millis", Map.of("type", "integer")), List.of("millis")),
                request -> {
                    try {
                        Thread.sleep(number(request, "millis"));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return text("done");
                }));
        specs.add(new Spec(tool("getenv", "An environment variable of the server.", props("name", Map.of("type", "string")),
                List.of("name")),
                request -> text(String.valueOf(System.getenv(String.valueOf(request.arguments().get("name")))))));
        specs.add(new Spec(tool("weather", "Structured weather.", props("city", Map.of("type", "string")), List.of("city")),
                request -> McpSchema.CallToolResult.builder()
                        .structuredContent(props("city", request.arguments().get("city"), "celsius", 21))
                        .addTextContent("ignored when structured content is present")
                        .build()));
        return specs;
    }

    private static McpSchema.Tool tool(String name, String desc, Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return McpSchema.Tool.builder(name, schema).description(desc).build();
    }

    private static Map<String, Object> props(Object... nameThenSchema) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSchema.length; i += 2) {
            out.put((String) nameThenSchema[i], nameThenSchema[i + 1]);
        }
        return out;
    }

    private static long number(McpSchema.CallToolRequest request, String name) {
        return ((Number) request.arguments().get(name)).longValue();
    }

    private static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).build();
    }

    private TestServer() {}
}
