/**
 * dspy4j: programming language models instead of prompting them.
 *
 * <p>Declare a {@link dev.dspy4j.signature.Signature}, call it through a
 * {@link dev.dspy4j.module.Predict} or {@link dev.dspy4j.module.ChainOfThought}, compose modules in
 * plain Java, and let an optimizer learn instructions and demos. The learned state is data
 * ({@link dev.dspy4j.module.ProgramState}) that saves to and loads from DSPy's JSON format.
 *
 * <p>Everything a call needs (LM, adapter, listeners) lives in an immutable
 * {@link dev.dspy4j.context.DspyContext}; there is no global mutable configuration.
 *
 * <p>Every package of dspy4j core is {@link org.jspecify.annotations.NullMarked @NullMarked}:
 * parameters, return values and fields are never {@code null} unless their type is annotated
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.dspy4j;

import org.jspecify.annotations.NullMarked;
