package dev.dspy4j.spring;

import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Records LM calls as Micrometer meters, from the {@link SpanKind#LM_CALL} spans:
 * <ul>
 *   <li>{@code dspy4j.lm.calls}: a timer per call, tags {@code model} and {@code outcome}
 *       ({@code success} or {@code error});</li>
 *   <li>{@code dspy4j.lm.tokens}: a counter, tags {@code model} and {@code type}
 *       ({@code input} or {@code output});</li>
 *   <li>{@code dspy4j.lm.errors}: a counter, tags {@code model} and {@code error} (the exception's
 *       simple class name).</li>
 * </ul>
 * Nothing is recorded while no {@link MeterRegistry} bean exists. Thread-safe.
 */
public final class DspyMetricsListener implements DspyListener {

    private final ObjectProvider<MeterRegistry> registry;

    /**
     * A listener recording into the application's registry.
     *
     * @param registry the meter registry, looked up at each event
     */
    public DspyMetricsListener(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void onEnd(Span span, Map<String, Object> attributes) {
        MeterRegistry meters = span.kind() == SpanKind.LM_CALL ? registry.getIfAvailable() : null;
        if (meters == null) {
            return;
        }
        time(meters, span, "success");
        tokens(meters, span.name(), "input", attributes.get("gen_ai.usage.input_tokens"));
        tokens(meters, span.name(), "output", attributes.get("gen_ai.usage.output_tokens"));
    }

    @Override
    public void onFailed(Span span, Throwable error) {
        MeterRegistry meters = span.kind() == SpanKind.LM_CALL ? registry.getIfAvailable() : null;
        if (meters == null) {
            return;
        }
        time(meters, span, "error");
        meters.counter("dspy4j.lm.errors", "model", span.name(), "error", error.getClass().getSimpleName()).increment();
    }

    private static void time(MeterRegistry meters, Span span, String outcome) {
        Timer.builder("dspy4j.lm.calls").description("LM calls, cache hits and retries included")
                .tags("model", span.name(), "outcome", outcome).register(meters)
                .record(span.elapsedNanos(), TimeUnit.NANOSECONDS);
    }

    private static void tokens(MeterRegistry meters, String model, String type, Object value) {
        if (value instanceof Number n && n.longValue() > 0) {
            meters.counter("dspy4j.lm.tokens", "model", model, "type", type).increment(n.doubleValue());
        }
    }
}
