package dev.dspy4j.mcp;

import dev.dspy4j.tool.Tool;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one MCP server whose tools are dspy4j {@link Tool}s, as DSPy's
 * {@code dspy.Tool.from_mcp_tool}: give them to an agent such as ReAct, or call them directly.
 *
 * <pre>{@code
 * try (McpTools mcp = McpTools.builder().command("java", "-jar", "weather-mcp-server.jar").connect()) {
 *     List<Tool> tools = mcp.tools();
 *     ToolResult forecast = mcp.tool("get_forecast").invoke(Map.of("city", "Oslo"));
 * }
 * }</pre>
 *
 * <p>{@link Builder#connect()} starts the server (stdio) or opens the session (streamable HTTP),
 * initializes it and lists its tools, all within the {@linkplain Builder#initTimeout init
 * timeout}. Each tool's arguments are the {@code properties} of the MCP tool's input schema
 * (with {@code $ref}s to its {@code $defs} inlined); a call checks the arguments against them and
 * against the schema's {@code required} list, then sends {@code tools/call}. The result is the
 * structured content as JSON text if the server gave any, else the text contents joined by line
 * breaks (other contents as JSON). An {@code isError} result, a transport failure or a server
 * that dies mid-call is a {@link dev.dspy4j.tool.ToolResult.Failure} of kind
 * {@code TOOL_ERROR} (an {@link McpException} as the cause); a server that does not answer within
 * the {@linkplain Builder#callTimeout call timeout} gives a {@code TIMEOUT} failure. Either way
 * {@link Tool#invoke} returns, so an agent shows the failure as an observation.
 *
 * <p>Thread-safe: tools may be called from many threads at once. {@link #close()} ends the
 * session and stops a stdio server; tools called afterwards fail.
 */
public final class McpTools implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(McpTools.class);

    private final ServerConnection connection;
    private final String server;
    private final List<Tool> tools;

    private McpTools(ServerConnection connection, List<McpSchema.Tool> listed, Duration callTimeout) {
        this.connection = connection;
        this.server = connection.name();
        List<Tool> converted = new ArrayList<>();
        for (McpSchema.Tool tool : listed) {
            converted.add(McpToolConversion.toTool(connection, tool, callTimeout));
        }
        this.tools = List.copyOf(converted);
    }

    /** A builder; set exactly one of {@link Builder#command} or {@link Builder#url}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's tools as listed at connection, in the server's order. */
    public List<Tool> tools() {
        return tools;
    }

    /**
     * One of the server's tools.
     *
     * @param name the MCP tool's name
     * @return the tool
     * @throws IllegalArgumentException if the server has no tool of that name (the message lists
     *     those it has)
     */
    public Tool tool(String name) {
        Objects.requireNonNull(name, "name");
        for (Tool tool : tools) {
            if (tool.name().equals(name)) {
                return tool;
            }
        }
        throw new IllegalArgumentException("MCP server " + server + " has no tool '" + name + "'; its tools are "
                + tools.stream().map(Tool::name).toList() + ".");
    }

    /** The server's name and version as it reported them at initialization. */
    public String serverInfo() {
        return server;
    }

    /**
     * Ends the session: the stdio server's process is stopped (its stdin closed, then destroyed),
     * the HTTP session deleted. Waits a bounded time; never throws. Idempotent.
     */
    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "McpTools[" + server + ", tools=" + tools.stream().map(Tool::name).toList() + "]";
    }

    /**
     * Configures and opens a connection. Each setting is checked as it is set. Not thread-safe.
     */
    public static final class Builder {
        private @Nullable List<String> command;
        private final Map<String, String> env = new LinkedHashMap<>();
        private @Nullable URI url;
        private Duration initTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);

        private Builder() {}

        /**
         * Runs the server as a subprocess speaking MCP over its stdin and stdout (its stderr is
         * logged at debug level).
         *
         * @param command the program and its arguments, e.g. {@code "java", "-jar", "server.jar"}
         * @throws IllegalArgumentException if empty, or {@link #url} was set
         */
        public Builder command(List<String> command) {
            Objects.requireNonNull(command, "command");
            if (command.isEmpty()) {
                throw new IllegalArgumentException("command must name a program to run");
            }
            if (url != null) {
                throw new IllegalArgumentException("url is set already; a server is reached by a command or a url, not both");
            }
            this.command = List.copyOf(command);
            return this;
        }

        /** As {@link #command(List)}. */
        public Builder command(String program, String... args) {
            List<String> all = new ArrayList<>();
            all.add(Objects.requireNonNull(program, "program"));
            all.addAll(List.of(args));
            return command(all);
        }

        /**
         * An environment variable for the stdio server's process. The process does not inherit
         * this one's environment (so API keys do not leak to it): it gets the variables set here
         * and the MCP SDK's few safe ones ({@code HOME}, {@code LOGNAME}, {@code PATH},
         * {@code SHELL}, {@code TERM}, {@code USER} on Unix).
         */
        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Reaches the server over streamable HTTP at this endpoint, e.g.
         * {@code http://127.0.0.1:8080/mcp}.
         *
         * @throws IllegalArgumentException if not an http(s) URL with a host, or {@link #command}
         *     was set
         */
        public Builder url(URI url) {
            Objects.requireNonNull(url, "url");
            if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                    || url.getHost() == null) {
                throw new IllegalArgumentException("url must be an http or https URL with a host, was " + url);
            }
            if (command != null) {
                throw new IllegalArgumentException("command is set already; a server is reached by a command or a url, not both");
            }
            this.url = url;
            return this;
        }

        /** As {@link #url(URI)}. */
        public Builder url(String url) {
            return url(URI.create(Objects.requireNonNull(url, "url")));
        }

        /**
         * How long starting, initializing and listing tools may take in all. Default 30 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder initTimeout(Duration timeout) {
            this.initTimeout = positive(timeout, "initTimeout");
            return this;
        }

        /**
         * How long one tool call may take before it fails with a {@code TIMEOUT}. Default 60 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        private static Duration positive(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + timeout);
            }
            return timeout;
        }

        /**
         * Connects, initializes and lists the server's tools.
         *
         * @return the open connection; close it
         * @throws IllegalStateException if neither a command nor a url was set
         * @throws McpException if the server cannot be started or reached, does not initialize
         *     within the init timeout, or cannot list its tools (the connection is closed then)
         */
        public McpTools connect() {
            McpClientTransport transport = transport();
            String target = command != null ? String.join(" ", command) : String.valueOf(url);
            // the SDK's request timeout only backs up the tool's own timeout, which is what callers see
            McpAsyncClient client = McpClient.async(transport)
                    .clientInfo(McpSchema.Implementation.builder("dspy4j", "0.1.0").build())
                    .initializationTimeout(initTimeout)
                    .requestTimeout(max(callTimeout.plusSeconds(5), initTimeout))
                    .jsonSchemaValidator(McpJson.schemaValidator())
                    .build();
            long deadline = System.nanoTime() + initTimeout.toNanos();
            try {
                McpSchema.InitializeResult init = client.initialize().block(left(deadline));
                if (init == null) {
                    throw new IllegalStateException("the server gave no initialize result");
                }
                List<McpSchema.Tool> listed = new ArrayList<>();
                String cursor = null;
                do {
                    McpSchema.ListToolsResult page = (cursor == null ? client.listTools() : client.listTools(cursor))
                            .block(left(deadline));
                    if (page == null) {
                        throw new IllegalStateException("the server gave no tools/list result");
                    }
                    listed.addAll(page.tools());
                    cursor = page.nextCursor();
                } while (cursor != null);
                McpSchema.Implementation info = init.serverInfo();
                String server = info == null ? target : info.name() + " " + info.version();
                Process process = transport instanceof StdioClientTransport stdio ? ServerConnection.processOf(stdio) : null;
                return new McpTools(new ServerConnection(client, server, process), listed, callTimeout);
            } catch (RuntimeException e) {
                new ServerConnection(client, target,
                        transport instanceof StdioClientTransport stdio ? ServerConnection.processOf(stdio) : null).close();
                throw new McpException("Could not connect to MCP server " + target + " within " + initTimeout.toSeconds()
                        + " s: " + McpToolConversion.describe(e) + ". Check that it starts and speaks MCP"
                        + (command != null ? " on stdout (logs go to stderr)." : " at this endpoint."), e);
            }
        }

        private static Duration left(long deadline) {
            return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        }

        private static Duration max(Duration a, Duration b) {
            return a.compareTo(b) >= 0 ? a : b;
        }

        private McpClientTransport transport() {
            if (command != null) {
                ServerParameters parameters = ServerParameters.builder(command.get(0))
                        .args(command.subList(1, command.size()))
                        .env(env)
                        .build();
                StdioClientTransport stdio = new CleanEnvironmentStdioTransport(parameters);
                stdio.setStdErrorHandler(line -> log.debug("[{}] {}", command.get(0), line));
                return stdio;
            }
            if (url != null) {
                String base = url.getScheme() + "://" + url.getRawAuthority();
                String endpoint = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/mcp" : url.getRawPath();
                return HttpClientStreamableHttpTransport.builder(base)
                        .endpoint(endpoint)
                        .jsonMapper(McpJson.mapper())
                        .connectTimeout(initTimeout)
                        .build();
            }
            throw new IllegalStateException("Set command(...) for a stdio server or url(...) for an HTTP one before connect().");
        }
    }
}
