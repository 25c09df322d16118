/**
 * dspy4j's optimizers.
 *
 * <p>The package is open to {@code dev.dspy4j.core}, which reads the predictor fields of the
 * programs the optimizers build (e.g. {@code KnnFewShot}'s and {@code Ensemble}'s). {@code xchart}
 * (the report's chart) is an automatic module named after its jar file: XChart 4.0.3 declares no
 * module name. It draws with {@code java.desktop}'s AWT, headless.
 */
@SuppressWarnings("requires-automatic")
module dev.dspy4j.optimize {
    requires transitive dev.dspy4j.core;
    requires transitive dev.dspy4j.evaluate;
    requires org.slf4j;
    requires java.desktop;
    requires tools.jackson.databind;
    requires xchart;

    exports dev.dspy4j.optimize;

    opens dev.dspy4j.optimize to dev.dspy4j.core;
}
