/**
 * dspy4j's test kit: the scripted LM, the LM client compatibility kit and the fake provider
 * servers.
 *
 * <p>{@code dev.dspy4j.testkit} is open because JUnit calls the package-private test methods that
 * subclasses of {@code LmCompatibilityKit} inherit, from wherever JUnit is loaded.
 */
module dev.dspy4j.testkit {
    requires transitive dev.dspy4j.core;
    requires transitive org.junit.jupiter.api;
    requires transitive tools.jackson.databind;
    requires org.assertj.core;
    requires tools.jackson.core;

    exports dev.dspy4j.testkit;
    exports dev.dspy4j.testkit.server;

    opens dev.dspy4j.testkit;
}
