/**
 * dspy4j's evaluation: {@code Evaluate}, metrics and the judge modules.
 *
 * <p>The package is open to {@code dev.dspy4j.core}, which reads the predictor fields of the judge
 * modules ({@code SemanticF1}, {@code CompleteAndGrounded}). {@code ascii.table} is an automatic
 * module named after its jar file: the ascii-table library declares no module name.
 */
@SuppressWarnings("requires-automatic")
module dev.dspy4j.evaluate {
    requires transitive dev.dspy4j.core;
    requires ascii.table;
    requires me.tongfei.progressbar;
    requires tools.jackson.databind;

    exports dev.dspy4j.evaluate;

    opens dev.dspy4j.evaluate to dev.dspy4j.core;
}
