package dev.dspy4j.mcp;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An initialized MCP client session, and for a stdio server its process, so that a call fails as
 * soon as the process exits instead of waiting out its timeout.
 */
final class ServerConnection {

    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final McpAsyncClient client;
    private final String name;
    private final @Nullable Process process;

    ServerConnection(McpAsyncClient client, String name, @Nullable Process process) {
        this.client = client;
        this.name = name;
        this.process = process;
    }

    String name() {
        return name;
    }

    /**
     * Calls a tool and waits for the result, the server's exit or an interrupt (the caller's
     * deadline, {@link dev.dspy4j.tool.Tool#timeout()}, interrupts it).
     */
    McpSchema.CallToolResult call(McpSchema.CallToolRequest request) {
        if (process != null && !process.isAlive()) {
            throw exited(request.name());
        }
        CompletableFuture<McpSchema.CallToolResult> reply = client.callTool(request).toFuture();
        CompletableFuture<?> done = process == null ? reply : CompletableFuture.anyOf(reply, process.onExit());
        try {
            done.get();
            if (!reply.isDone()) {
                reply.cancel(true);
                throw exited(request.name());
            }
            return reply.join();
        } catch (InterruptedException e) {
            reply.cancel(true);
            Thread.currentThread().interrupt();
            throw new McpException("The call of MCP tool " + request.name() + " was interrupted.", e);
        } catch (ExecutionException | CompletionException e) {
            if (process != null && !process.isAlive()) {
                throw exited(request.name());
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new McpException("MCP tool " + request.name() + " of server " + name + " failed: "
                    + McpToolConversion.describe(cause) + ".", cause);
        }
    }

    private McpException exited(String tool) {
        String code = process != null && !process.isAlive() ? " with code " + process.exitValue() : "";
        return new McpException("MCP server " + name + " exited" + code + " during the call of tool " + tool
                + "; its tools are unavailable until it is restarted (connect again).");
    }

    void close() {
        try {
            client.closeGracefully().block(CLOSE_WAIT);
        } catch (RuntimeException e) {
            log.debug("Closing the MCP session with {} gracefully failed", name, e);
        } finally {
            client.close();
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** The stdio transport's server process; the SDK keeps it private, so this reads its field. */
    static @Nullable Process processOf(StdioClientTransport transport) {
        try {
            java.lang.reflect.Field field = StdioClientTransport.class.getDeclaredField("process");
            if (field.trySetAccessible() && field.get(transport) instanceof Process process) {
                return process;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("Cannot watch the MCP server's process; a dead server is noticed at the call timeout", e);
        }
        return null;
    }
}
