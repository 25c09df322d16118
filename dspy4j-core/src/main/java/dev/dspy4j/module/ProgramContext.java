package dev.dspy4j.module;

import dev.dspy4j.context.ContextKey;
import dev.dspy4j.context.DspyContext;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What modules keep in a {@link DspyContext} under keys only this package holds: learned-state
 * overrides of predictors and Retrieves (how {@link Module#withState} runs a program with other state) and the predictors'
 * paths (so LM calls and spans can name the calling predictor), and the attempt of
 * {@link BestOfN} or {@link Refine} that predictor calls belong to.
 */
final class ProgramContext {

    private static final ContextKey<Map<Predict, PredictorState>> OVERLAY = ContextKey.named("dspy4j.state-overlay");
    private static final ContextKey<Map<Retrieve, Integer>> K_OVERLAY = ContextKey.named("dspy4j.retrieve-k-overlay");
    private static final ContextKey<Map<Predict, String>> PATHS = ContextKey.named("dspy4j.predictor-paths");
    private static final ContextKey<AttemptRecord> ATTEMPT = ContextKey.named("dspy4j.rollout-attempt");

    private ProgramContext() {}

    /** {@code context} with {@code entries} overriding predictors' state; later overrides win. */
    static DspyContext withOverlay(DspyContext context, Map<Predict, PredictorState> entries) {
        if (entries.isEmpty()) {
            return context;
        }
        Map<Predict, PredictorState> current = context.get(OVERLAY);
        if (current == null) {
            return context.with(OVERLAY, entries);
        }
        Map<Predict, PredictorState> merged = new IdentityHashMap<>(current);
        merged.putAll(entries);
        return context.with(OVERLAY, merged);
    }

    /** The state override for {@code predictor}, or {@code null}. */
    static @Nullable PredictorState overlayFor(DspyContext context, Predict predictor) {
        Map<Predict, PredictorState> overlay = context.get(OVERLAY);
        return overlay == null ? null : overlay.get(predictor);
    }

    /** {@code context} with {@code entries} overriding Retrieves' {@code k}; later overrides win. */
    static DspyContext withKOverlay(DspyContext context, Map<Retrieve, Integer> entries) {
        if (entries.isEmpty()) {
            return context;
        }
        Map<Retrieve, Integer> current = context.get(K_OVERLAY);
        if (current == null) {
            return context.with(K_OVERLAY, entries);
        }
        Map<Retrieve, Integer> merged = new IdentityHashMap<>(current);
        merged.putAll(entries);
        return context.with(K_OVERLAY, merged);
    }

    /** The {@code k} override for {@code retrieve}, or {@code null}. */
    static @Nullable Integer kOverlayFor(DspyContext context, Retrieve retrieve) {
        Map<Retrieve, Integer> overlay = context.get(K_OVERLAY);
        return overlay == null ? null : overlay.get(retrieve);
    }

    /**
     * {@code context} naming the predictors of {@code root} by path, when anything will read the
     * paths (interceptors or listeners) and an enclosing module has not named them already.
     */
    static DspyContext enter(DspyContext context, Module root) {
        if ((context.interceptors().isEmpty() && context.listeners().isEmpty()) || context.get(PATHS) != null) {
            return context;
        }
        return context.with(PATHS, root.pathIndex());
    }

    /** The path of {@code predictor}: from the enclosing program, else {@code self} (a bare predictor). */
    static String pathOf(DspyContext context, Predict predictor) {
        Map<Predict, String> paths = context.get(PATHS);
        if (paths == null) {
            return "self";
        }
        String path = paths.get(predictor);
        return path == null ? "" : path;
    }

    /** {@code context} with predictor calls recorded in (and hinted by) {@code attempt}. */
    static DspyContext withAttempt(DspyContext context, AttemptRecord attempt) {
        return context.with(ATTEMPT, attempt);
    }

    /** The attempt predictor calls under {@code context} belong to, or {@code null}. */
    static @Nullable AttemptRecord attemptOf(DspyContext context) {
        return context.get(ATTEMPT);
    }
}
