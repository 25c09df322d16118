package dev.dspy4j.mcp;

import dev.dspy4j.DspyException;

/**
 * An MCP server could not be reached or used: it did not start or initialize, a transport failed,
 * it died, or a tool call returned an error result. As the cause of a tool's
 * {@link dev.dspy4j.tool.ToolResult.Failure}, its message is what the LM sees.
 */
public final class McpException extends DspyException {

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public McpException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     * @param cause the SDK's or transport's exception
     */
    public McpException(String message, Throwable cause) {
        super(message, cause);
    }
}
