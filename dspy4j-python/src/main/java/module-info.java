/**
 * A sandboxed Python interpreter for dspy4j's {@code ProgramOfThought} and {@code CodeAct}:
 * {@link dev.dspy4j.python.GraalPyInterpreter}, over GraalPy (GraalVM's Python, run on a stock JDK).
 *
 * <p>GraalVM's polyglot API jar is an explicit module ({@code org.graalvm.polyglot}); GraalPy's
 * language jars are found by the polyglot runtime on the module path or class path alike.
 */
module dev.dspy4j.python {
    requires transitive dev.dspy4j.core;
    requires org.graalvm.polyglot;
    requires jdk.management;
    requires static org.jspecify;
    requires tools.jackson.core;
    requires tools.jackson.databind;

    exports dev.dspy4j.python;
}
