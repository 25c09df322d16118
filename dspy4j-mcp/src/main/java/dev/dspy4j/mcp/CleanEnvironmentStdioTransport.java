package dev.dspy4j.mcp;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;

/**
 * The SDK's stdio transport, but the server's process starts from an empty environment: the SDK
 * then adds only its few safe variables ({@code HOME}, {@code PATH}, {@code USER}...) and the
 * ones the user set, as its {@code ServerParameters} intend and as the Python SDK does. Without
 * this, {@code ProcessBuilder} would hand the server this process's whole environment, API keys
 * included.
 */
final class CleanEnvironmentStdioTransport extends StdioClientTransport {

    CleanEnvironmentStdioTransport(ServerParameters parameters) {
        super(parameters, McpJson.mapper());
    }

    @Override
    protected ProcessBuilder getProcessBuilder() {
        ProcessBuilder builder = new ProcessBuilder();
        builder.environment().clear();
        return builder;
    }
}
