/**
 * dspy4j's optimizers.
 *
 * <p>The package is open to {@code dev.dspy4j.core}, which reads the predictor fields of the
 * programs the optimizers build (e.g. {@code KnnFewShot}'s and {@code Ensemble}'s).
 */
module dev.dspy4j.optimize {
    requires transitive dev.dspy4j.core;
    requires transitive dev.dspy4j.evaluate;
    requires org.slf4j;
    requires tools.jackson.databind;

    exports dev.dspy4j.optimize;

    opens dev.dspy4j.optimize to dev.dspy4j.core;
}
