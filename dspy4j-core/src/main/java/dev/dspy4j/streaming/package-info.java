/**
 * Streaming a program call: output-field chunks as the LM writes them, status messages, then the
 * final prediction, as DSPy's {@code streamify} with stream listeners. Start with
 * {@link dev.dspy4j.streaming.Streaming}.
 */
@NullMarked
package dev.dspy4j.streaming;

import org.jspecify.annotations.NullMarked;
