/**
 * Runs the Python that dspy4j's code-writing modules ({@code ProgramOfThought}, {@code CodeAct})
 * get from the LM, in a GraalPy sandbox with time, memory and output limits: see
 * {@link dev.dspy4j.python.GraalPyInterpreter}.
 */
@NullMarked
package dev.dspy4j.python;

import org.jspecify.annotations.NullMarked;
