/**
 * Data flowing through programs: {@link dev.dspy4j.data.Example} (a training or evaluation data
 * point with declared inputs) and {@link dev.dspy4j.data.Prediction} (a module's outputs, with
 * every completion when several were requested). Both are immutable.
 */
@NullMarked
package dev.dspy4j.data;

import org.jspecify.annotations.NullMarked;
