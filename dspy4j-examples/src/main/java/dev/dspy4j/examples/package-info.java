/** Runnable examples of dspy4j, compiled and run in CI. */
package dev.dspy4j.examples;
