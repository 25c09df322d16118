/**
 * OpenTelemetry for dspy4j: {@link dev.dspy4j.opentelemetry.OpenTelemetryListener} turns the
 * paired span events of a {@link dev.dspy4j.trace.DspyListener} into OpenTelemetry spans and
 * metrics, with the GenAI semantic conventions on LM calls.
 *
 * <p>Depends on the OpenTelemetry API only; the application brings the SDK and its exporters (or
 * runs under the OpenTelemetry Java agent). {@code io.opentelemetry.api} is read transitively
 * because the listener's factory methods take an {@code OpenTelemetry}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.dspy4j.opentelemetry {
    requires transitive dev.dspy4j.core;
    requires transitive io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires static org.jspecify;

    exports dev.dspy4j.opentelemetry;
}
