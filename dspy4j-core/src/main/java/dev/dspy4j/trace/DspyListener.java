package dev.dspy4j.trace;

import dev.dspy4j.DspyException;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import java.util.Map;

/**
 * Observes what programs do. Every method has an empty default, so implement only what you need.
 *
 * <p><b>Spans.</b> {@link #onStart}, then exactly one of {@link #onEnd} or {@link #onFailed}, for
 * each module call, predictor call, LM call (and each attempt inside it), adapter parse, tool call,
 * evaluation and optimizer step. Spans carry ids and parent ids, so a tracing backend can rebuild
 * the tree (see {@link Span}).
 *
 * <p><b>Data.</b> {@link #onPredict} gives each predictor call's inputs and outputs (optimizers
 * collect traces with it), {@link #onLmCall} each LM call's request and response, and
 * {@link #onAdapterFallback} each retry with a fallback adapter. Usage tracking and history are
 * interceptors ({@link dev.dspy4j.context.DspyContext#withInterceptors}), not listeners.
 *
 * <p>Listeners are called on the thread that does the work, possibly many threads at once, and
 * must be thread-safe. An exception thrown by a listener is logged and otherwise ignored: a
 * listener never breaks a program.
 */
public interface DspyListener {

    /**
     * A span started.
     *
     * @param span the span, with its parent's id
     */
    default void onStart(Span span) {}

    /**
     * A span ended normally.
     *
     * @param span the span, as passed to {@link #onStart}
     * @param attributes what is known at the end (e.g. {@code gen_ai.usage.input_tokens},
     *     {@code dspy.cache_hit}), possibly empty
     */
    default void onEnd(Span span, Map<String, Object> attributes) {}

    /**
     * A span failed.
     *
     * @param span the span, as passed to {@link #onStart}
     * @param error why
     */
    default void onFailed(Span span, Throwable error) {}

    /**
     * A predictor finished a call. Optimizers collect their traces with this.
     *
     * @param call the predictor's path, signature, inputs and prediction
     */
    default void onPredict(PredictorCall call) {}

    /**
     * An LM call finished (after formatting, before parsing).
     *
     * @param lm the LM that was called (its {@link Lm#model()} names it, e.g. for usage and cost)
     * @param request what was sent
     * @param response what came back
     */
    default void onLmCall(Lm lm, LmRequest request, LmResponse response) {}

    /**
     * An adapter failed and the call is being retried with its fallback adapter, so the LM will
     * be called again.
     *
     * @param from the adapter that failed
     * @param to the adapter that will be used instead
     * @param cause why the first adapter failed
     */
    default void onAdapterFallback(String from, String to, DspyException cause) {}
}
