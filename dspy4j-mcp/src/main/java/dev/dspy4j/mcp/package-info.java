/**
 * MCP, the Model Context Protocol, in both directions, over the official MCP Java SDK.
 *
 * <p>{@link dev.dspy4j.mcp.McpTools} connects to an MCP server (a command run over stdio, or a
 * streamable HTTP URL) and turns its tools into {@link dev.dspy4j.tool.Tool}s, as DSPy's
 * {@code dspy.Tool.from_mcp_tool} does; every wait is bounded, and a failing or dying server
 * becomes a tool failure an agent can show the LM. {@link dev.dspy4j.mcp.McpServerExport} goes
 * the other way, beyond DSPy: it serves dspy4j programs as the tools of an MCP server (stdio, or
 * stateless streamable HTTP on the JDK's HTTP server).
 */
@NullMarked
package dev.dspy4j.mcp;

import org.jspecify.annotations.NullMarked;
