package dev.dspy4j.examples;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.opentelemetry.OpenTelemetryListener;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A question-answering program whose spans and metrics go to an OpenTelemetry collector over
 * OTLP/HTTP: the request is a user span, and the program, its predictor, the LM call and each
 * attempt appear beneath it with the GenAI attributes (model, provider, tokens). Prints the answer
 * and the trace id to look up.
 *
 * <p>The model comes from {@code DSPY4J_MODEL} and the provider's usual variables, as in
 * {@link Quickstart}; the collector from {@code OTEL_EXPORTER_OTLP_ENDPOINT} (default
 * {@code http://localhost:4318}, e.g. a local Jaeger or the OpenTelemetry Collector). Exit status: 0
 * on success, 2 when no model is configured, 1 when the provider fails or the export does not
 * finish within 10 seconds.
 */
public final class ObservabilityExample {

    static final String QUESTION = "Which planet has the most moons?";
    static final String DEFAULT_ENDPOINT = "http://localhost:4318";

    private ObservabilityExample() {}

    /** Entry point; exits with the status described in the class comment. */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err));
    }

    /** The program: one ChainOfThought inside the application's own module. */
    static final class Answer extends Module {
        final ChainOfThought generate = ChainOfThought.of("question -> answer");

        @Override
        public Prediction forward(Example inputs) {
            return generate.call(inputs.toMap());
        }
    }

    /** The SDK with OTLP/HTTP exporters for spans and metrics, sending to {@code endpoint}. */
    static OpenTelemetrySdk openTelemetry(String endpoint) {
        Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "dspy4j-example")));
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setResource(resource)
                        .addSpanProcessor(BatchSpanProcessor.builder(
                                OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces").build()).build())
                        .build())
                .setMeterProvider(SdkMeterProvider.builder()
                        .setResource(resource)
                        .registerMetricReader(PeriodicMetricReader.create(
                                OtlpHttpMetricExporter.builder().setEndpoint(endpoint + "/v1/metrics").build()))
                        .build())
                .build();
    }

    /**
     * Runs the example.
     *
     * @param environment where the model name, keys, base URLs and the OTLP endpoint are read from
     * @param out where results go
     * @param err where problems go
     * @return the exit status
     */
    public static int run(Map<String, String> environment, PrintStream out, PrintStream err) {
        Lm lm = ExampleLm.fromEnvironment(environment, err).orElse(null);
        if (lm == null) {
            return 2;
        }
        String endpoint = environment.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", DEFAULT_ENDPOINT).strip();
        if (endpoint.endsWith("/")) {
            endpoint = endpoint.substring(0, endpoint.length() - 1);
        }
        OpenTelemetrySdk sdk = openTelemetry(endpoint);
        int status = 0;
        DspyContext context = DspyContext.of(lm).withListener(OpenTelemetryListener.create(sdk));
        Tracer tracer = sdk.getTracer("dspy4j-example");
        Span request = tracer.spanBuilder("answer question").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            Prediction prediction = new Answer().call(Map.of("question", QUESTION), context);
            out.println("question: " + QUESTION);
            out.println("answer:   " + prediction.get("answer"));
            out.println("trace:    " + request.getSpanContext().getTraceId());
        } catch (LmException e) {
            err.println("The LM call failed: " + e.getMessage());
            status = 1;
        } finally {
            request.end();
        }
        // flushes the batched spans and the metrics; bounded, so a missing collector cannot hang us
        CompletableResultCode shutdown = sdk.shutdown().join(10, TimeUnit.SECONDS);
        if (!shutdown.isSuccess()) {
            err.println("Could not export the telemetry to " + endpoint + " within 10 seconds. Start a collector "
                    + "there (e.g. docker run -p 4318:4318 otel/opentelemetry-collector) or set "
                    + "OTEL_EXPORTER_OTLP_ENDPOINT.");
            return 1;
        }
        return status;
    }
}
