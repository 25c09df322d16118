package dev.dspy4j.streaming;

import dev.dspy4j.module.Predict;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which output field to stream, and from which predictor, as DSPy's {@code StreamListener}.
 * Immutable; derive variants with {@link #predictor(String)}, {@link #predictor(Predict)} and
 * {@link #allowReuse()}.
 *
 * <p>Without a predictor, the program's only predictor with this output field is listened to
 * ({@link Streaming#stream} fails when there are none or several). Without {@code allowReuse},
 * a listener streams the field once per program call, as DSPy's: later calls of the same
 * predictor (a ReAct loop) are not streamed.
 *
 * @param field the output field's name
 * @param predictorPath the predictor's path in the program ({@code generate_answer.predict}), or null
 * @param predict the predictor itself, or null
 * @param reuse whether every call of the predictor is streamed
 */
public record StreamListener(String field, @Nullable String predictorPath, @Nullable Predict predict, boolean reuse) {

    public StreamListener {
        Objects.requireNonNull(field, "field");
        if (field.isBlank()) {
            throw new IllegalArgumentException("A stream listener needs an output field name, not a blank one");
        }
    }

    /** Listens to {@code field} of the program's only predictor that outputs it. */
    public static StreamListener field(String field) {
        return new StreamListener(field, null, null, false);
    }

    /** This listener, on the predictor at {@code path} ({@link dev.dspy4j.module.Module#namedPredictors()}). */
    public StreamListener predictor(String path) {
        return new StreamListener(field, Objects.requireNonNull(path, "path"), null, reuse);
    }

    /** This listener, on {@code predictor}, which must be part of the streamed program. */
    public StreamListener predictor(Predict predictor) {
        return new StreamListener(field, null, Objects.requireNonNull(predictor, "predictor"), reuse);
    }

    /** This listener, streaming every call of its predictor rather than only the first. */
    public StreamListener allowReuse() {
        return new StreamListener(field, predictorPath, predict, true);
    }
}
