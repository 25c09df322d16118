package dev.dspy4j.adapter;

import dev.dspy4j.DspyException;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an adapter needs besides the request to make its call: the LM to call (already behind the
 * program context's interceptors, so budgets and usage trackers see it), the listeners to report
 * to, and the span the call belongs to. Predictors get one from
 * {@code DspyContext.callContext(lm, path)}; tests and tools can make a plain one with
 * {@link #of(Lm)}. Immutable and thread-safe.
 *
 * @param lm the LM to call
 * @param listeners who hears about fallbacks and parse spans
 * @param span the span the adapter's work belongs to, or {@code null}
 * @param router how another LM (e.g. TwoStep's extraction model) is routed the same way as
 *     {@code lm}: through the same interceptors and listeners
 */
public record CallContext(Lm lm, List<DspyListener> listeners, @Nullable Span span, LmRouter router) {

    private static final Logger LOG = LoggerFactory.getLogger(CallContext.class);

    public CallContext {
        Objects.requireNonNull(lm, "lm");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(router, "router");
    }

    /** A plain context: calls {@code lm} directly, nobody listens. */
    public static CallContext of(Lm lm) {
        return new CallContext(lm, List.of(), null, LmRouter.DIRECT);
    }

    /** This context calling another LM, routed as this one is (interceptors, listeners). */
    public CallContext withLm(Lm other) {
        return new CallContext(router.route(other), listeners, span, router);
    }

    /** Starts a span under this context's span. */
    public ActiveSpan startSpan(SpanKind kind, String name, Map<String, Object> attributes) {
        return ActiveSpan.start(listeners, span, kind, name, attributes);
    }

    /** Tells the listeners that {@code from} failed and the call is retried with {@code to}. */
    public void reportFallback(String from, String to, DspyException cause) {
        for (int i = 0; i < listeners.size(); i++) {
            try {
                listeners.get(i).onAdapterFallback(from, to, cause);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed in onAdapterFallback; ignoring it", listeners.get(i), e);
            }
        }
    }

    /** Routes an LM through a program context's interceptors and listeners. */
    @FunctionalInterface
    public interface LmRouter {
        /** Calls LMs directly. */
        LmRouter DIRECT = lm -> lm;

        /** {@code lm} as the context would call it. */
        Lm route(Lm lm);
    }
}
