/**
 * Tools an LM may call: a {@link dev.dspy4j.tool.Tool} is a named function with a description
 * and a JSON schema per argument, built from an annotated Java method
 * ({@link dev.dspy4j.tool.ToolFunction}), from a function of a record, or from a name, a
 * description and a JSON schema (what tool servers such as MCP publish).
 *
 * <p>A tool is shown to the LM exactly as DSPy shows {@code dspy.Tool} (as an input field of type
 * {@code Tool} or {@code list[Tool]}, or natively through {@link dev.dspy4j.tool.Tool#toSpec()}),
 * and called with the arguments the LM chose: each argument is checked against its schema and
 * converted to its Java type, and every failure (a bad argument, an exception, a timeout) can be
 * had as a {@link dev.dspy4j.tool.ToolResult.Failure} value instead of an exception, so an agent
 * loop can show it to the LM as an observation.
 *
 * <p>The calls an LM chooses are a {@link dev.dspy4j.tool.ToolCalls} value (DSPy's
 * {@code dspy.ToolCalls}): the type of an output field, filled from the LM's text or, with native
 * function calling, from the provider's tool calls; with their results attached, a value in a
 * {@code History} turn.
 */
@NullMarked
package dev.dspy4j.tool;

import org.jspecify.annotations.NullMarked;
