/**
 * MCP (Model Context Protocol) for dspy4j, over the official MCP Java SDK: an MCP server's tools
 * as dspy4j tools ({@link dev.dspy4j.mcp.McpTools}), and dspy4j programs as tools of an MCP server
 * ({@link dev.dspy4j.mcp.McpServerExport}).
 *
 * <p>The SDK's types stay out of the API, so only {@code dev.dspy4j.core} is read transitively. The
 * SDK's jars are automatic modules (names from their manifests); as automatic modules cannot
 * require explicit ones, this module requires their validator, {@code com.networknt.schema}, so
 * that it is resolved on the module path.
 */
@SuppressWarnings("requires-automatic")
module dev.dspy4j.mcp {
    requires transitive dev.dspy4j.core;
    requires io.modelcontextprotocol.sdk.mcp.core;
    requires io.modelcontextprotocol.sdk.mcp.json.jackson3;
    requires reactor.core;
    // the SDK's schema validator: an explicit module, which the SDK's automatic modules cannot require
    requires com.networknt.schema;
    requires jdk.httpserver;
    requires static org.jspecify;
    requires org.slf4j;
    requires tools.jackson.databind;

    exports dev.dspy4j.mcp;
}
