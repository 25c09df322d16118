/**
 * Test kit for dspy4j programs and extensions: {@link dev.dspy4j.testkit.ScriptedLm}, an offline
 * deterministic LM that records requests, and helpers to compare prompts with golden cases.
 */
package dev.dspy4j.testkit;
