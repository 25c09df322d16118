package dev.dspy4j.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work that listeners see start and then end or fail: a module call, a predictor call,
 * an LM call and each of its attempts, an adapter parse, a tool call, an evaluation, an optimizer
 * step. Spans form a tree through {@link #parentId()}, enough for a tracing backend such as
 * OpenTelemetry to rebuild it. Immutable.
 *
 * @param id unique in this JVM
 * @param parentId the enclosing span's id, or {@code null} for a root
 * @param kind what the span covers
 * @param name a short name: the module's class, the predictor's path, the model, ...
 * @param startNanos {@link System#nanoTime()} when it started
 * @param attributes what is known at the start, by OpenTelemetry-style name (e.g.
 *     {@code dspy.predictor.path}, {@code gen_ai.request.model}, {@code dspy.lm.attempt})
 */
public record Span(String id, @Nullable String parentId, SpanKind kind, String name, long startNanos,
                   Map<String, Object> attributes) {

    private static final AtomicLong NEXT_ID = new AtomicLong();
    private static final String PREFIX = Long.toHexString(Double.doubleToLongBits(Math.random()) & 0xffffffL) + "-";

    public Span {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        attributes = attributes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A new span, started now, under {@code parent} (or a root when {@code parent} is {@code null}). */
    public static Span start(@Nullable Span parent, SpanKind kind, String name, Map<String, Object> attributes) {
        return new Span(newId(), parent == null ? null : parent.id(), kind, name, System.nanoTime(), attributes);
    }

    /** A fresh id, unique in this JVM. */
    public static String newId() {
        return PREFIX + Long.toHexString(NEXT_ID.incrementAndGet());
    }

    /** Nanoseconds since the span started. */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }
}
