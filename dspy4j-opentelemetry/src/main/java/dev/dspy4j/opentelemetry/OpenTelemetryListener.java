package dev.dspy4j.opentelemetry;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.opentelemetry.LmMetrics.LmLabels;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DspyListener} that turns dspy4j's paired span events into OpenTelemetry spans and
 * metrics. Add it to the context a program runs with:
 *
 * <pre>{@code
 * DspyListener otel = OpenTelemetryListener.create(openTelemetry);   // e.g. GlobalOpenTelemetry.get()
 * Prediction answer = program.call(inputs, DspyContext.of(lm).withListener(otel));
 * }</pre>
 *
 * <p><b>The tree.</b> Each dspy4j {@link Span} becomes one OpenTelemetry span, parented by the
 * span whose id the event names as its parent, so the tree (program, module, predictor, LM call,
 * LM attempt; adapter parse under the predictor; tool calls, retrievals, evaluations and optimizer
 * steps) stays whole when the work moves to other threads, such as a {@code Runner}'s virtual
 * threads. A span without a dspy4j parent takes the OpenTelemetry context current on the thread
 * that starts it, so a program called inside a user's span appears under it; so does a
 * {@code batch}, {@code Parallel} run or {@code callAsync} called from user code, whose
 * {@code RUN} span starts on the caller's thread and holds every item.
 *
 * <p><b>LM calls</b> follow the GenAI semantic conventions: an {@code LM_CALL} span is a
 * {@code CLIENT} span named {@code chat {model}} with {@code gen_ai.operation.name},
 * {@code gen_ai.provider.name} (the model's prefix, e.g. {@code openai}), {@code gen_ai.request.model}
 * (without the prefix), the request's temperature, max tokens, seed, stop sequences and choice
 * count, {@code gen_ai.response.model}, {@code gen_ai.usage.input_tokens} and
 * {@code output_tokens}, and {@code gen_ai.response.finish_reasons}; each attempt at the provider
 * inside it (a retry is a second attempt) is an {@code INTERNAL} child named
 * {@code chat {model} attempt {n}}. dspy4j's own attributes are renamed from {@code dspy.*} to
 * {@code dspy4j.*} (e.g. {@code dspy4j.predictor.path}, {@code dspy4j.lm.attempt},
 * {@code dspy4j.cache_hit}, {@code dspy4j.adapter}); every span has {@code dspy4j.span.kind}.
 *
 * <p><b>Failures</b> set the span's status to {@code ERROR} with the exception's message,
 * {@code error.type} to its class name, and add an {@code exception} event with the type and
 * message (no stack trace).
 *
 * <p><b>Metrics</b>: {@code gen_ai.client.token.usage} (by {@code gen_ai.token.type}, cache hits
 * excluded), {@code gen_ai.client.operation.duration} in seconds, and {@code dspy4j.lm.errors},
 * each by operation, provider and model.
 *
 * <p><b>Content</b> is off by default. With {@link Builder#captureContent(boolean)
 * captureContent(true)}, LM call spans carry {@code gen_ai.input.messages} and
 * {@code gen_ai.output.messages} (the conventions' JSON; each text cut to
 * {@link Builder#contentLimit(int)} characters) and retrieval spans their query. Nothing from an
 * LM's configuration (base URL, API key) is ever read.
 *
 * <p>Thread-safe: one listener serves any number of concurrent programs.
 */
public final class OpenTelemetryListener implements DspyListener {

    /** The instrumentation scope name of the tracer and meter. */
    public static final String INSTRUMENTATION_NAME = "dev.dspy4j";

    /** The default {@link Builder#contentLimit(int)}: 16,384 characters per captured text. */
    public static final int DEFAULT_CONTENT_LIMIT = 16_384;

    private static final AttributeKey<String> SPAN_KIND = LmMetrics.SPAN_KIND;
    private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    private static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    private static final String RETRIEVAL_QUERY = "dspy.retrieval.query";

    private final Tracer tracer;
    private final LmMetrics metrics;
    private final @Nullable ContentCapture content;
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    // onLmCall comes on the thread that then ends the LM_CALL span: the exchange waits here for it
    private final ThreadLocal<@Nullable Exchange> exchanges = new ThreadLocal<>();

    private OpenTelemetryListener(Builder builder) {
        this.tracer = builder.openTelemetry.getTracer(INSTRUMENTATION_NAME);
        this.metrics = new LmMetrics(builder.openTelemetry.getMeter(INSTRUMENTATION_NAME));
        this.content = builder.captureContent ? new ContentCapture(builder.contentLimit) : null;
    }

    /**
     * A listener with the defaults: spans and metrics, no prompt or completion text.
     *
     * @param openTelemetry where spans and metrics go (the SDK, or {@code GlobalOpenTelemetry.get()})
     * @return the listener
     * @throws NullPointerException if {@code openTelemetry} is {@code null}
     */
    public static OpenTelemetryListener create(OpenTelemetry openTelemetry) {
        return builder(openTelemetry).build();
    }

    /**
     * A builder, to opt into content capture.
     *
     * @param openTelemetry where spans and metrics go
     * @return a builder with the defaults
     * @throws NullPointerException if {@code openTelemetry} is {@code null}
     */
    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    @Override
    public void onStart(Span span) {
        Open parent = span.parentId() == null ? null : open.get(span.parentId());
        Context parentContext = parent != null ? parent.context() : Context.current();
        LmLabels labels = null;
        String name = span.name();
        io.opentelemetry.api.trace.SpanKind kind = io.opentelemetry.api.trace.SpanKind.INTERNAL;
        if (span.kind() == SpanKind.LM_CALL || span.kind() == SpanKind.LM_ATTEMPT) {
            labels = new LmLabels(GenAi.provider(span.name()), GenAi.requestModel(span.name()));
            name = GenAi.CHAT + " " + labels.requestModel();
            if (span.kind() == SpanKind.LM_CALL) {
                kind = io.opentelemetry.api.trace.SpanKind.CLIENT;
            } else {
                name += " attempt " + span.attributes().getOrDefault("dspy.lm.attempt", 1);
            }
        } else if (span.kind() == SpanKind.TOOL_CALL) {
            name = GenAi.EXECUTE_TOOL + " " + span.name();
        }
        SpanBuilder builder = tracer.spanBuilder(name).setParent(parentContext).setSpanKind(kind)
                .setAttribute(SPAN_KIND, span.kind().name().toLowerCase(Locale.ROOT));
        span.attributes().forEach((key, value) -> copy(key, value, builder::setAttribute));
        if (labels != null) {
            builder.setAttribute(GenAi.OPERATION_NAME, GenAi.CHAT).setAttribute(GenAi.REQUEST_MODEL, labels.requestModel());
            if (labels.provider() != null) {
                builder.setAttribute(GenAi.PROVIDER_NAME, labels.provider());
            }
        } else if (span.kind() == SpanKind.TOOL_CALL) {
            builder.setAttribute(GenAi.OPERATION_NAME, GenAi.EXECUTE_TOOL).setAttribute(GenAi.TOOL_NAME, span.name());
        }
        io.opentelemetry.api.trace.Span started = builder.startSpan();
        open.put(span.id(), new Open(started, parentContext.with(started), labels));
    }

    @Override
    public void onEnd(Span span, Map<String, Object> attributes) {
        Open ended = open.remove(span.id());
        if (ended == null) {
            return;
        }
        io.opentelemetry.api.trace.Span otel = ended.span();
        attributes.forEach((key, value) -> copy(key, value, otel::setAttribute));
        if (span.kind() == SpanKind.LM_CALL && ended.labels() != null) {
            Exchange exchange = exchanges.get();
            exchanges.remove();
            if (exchange != null) {
                describe(otel, exchange);
            }
            Object responseModel = attributes.get("gen_ai.response.model");
            metrics.callEnded(ended.labels(), responseModel == null ? null : responseModel.toString(),
                    span.elapsedNanos(), number(attributes.get("gen_ai.usage.input_tokens")),
                    number(attributes.get("gen_ai.usage.output_tokens")),
                    Boolean.TRUE.equals(attributes.get("dspy.cache_hit")));
        }
        otel.end();
    }

    @Override
    public void onFailed(Span span, Throwable error) {
        Open failed = open.remove(span.id());
        if (failed == null) {
            return;
        }
        String type = error.getClass().getName();
        String message = error.getMessage() == null ? type : error.getMessage();
        io.opentelemetry.api.trace.Span otel = failed.span();
        otel.setStatus(StatusCode.ERROR, message);
        otel.setAttribute(GenAi.ERROR_TYPE, type);
        otel.addEvent("exception", Attributes.of(EXCEPTION_TYPE, type, EXCEPTION_MESSAGE, message));
        if (failed.labels() != null) {
            if (span.kind() == SpanKind.LM_CALL) {
                exchanges.remove();
                metrics.callFailed(failed.labels(), span.elapsedNanos(), type);
            } else {
                metrics.attemptFailed(failed.labels(), type);
            }
        }
        otel.end();
    }

    @Override
    public void onLmCall(Lm lm, LmRequest request, LmResponse response) {
        exchanges.set(new Exchange(request, response));
    }

    /** The request options, finish reasons and (when captured) the messages of an LM call. */
    private void describe(io.opentelemetry.api.trace.Span otel, Exchange exchange) {
        LmOptions options = exchange.request().options();
        if (options.temperature() != null) {
            otel.setAttribute(GenAi.REQUEST_TEMPERATURE, options.temperature());
        }
        if (options.maxTokens() != null) {
            otel.setAttribute(GenAi.REQUEST_MAX_TOKENS, options.maxTokens().longValue());
        }
        if (options.seed() != null) {
            otel.setAttribute(GenAi.REQUEST_SEED, options.seed());
        }
        if (options.n() != null && options.n() != 1) {
            otel.setAttribute(GenAi.REQUEST_CHOICE_COUNT, options.n().longValue());
        }
        if (options.stop() != null && !options.stop().isEmpty()) {
            otel.setAttribute(GenAi.REQUEST_STOP_SEQUENCES, List.copyOf(options.stop()));
        }
        List<String> reasons = new ArrayList<>();
        for (Choice choice : exchange.response().choices()) {
            if (choice.finishReason() != null) {
                reasons.add(choice.finishReason());
            }
        }
        if (!reasons.isEmpty()) {
            otel.setAttribute(GenAi.RESPONSE_FINISH_REASONS, reasons);
        }
        if (content != null) {
            otel.setAttribute(GenAi.INPUT_MESSAGES, content.inputMessages(exchange.request().messages()));
            otel.setAttribute(GenAi.OUTPUT_MESSAGES, content.outputMessages(exchange.response()));
        }
    }

    /** Copies one dspy4j attribute, renaming {@code dspy.*} to {@code dspy4j.*}. */
    private void copy(String key, @Nullable Object value, AttributeSink sink) {
        if (value == null || key.equals("gen_ai.request.model")) {
            return;   // the request model is set without its provider prefix
        }
        String name;
        if (key.equals(RETRIEVAL_QUERY)) {
            if (content == null) {
                return;
            }
            value = content.cut(value.toString());
            name = "dspy4j.retrieval.query";
        } else {
            name = key.startsWith("dspy.") ? "dspy4j." + key.substring("dspy.".length()) : key;
        }
        switch (value) {
            case String s -> sink.put(AttributeKey.stringKey(name), s);
            case Boolean b -> sink.put(AttributeKey.booleanKey(name), b);
            case Double d -> sink.put(AttributeKey.doubleKey(name), d);
            case Float f -> sink.put(AttributeKey.doubleKey(name), f.doubleValue());
            case Number n -> sink.put(AttributeKey.longKey(name), n.longValue());
            case List<?> list -> sink.put(AttributeKey.stringArrayKey(name), list.stream().map(String::valueOf).toList());
            default -> sink.put(AttributeKey.stringKey(name), value.toString());
        }
    }

    private static @Nullable Number number(@Nullable Object value) {
        return value instanceof Number n ? n : null;
    }

    @Override
    public String toString() {
        return "OpenTelemetryListener[content=" + (content != null) + "]";
    }

    /** Where {@link #copy} puts an attribute: a span builder or a started span. */
    @FunctionalInterface
    private interface AttributeSink {
        <T> void put(AttributeKey<T> key, T value);
    }

    private record Open(io.opentelemetry.api.trace.Span span, Context context, @Nullable LmLabels labels) {}

    private record Exchange(LmRequest request, LmResponse response) {}

    /**
     * Configures an {@link OpenTelemetryListener}. Not thread-safe; the listener it builds is.
     */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private boolean captureContent;
        private int contentLimit = DEFAULT_CONTENT_LIMIT;

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = openTelemetry;
        }

        /**
         * Whether LM call spans carry the prompt and completion text ({@code gen_ai.input.messages},
         * {@code gen_ai.output.messages}) and retrieval spans their query. Default {@code false}:
         * prompts often hold personal data, so capture only where the backend may store it.
         *
         * @param capture {@code true} to capture
         * @return this builder
         */
        public Builder captureContent(boolean capture) {
            this.captureContent = capture;
            return this;
        }

        /**
         * The most characters kept of each captured text (a message part, tool arguments, a
         * query); longer texts are cut and end with {@code ...[truncated]}. Default
         * {@link OpenTelemetryListener#DEFAULT_CONTENT_LIMIT} (16,384).
         *
         * @param characters the limit, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code characters} is less than 1
         */
        public Builder contentLimit(int characters) {
            if (characters < 1) {
                throw new IllegalArgumentException("contentLimit must be at least 1 character, was " + characters);
            }
            this.contentLimit = characters;
            return this;
        }

        /**
         * Builds the listener.
         *
         * @return the listener, with this builder's settings
         */
        public OpenTelemetryListener build() {
            return new OpenTelemetryListener(this);
        }
    }
}
