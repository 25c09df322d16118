/**
 * Portable prompt export: the exact requests a compiled program's predictors send, written out so
 * that another stack (another language, another framework) can send the same optimized prompts
 * without dspy4j.
 *
 * <p>{@link dev.dspy4j.export.PromptExport#of} walks a program's predictors and records, for
 * each, the fixed messages (the system message and the demos as user/assistant turns), the final
 * user message as a template with one {@code {{field_name}}} placeholder per input field, and the
 * LM options the predictor and its adapter add (temperature, {@code response_format}, ...).
 * {@link dev.dspy4j.export.PromptExport#toJson()} writes the versioned JSON format
 * {@code dspy4j.prompt-export} (see {@code docs/export.md}), {@link
 * dev.dspy4j.export.PromptExport#toMarkdown()} a human-readable page, and {@link
 * dev.dspy4j.export.ExportedPredictor#render} fills a template exactly as {@code Predict} would.
 */
@NullMarked
package dev.dspy4j.export;

import org.jspecify.annotations.NullMarked;
