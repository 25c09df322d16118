package dev.dspy4j.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** An OpenTelemetry SDK that keeps what it records in memory, for assertions. */
final class Telemetry implements AutoCloseable {

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    List<SpanData> finished() {
        return spans.getFinishedSpanItems();
    }

    /** The one finished span with this name. */
    SpanData span(String name) {
        List<SpanData> found = finished().stream().filter(s -> s.getName().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one span named '" + name + "', found " + found.size() + " in "
                    + finished().stream().map(SpanData::getName).toList());
        }
        return found.get(0);
    }

    List<SpanData> spansOfKind(String dspyKind) {
        return finished().stream()
                .filter(s -> dspyKind.equals(s.getAttributes().get(AttributeKey.stringKey("dspy4j.span.kind"))))
                .toList();
    }

    List<SpanData> childrenOf(SpanData parent) {
        return finished().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())).toList();
    }

    SpanData parentOf(SpanData child) {
        return finished().stream().filter(s -> s.getSpanId().equals(child.getParentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("no finished parent of " + child.getName()));
    }

    MetricData metric(String name) {
        Collection<MetricData> all = metrics.collectAllMetrics();
        return all.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in "
                        + all.stream().map(MetricData::getName).toList()));
    }

    static <T> T attribute(SpanData span, AttributeKey<T> key) {
        return Objects.requireNonNull(span.getAttributes().get(key), () -> key + " missing on " + span.getName());
    }

    @Override
    public void close() {
        sdk.close();
    }
}
