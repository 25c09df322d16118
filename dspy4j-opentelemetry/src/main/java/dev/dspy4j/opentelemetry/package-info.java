/**
 * {@link dev.dspy4j.opentelemetry.OpenTelemetryListener}: a {@link dev.dspy4j.trace.DspyListener}
 * that rebuilds dspy4j's span tree (program, module, predictor, LM call and attempts, adapter
 * parse, tool call, retrieval, evaluation, optimizer step) as OpenTelemetry spans, parented by the
 * events' parent ids so the tree holds across threads, and records the GenAI client metrics
 * (token usage, operation duration) and an LM error counter. Prompt and completion text are
 * captured only on request.
 */
@NullMarked
package dev.dspy4j.opentelemetry;

import org.jspecify.annotations.NullMarked;
