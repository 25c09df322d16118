/**
 * Test kit for dspy4j programs and extensions: {@link dev.dspy4j.testkit.ScriptedLm}, an offline
 * deterministic LM that records requests, helpers to compare prompts with golden cases, and
 * {@link dev.dspy4j.testkit.LmCompatibilityKit}, the contract tests every HTTP LM client extends,
 * run against the fake provider servers of {@link dev.dspy4j.testkit.server}.
 */
package dev.dspy4j.testkit;
