/**
 * Evaluation and metrics: run a program over a dev set and score it.
 *
 * <p>{@link dev.dspy4j.evaluate.Evaluate} runs a program on every example in parallel on virtual
 * threads, scores each prediction with one or more {@link dev.dspy4j.evaluate.Metric}s and returns an
 * {@link dev.dspy4j.evaluate.EvaluationResult}: DSPy's 0–100 score, per-example results with errors
 * and token usage, the run's cost, and table, CSV and JSON output. A run owns its threads: none is
 * left behind when it returns, fails or is interrupted.
 *
 * <p>A metric is {@code (example, prediction, context) -> Score}: a {@link dev.dspy4j.evaluate.Score}
 * is a number with optional feedback, kept per example; the {@link dev.dspy4j.evaluate.MetricContext}
 * says whether the metric runs for evaluation or for bootstrapping, and only then carries the run's
 * trace ({@link dev.dspy4j.evaluate.TraceStep}s). {@link dev.dspy4j.evaluate.Metrics} holds DSPy's
 * string metrics with its
 * normalization; {@link dev.dspy4j.evaluate.SemanticF1} and
 * {@link dev.dspy4j.evaluate.CompleteAndGrounded} are LM-judge metrics that are modules themselves.
 */
package dev.dspy4j.evaluate;
