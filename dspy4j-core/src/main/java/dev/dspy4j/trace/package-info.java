/**
 * Hooks into program execution: {@link dev.dspy4j.trace.DspyListener} sees predictor calls, LM
 * calls and adapter fallbacks, on whatever thread does the work. Optimizers build their traces
 * from these events; tracing backends build spans.
 */
@NullMarked
package dev.dspy4j.trace;

import org.jspecify.annotations.NullMarked;
