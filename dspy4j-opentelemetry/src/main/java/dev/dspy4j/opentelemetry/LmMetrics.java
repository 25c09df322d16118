package dev.dspy4j.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import org.jspecify.annotations.Nullable;

/**
 * The LM metrics: the GenAI client histograms ({@code gen_ai.client.token.usage} by token type,
 * {@code gen_ai.client.operation.duration}) and {@code dspy4j.lm.errors}, a counter of failed LM
 * calls and attempts. Thread-safe (the instruments are).
 */
final class LmMetrics {

    static final String ERRORS = "dspy4j.lm.errors";
    static final AttributeKey<String> SPAN_KIND = AttributeKey.stringKey("dspy4j.span.kind");

    private final LongHistogram tokens;
    private final DoubleHistogram duration;
    private final LongCounter errors;

    LmMetrics(Meter meter) {
        this.tokens = meter.histogramBuilder(GenAi.TOKEN_USAGE)
                .setDescription("Number of input and output tokens used by LM calls (cache hits excluded).")
                .setUnit("{token}")
                .ofLongs()
                .setExplicitBucketBoundariesAdvice(GenAi.TOKEN_BUCKETS)
                .build();
        this.duration = meter.histogramBuilder(GenAi.OPERATION_DURATION)
                .setDescription("Duration of LM calls, retries and cache lookups included.")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(GenAi.DURATION_BUCKETS)
                .build();
        this.errors = meter.counterBuilder(ERRORS)
                .setDescription("Failed LM calls (span kind lm_call) and failed attempts inside them (lm_attempt).")
                .setUnit("{error}")
                .build();
    }

    /** An LM call ended: its duration and, unless the cache answered, its tokens. */
    void callEnded(LmLabels labels, @Nullable String responseModel, long elapsedNanos, @Nullable Number input,
                   @Nullable Number output, boolean cacheHit) {
        Attributes attributes = labels.with(responseModel, null).build();
        duration.record(elapsedNanos / 1e9, attributes);
        if (cacheHit) {
            return;
        }
        if (input != null) {
            tokens.record(input.longValue(), attributes.toBuilder().put(GenAi.TOKEN_TYPE, "input").build());
        }
        if (output != null) {
            tokens.record(output.longValue(), attributes.toBuilder().put(GenAi.TOKEN_TYPE, "output").build());
        }
    }

    /** An LM call failed: its duration with {@code error.type}, and one error. */
    void callFailed(LmLabels labels, long elapsedNanos, String errorType) {
        Attributes attributes = labels.with(null, errorType).build();
        duration.record(elapsedNanos / 1e9, attributes);
        errors.add(1, attributes.toBuilder().put(SPAN_KIND, "lm_call").build());
    }

    /** An attempt inside an LM call failed (it may be retried). */
    void attemptFailed(LmLabels labels, String errorType) {
        errors.add(1, labels.with(null, errorType).put(SPAN_KIND, "lm_attempt").build());
    }

    /** What identifies an LM in metrics: the operation, provider and requested model. */
    record LmLabels(@Nullable String provider, String requestModel) {

        AttributesBuilder with(@Nullable String responseModel, @Nullable String errorType) {
            AttributesBuilder builder = Attributes.builder()
                    .put(GenAi.OPERATION_NAME, GenAi.CHAT)
                    .put(GenAi.REQUEST_MODEL, requestModel);
            if (provider != null) {
                builder.put(GenAi.PROVIDER_NAME, provider);
            }
            if (responseModel != null) {
                builder.put(GenAi.RESPONSE_MODEL, responseModel);
            }
            if (errorType != null) {
                builder.put(GenAi.ERROR_TYPE, errorType);
            }
            return builder;
        }
    }
}
