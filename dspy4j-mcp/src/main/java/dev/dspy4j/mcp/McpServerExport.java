package dev.dspy4j.mcp;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.TypedModule;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.InputSchema;
import dev.dspy4j.signature.Signature;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dspy4j programs as the tools of an MCP server, so agents elsewhere can call an optimized
 * program. Each tool's input schema is its signature's input fields (JSON schemas as pydantic gives
 * the same Python types, descriptions kept, fields with a default not required); a call runs
 * the program and answers with the prediction's output fields as JSON, both as structured content
 * and as text. A program that throws answers an {@code isError} result with the exception's
 * message.
 *
 * <pre>{@code
 * McpServerExport export = McpServerExport.builder("qa", "1.0")
 *         .tool("answer", "Answers a question in a few words.", optimizedQa)   // a Predict
 *         .context(DspyContext.of(lm))
 *         .build();
 * export.serveStdio();                                   // blocks until the client closes stdin
 * // or: try (McpServerExport.Running http = export.startHttp(0)) { ... http.endpoint() ... }
 * }</pre>
 *
 * <p>Transports: stdio (the process's stdin and stdout; nothing else may write to stdout), and
 * streamable HTTP in its stateless form (one JSON answer per POST, no SSE, no session) on the
 * JDK's built-in HTTP server, so no servlet container is needed. The HTTP server has no
 * authentication: bind it to loopback (as {@link #startHttp(int)} does) or put it behind a proxy
 * that authenticates.
 *
 * <p>Immutable and thread-safe; one export may serve several transports at once, each call
 * running the program with the {@linkplain Builder#context context} given.
 */
public final class McpServerExport {

    private static final Logger log = LoggerFactory.getLogger(McpServerExport.class);

    private final String name;
    private final String version;
    private final List<Exported> tools;
    private final DspyContext context;
    private final Duration requestTimeout;

    private record Exported(String name, String desc, Module module, Signature signature) {}

    private McpServerExport(Builder builder) {
        this.name = builder.name;
        this.version = builder.version;
        this.tools = List.copyOf(builder.tools);
        this.context = builder.context;
        this.requestTimeout = builder.requestTimeout;
    }

    /**
     * A builder for a server that reports this name and version to clients.
     *
     * @param name the server's name
     * @param version the server's version
     */
    public static Builder builder(String name, String version) {
        return new Builder(name, version);
    }

    /**
     * Serves the tools over this process's stdin and stdout until stdin ends (the client closed
     * it or exited), then stops. Log to stderr or a file while serving: anything else on stdout
     * breaks the protocol.
     *
     * @throws UncheckedIOException never in practice; reading stdin is the SDK's
     */
    public void serveStdio() {
        serveStdio(System.in, System.out);
    }

    /**
     * Serves the tools over the given streams until {@code in} ends, then stops.
     *
     * @param in where the client's messages come from
     * @param out where the answers go
     */
    public void serveStdio(InputStream in, OutputStream out) {
        CountDownLatch ended = new CountDownLatch(1);
        InputStream watched = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return ended(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return ended(super.read(b, off, len));
            }

            private int ended(int n) {
                if (n < 0) {
                    ended.countDown();
                }
                return n;
            }
        };
        StdioServerTransportProvider transport = new StdioServerTransportProvider(McpJson.mapper(), watched, out);
        McpServer.SyncSpecification<?> spec = McpServer.sync(transport)
                .serverInfo(name, version)
                .jsonMapper(McpJson.mapper())
                .jsonSchemaValidator(McpJson.schemaValidator())
                .requestTimeout(requestTimeout)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build());
        for (Exported tool : tools) {
            spec.toolCall(describe(tool), (exchange, request) -> call(tool, request));
        }
        McpSyncServer server = spec.build();
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
        }
    }

    /**
     * Starts serving the tools over streamable HTTP on {@code 127.0.0.1}, endpoint {@code /mcp}.
     *
     * @param port the port, or 0 for any free one (see {@link Running#endpoint()})
     * @return the running server; close it to stop
     * @throws UncheckedIOException if the port cannot be bound
     */
    public Running startHttp(int port) {
        return startHttp(new InetSocketAddress("127.0.0.1", port));
    }

    /**
     * Starts serving the tools over streamable HTTP at this address, endpoint {@code /mcp}. Any
     * address other than loopback exposes the programs to the network without authentication.
     *
     * @param address where to listen
     * @return the running server; close it to stop
     * @throws UncheckedIOException if the address cannot be bound
     */
    public Running startHttp(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        LoopbackHttpTransport transport;
        try {
            transport = new LoopbackHttpTransport(address, "/mcp", requestTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not listen on " + address + " for MCP: " + e.getMessage(), e);
        }
        McpServer.StatelessSyncSpecification spec = McpServer.sync(transport)
                .serverInfo(name, version)
                .jsonMapper(McpJson.mapper())
                .jsonSchemaValidator(McpJson.schemaValidator())
                .requestTimeout(requestTimeout)
                .immediateExecution(true) // already on a virtual thread of the HTTP server
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build());
        for (Exported tool : tools) {
            spec.toolCall(describe(tool), (transportContext, request) -> call(tool, request));
        }
        McpStatelessSyncServer server = spec.build();
        transport.start();
        return new Running(transport, server);
    }

    private static McpSchema.Tool describe(Exported tool) {
        Map<String, Object> input = InputSchema.of(tool.signature());
        return McpSchema.Tool.builder(tool.name(), input).description(tool.desc()).build();
    }

    private McpSchema.CallToolResult call(Exported tool, McpSchema.CallToolRequest request) {
        Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
        try {
            Prediction prediction = tool.module().call(arguments, context);
            Map<String, Object> outputs = new LinkedHashMap<>();
            for (Field field : tool.signature().outputs()) {
                outputs.put(field.name(), prediction.get(field.name()));
            }
            String json = McpJson.json().writeValueAsString(outputs);
            return McpSchema.CallToolResult.builder()
                    .structuredContent(McpJson.mapper(), json)
                    .addTextContent(json)
                    .isError(false)
                    .build();
        } catch (RuntimeException e) {
            log.debug("Exported program {} failed", tool.name(), e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
        }
    }

    /** A running HTTP server. Close it to stop listening; idempotent. */
    public static final class Running implements AutoCloseable {
        private final LoopbackHttpTransport transport;
        private final McpStatelessSyncServer server;

        private Running(LoopbackHttpTransport transport, McpStatelessSyncServer server) {
            this.transport = transport;
            this.server = server;
        }

        /** The MCP endpoint to give clients, e.g. {@code http://127.0.0.1:43125/mcp}. */
        public URI endpoint() {
            return transport.uri();
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                transport.stop();
            }
        }
    }

    /** Configures an export. Each setting is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String version;
        private final List<Exported> tools = new ArrayList<>();
        private DspyContext context = DspyContext.empty();
        private Duration requestTimeout = Duration.ofMinutes(5);

        private Builder(String name, String version) {
            this.name = Objects.requireNonNull(name, "name");
            this.version = Objects.requireNonNull(version, "version");
        }

        /**
         * Exports a {@link Predict} (or a compiled copy of one) under its own signature.
         *
         * @see #tool(String, String, Module, Signature)
         */
        public Builder tool(String name, String desc, Predict predict) {
            return tool(name, desc, predict, Objects.requireNonNull(predict, "predict").signature());
        }

        /**
         * Exports a typed module: its inputs are the input record's components, its result the
         * output record's (by the names {@link Signature#fromRecords} gives them).
         *
         * @see #tool(String, String, Module, Signature)
         */
        public Builder tool(String name, String desc, TypedModule<?, ?> typed) {
            Objects.requireNonNull(typed, "typed");
            return tool(name, desc, typed.module(), Signature.fromRecords(typed.inputType(), typed.outputType()));
        }

        /**
         * Exports a program: its inputs are the signature's input fields, its result the
         * prediction's values of the signature's output fields.
         *
         * @param name the MCP tool's name (letters, digits, {@code _}, {@code -}, {@code .})
         * @param desc what it does, shown to the calling agent's LM
         * @param module the program, e.g. a {@code ChainOfThought} or a compiled module
         * @param signature the program's signature (for a ChainOfThought, the one it was made from)
         * @throws IllegalArgumentException if the name is not a valid MCP tool name or is taken
         */
        public Builder tool(String name, String desc, Module module, Signature signature) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9_.-]{1,128}")) {
                throw new IllegalArgumentException("MCP tool names are 1 to 128 letters, digits, '_', '-' or '.'; was '"
                        + name + "'.");
            }
            if (tools.stream().anyMatch(t -> t.name().equals(name))) {
                throw new IllegalArgumentException("A tool named '" + name + "' is exported already.");
            }
            tools.add(new Exported(name, Objects.requireNonNull(desc, "desc"), Objects.requireNonNull(module, "module"),
                    Objects.requireNonNull(signature, "signature")));
            return this;
        }

        /** The context each call runs in (LM, adapter, cache, listeners). Default: empty. */
        public Builder context(DspyContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * How long the server lets one request run. Default 5 minutes.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * The export.
         *
         * @throws IllegalStateException if no tool was added
         */
        public McpServerExport build() {
            if (tools.isEmpty()) {
                throw new IllegalStateException("Add at least one tool(...) to export.");
            }
            return new McpServerExport(this);
        }
    }
}
