package dev.dspy4j.module;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.PredictorCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of {@link BestOfN} or {@link Refine}: the predictor calls made during it (DSPy's
 * {@code with dspy.context(trace=[])}) and, for Refine's retries, the hint each predictor gets as
 * an extra {@code hint_} input (DSPy's wrapped adapter). {@link Predict} finds the attempt in its
 * context and records its calls here instead of telling the listeners; the loop then hands the
 * best attempt's calls on (see {@link #deliver}), so the caller's trace holds that attempt only.
 *
 * <p>Thread-safe: a module may run its predictors on several threads.
 */
final class AttemptRecord {

    /** The name of the input a hint goes in. */
    static final String HINT = "hint_";

    /** DSPy's {@code InputField(desc="A hint to the module from an earlier run")}, appended to hinted signatures. */
    static final Field HINT_FIELD = Field.input(HINT, FieldType.STR)
            .withDescription("A hint to the module from an earlier run");

    /** What a predictor without advice is told. */
    static final String NO_ADVICE = "N/A";

    private static final Logger LOG = LoggerFactory.getLogger(AttemptRecord.class);

    /** One predictor call of an attempt. */
    record Step(Predict predictor, PredictorCall call) {}

    private final @Nullable Map<Predict, String> hints;
    private final List<Step> steps = new ArrayList<>();

    /**
     * @param hints advice by predictor (identity), or {@code null} for calls without a {@code hint_}
     */
    AttemptRecord(@Nullable Map<Predict, String> hints) {
        this.hints = hints;
    }

    /** The hints of this attempt, or {@code null}; nested attempts inherit them. */
    @Nullable Map<Predict, String> hints() {
        return hints;
    }

    /** The hint for {@code predictor}, {@code N/A} without advice for it; {@code null} if this attempt gives none. */
    @Nullable String hintFor(Predict predictor) {
        if (hints == null) {
            return null;
        }
        String hint = hints.get(predictor);
        return hint == null ? NO_ADVICE : hint;
    }

    /** {@code signature} with the {@code hint_} input appended. */
    static Signature hinted(Signature signature) {
        return signature.append(HINT_FIELD);
    }

    void record(Predict predictor, PredictorCall call) {
        synchronized (steps) {
            steps.add(new Step(predictor, call));
        }
    }

    /** The calls recorded so far, in the order they finished. */
    List<Step> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }

    /**
     * Extends the caller's trace with {@code steps}: into the enclosing attempt if the caller runs
     * inside one, else to the caller's listeners' {@link DspyListener#onPredict}.
     */
    static void deliver(List<Step> steps, DspyContext caller) {
        AttemptRecord parent = ProgramContext.attemptOf(caller);
        if (parent != null) {
            for (Step step : steps) {
                parent.record(step.predictor(), step.call());
            }
            return;
        }
        List<DspyListener> listeners = caller.listeners();
        for (Step step : steps) {
            for (DspyListener listener : listeners) {
                try {
                    listener.onPredict(step.call());
                } catch (RuntimeException e) {
                    LOG.warn("Listener {} failed in onPredict; ignoring it", listener, e);
                }
            }
        }
    }
}
