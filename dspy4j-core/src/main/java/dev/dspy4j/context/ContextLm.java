package dev.dspy4j.context;

import dev.dspy4j.lm.CallInfo;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmChains;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An LM as a predictor under a context calls it: the context's interceptors, then the LM's own,
 * then (with listeners) a link that reports each attempt; the whole call is an {@code LM_CALL}
 * span and an {@link DspyListener#onLmCall} event. Streams take the same path.
 */
final class ContextLm implements Lm {

    private static final Logger LOG = LoggerFactory.getLogger(ContextLm.class);

    private final Lm base;
    private final Lm chained;
    private final DspyContext context;
    private final String predictorPath;

    ContextLm(Lm base, DspyContext context, String predictorPath) {
        this.base = base;
        this.context = context;
        this.predictorPath = predictorPath;
        List<LmInterceptor> inner = context.listeners().isEmpty() ? List.of() : List.of(new AttemptSpans(context));
        this.chained = LmChains.combine(context.interceptors(), base, inner);
    }

    @Override
    public LmResponse call(LmRequest request) {
        ActiveSpan span = context.startSpan(SpanKind.LM_CALL, base.model(), startAttributes(request));
        CallInfo call = callInfo(span);
        LmResponse response;
        try {
            response = LmChains.call(chained, request, call);
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
        finish(span, request, response);
        return response;
    }

    @Override
    public LmStream stream(LmRequest request) {
        ActiveSpan span = context.startSpan(SpanKind.LM_CALL, base.model(), startAttributes(request));
        LmStream stream;
        try {
            stream = LmChains.stream(chained, request, callInfo(span));
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
        return LmStream.observed(stream, response -> finish(span, request, response), span::fail);
    }

    private CallInfo callInfo(ActiveSpan span) {
        String parent = context.span() == null ? "" : context.span().id();
        Span started = span.span();
        String id = started != null ? started.id() : Span.newId();
        return new CallInfo(id, parent, predictorPath, 1, Map.of());
    }

    private Map<String, Object> startAttributes(LmRequest request) {
        if (context.listeners().isEmpty()) {
            return Map.of();
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("gen_ai.request.model", base.model());
        attributes.put("dspy.predictor.path", predictorPath);
        attributes.put("dspy.lm.messages", request.messages().size());
        return attributes;
    }

    private void finish(ActiveSpan span, LmRequest request, LmResponse response) {
        List<DspyListener> listeners = context.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            try {
                listeners.get(i).onLmCall(base, request, response);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed in onLmCall; ignoring it", listeners.get(i), e);
            }
        }
        if (span.recording()) {
            span.end(endAttributes(response));
        }
    }

    static Map<String, Object> endAttributes(LmResponse response) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("gen_ai.usage.input_tokens", response.usage().promptTokens());
        attributes.put("gen_ai.usage.output_tokens", response.usage().completionTokens());
        attributes.put("dspy.cache_hit", response.cacheHit());
        if (response.model() != null) {
            attributes.put("gen_ai.response.model", response.model());
        }
        return attributes;
    }

    @Override
    public String model() {
        return base.model();
    }

    @Override
    public LmCapabilities capabilities() {
        return base.capabilities();
    }

    @Override
    public Map<String, Object> savedState() {
        return base.savedState();
    }

    @Override
    public String toString() {
        return base.toString();
    }

    /** Reports each attempt at the provider as an {@code LM_ATTEMPT} span. */
    private static final class AttemptSpans implements LmInterceptor {
        private final DspyContext context;

        AttemptSpans(DspyContext context) {
            this.context = context;
        }

        @Override
        public LmResponse intercept(LmRequest request, Chain chain) {
            ActiveSpan span = attemptSpan(chain);
            try {
                LmResponse response = chain.proceed(request);
                span.end(endAttributes(response));
                return response;
            } catch (RuntimeException | Error e) {
                span.fail(e);
                throw e;
            }
        }

        @Override
        public LmStream interceptStream(LmRequest request, Chain chain) {
            ActiveSpan span = attemptSpan(chain);
            try {
                return LmStream.observed(chain.proceedStream(request), response -> span.end(endAttributes(response)),
                        span::fail);
            } catch (RuntimeException | Error e) {
                span.fail(e);
                throw e;
            }
        }

        private ActiveSpan attemptSpan(Chain chain) {
            CallInfo call = chain.call();   // its id is the id of this call's LM_CALL span
            return ActiveSpan.start(context.listeners(), call.id(), SpanKind.LM_ATTEMPT, chain.lm().model(),
                    Map.of("dspy.lm.attempt", call.attempt()));
        }
    }
}
