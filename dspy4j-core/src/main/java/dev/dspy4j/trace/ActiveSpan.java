package dev.dspy4j.trace;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started {@link Span}, told to the listeners, to end exactly once with {@link #end} or
 * {@link #fail}. Usually obtained from {@code DspyContext.startSpan}, whose work runs under
 * {@code context.withSpan(span.span())}:
 *
 * <pre>{@code
 * ActiveSpan span = context.startSpan(SpanKind.OPTIMIZER_STEP, "candidate 3", Map.of());
 * try {
 *     result = work(context.withSpan(span.span()));
 *     span.end(Map.of("dspy.score", score));
 * } catch (RuntimeException e) {
 *     span.fail(e);
 *     throw e;
 * }
 * }</pre>
 *
 * <p>Without listeners the span is inert: ending it does nothing. Listener
 * failures are logged and ignored. Thread-safe for one end call.
 */
public final class ActiveSpan {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveSpan.class);

    private static final ActiveSpan NONE = new ActiveSpan(null, List.of());

    private final @Nullable Span span; // null exactly when listeners is empty
    private final List<DspyListener> listeners;

    private ActiveSpan(@Nullable Span span, List<DspyListener> listeners) {
        this.span = span;
        this.listeners = listeners;
    }

    /** A span nobody listens to: ending it does nothing. */
    public static ActiveSpan none() {
        return NONE;
    }

    /**
     * Starts a span and tells the listeners ({@link #none()} if there are none).
     *
     * @param listeners who to tell
     * @param parent the enclosing span, or {@code null}
     * @param kind what the span covers
     * @param name its short name
     * @param attributes what is known at the start
     * @return the started span
     */
    public static ActiveSpan start(List<DspyListener> listeners, @Nullable Span parent, SpanKind kind, String name,
                                   Map<String, Object> attributes) {
        return start(listeners, parent == null ? null : parent.id(), kind, name, attributes);
    }

    /**
     * Starts a span under the span with id {@code parentId} (for code that knows the parent only by
     * id, such as an interceptor reading {@code CallInfo.id()}) and tells the listeners.
     *
     * @param listeners who to tell
     * @param parentId the enclosing span's id, or {@code null} for a root
     * @param kind what the span covers
     * @param name its short name
     * @param attributes what is known at the start
     * @return the started span ({@link #none()} if nobody listens)
     */
    public static ActiveSpan start(List<DspyListener> listeners, @Nullable String parentId, SpanKind kind,
                                   String name, Map<String, Object> attributes) {
        if (listeners.isEmpty()) {
            return NONE;
        }
        Span span = new Span(Span.newId(), parentId, kind, name, System.nanoTime(), attributes);
        for (int i = 0; i < listeners.size(); i++) {
            try {
                listeners.get(i).onStart(span);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed in onStart; ignoring it", listeners.get(i), e);
            }
        }
        return new ActiveSpan(span, listeners);
    }

    /** The span, or {@code null} when nobody listens. */
    public @Nullable Span span() {
        return span;
    }

    /** Whether anyone listens (if not, callers can skip computing end attributes). */
    public boolean recording() {
        return span != null;
    }

    /** Ends the span normally with no end attributes. */
    public void end() {
        end(Map.of());
    }

    /** Ends the span normally. */
    public void end(Map<String, Object> attributes) {
        if (span == null) {
            return;
        }
        for (int i = 0; i < listeners.size(); i++) {
            try {
                listeners.get(i).onEnd(span, attributes);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed in onEnd; ignoring it", listeners.get(i), e);
            }
        }
    }

    /** Ends the span as failed. */
    public void fail(Throwable error) {
        if (span == null) {
            return;
        }
        for (int i = 0; i < listeners.size(); i++) {
            try {
                listeners.get(i).onFailed(span, error);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed in onFailed; ignoring it", listeners.get(i), e);
            }
        }
    }
}
