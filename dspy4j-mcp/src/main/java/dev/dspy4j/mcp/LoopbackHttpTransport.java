package dev.dspy4j.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * MCP's streamable HTTP transport, stateless flavour (each POST carries one JSON-RPC message and
 * gets one JSON answer; no SSE stream, no session), on the JDK's own HTTP server, so exporting a
 * program needs no servlet container. Mirrors the SDK's {@code HttpServletStatelessServerTransport}.
 * Requests whose {@code Origin} is not a loopback host are refused, as the MCP specification asks
 * of local servers (DNS rebinding).
 */
final class LoopbackHttpTransport implements McpStatelessServerTransport {

    private static final Logger log = LoggerFactory.getLogger(LoopbackHttpTransport.class);
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String endpoint;
    private final Duration requestTimeout;
    private volatile @Nullable McpStatelessServerHandler handler;
    private volatile boolean closing;

    LoopbackHttpTransport(InetSocketAddress address, String endpoint, Duration requestTimeout) throws IOException {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        this.server = HttpServer.create(address, 0);
        server.createContext(endpoint, this::handle);
        server.setExecutor(executor);
    }

    void start() {
        server.start();
    }

    URI uri() {
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + endpoint);
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler mcpHandler) {
        this.handler = mcpHandler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::stop);
    }

    void stop() {
        closing = true;
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(endpoint)) {
                send(exchange, 404, null);
            } else if (!isLocalOrigin(exchange.getRequestHeaders().getFirst("Origin"))) {
                send(exchange, 403, null);
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, null); // no SSE stream and no session to delete: stateless
            } else if (closing || handler == null) {
                send(exchange, 503, null);
            } else {
                post(exchange, handler);
            }
        }
    }

    private void post(HttpExchange exchange, McpStatelessServerHandler handler) throws IOException {
        McpSchema.JSONRPCMessage message;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                send(exchange, 413, null);
                return;
            }
            message = McpSchema.deserializeJsonRpcMessage(McpJson.mapper(), new String(body, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            send(exchange, 400, error(null, McpSchema.ErrorCodes.PARSE_ERROR, "Invalid message format"));
            return;
        }
        try {
            switch (message) {
                case McpSchema.JSONRPCRequest request -> {
                    McpSchema.JSONRPCResponse response = handler.handleRequest(McpTransportContext.EMPTY, request)
                            .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
                            .block(requestTimeout);
                    send(exchange, 200, McpJson.mapper().writeValueAsString(response));
                }
                case McpSchema.JSONRPCNotification notification -> {
                    handler.handleNotification(McpTransportContext.EMPTY, notification)
                            .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
                            .block(requestTimeout);
                    send(exchange, 202, null);
                }
                default -> send(exchange, 400, error(null, McpSchema.ErrorCodes.INVALID_REQUEST,
                        "The server accepts requests and notifications only"));
            }
        } catch (RuntimeException e) {
            log.warn("MCP request failed", e);
            Object id = message instanceof McpSchema.JSONRPCRequest request ? request.id() : null;
            send(exchange, 500, error(id, McpSchema.ErrorCodes.INTERNAL_ERROR, "Failed to handle request: " + e.getMessage()));
        }
    }

    private static String error(@Nullable Object id, int code, String text) throws IOException {
        return McpJson.mapper().writeValueAsString(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, null,
                new McpSchema.JSONRPCResponse.JSONRPCError(code, text, null)));
    }

    private static void send(HttpExchange exchange, int status, @Nullable String json) throws IOException {
        if (json == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static boolean isLocalOrigin(@Nullable String origin) {
        if (origin == null) {
            return true; // not a browser
        }
        try {
            String host = URI.create(origin).getHost();
            return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
                    || host.equals("::1"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
