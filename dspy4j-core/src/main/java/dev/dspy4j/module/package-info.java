/**
 * Modules: programs built from predictors. {@link dev.dspy4j.module.Predict} calls the LM through
 * the context's adapter; {@link dev.dspy4j.module.ChainOfThought} adds a reasoning step;
 * {@link dev.dspy4j.module.ReAct} is an agent that calls tools until it can answer;
 * {@link dev.dspy4j.module.MultiChainComparison} compares several attempts,
 * {@link dev.dspy4j.module.BestOfN} and {@link dev.dspy4j.module.Refine} retry a module until a
 * {@link dev.dspy4j.module.RewardFunction} is satisfied, and {@link dev.dspy4j.module.Majority}
 * votes over completions; user modules extend {@link dev.dspy4j.module.Module} and compose them
 * in plain Java.
 * {@link dev.dspy4j.module.TypedModule} gives any module record-typed inputs and outputs.
 *
 * <p>Learned state (instructions, demos, per-predictor LMs, and each
 * {@link dev.dspy4j.module.Retrieve}'s {@code k}) is data apart from structure:
 * {@link dev.dspy4j.module.ProgramState}, keyed by DSPy-compatible parameter paths, saved and loaded
 * in DSPy's JSON format. {@link dev.dspy4j.module.Module#withState} runs a program's structure with
 * other state without copying or changing it, so optimizers can run many candidates at once.
 */
@NullMarked
package dev.dspy4j.module;

import org.jspecify.annotations.NullMarked;
