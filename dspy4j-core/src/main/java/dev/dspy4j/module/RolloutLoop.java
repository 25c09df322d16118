package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.run.RunCancelledException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop {@link BestOfN} and {@link Refine} share: up to {@code n} attempts, attempt {@code i}
 * at {@code rollout_id = start + i} and temperature 1.0, stopping at the first reward at or above
 * the threshold, failures counted against {@code failCount}; the best attempt's predictor calls
 * extend the caller's trace. Immutable and thread-safe: each call keeps its state on its stack.
 */
final class RolloutLoop {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutLoop.class);

    /** Refine's step between attempts: advice for the next attempt's predictors. */
    @FunctionalInterface
    interface Feedback {
        /**
         * @return advice by predictor (identity), or {@code null} (or empty) to retry without hints
         */
        @Nullable Map<Predict, String> advise(Example inputs, List<AttemptRecord.Step> trace, Prediction outputs,
                                              double reward, DspyContext attemptContext, DspyContext caller);
    }

    private final String owner;
    private final Module module;
    private final int n;
    private final RewardFunction reward;
    private final double threshold;
    private final int failCount;

    RolloutLoop(String owner, Module module, int n, RewardFunction reward, double threshold, int failCount) {
        this.owner = owner;
        this.module = Objects.requireNonNull(module, "module");
        this.reward = Objects.requireNonNull(reward, "rewardFn");
        if (n < 1) {
            throw new IllegalArgumentException(owner + " needs N >= 1 attempts, not " + n + ".");
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException(owner + " needs a threshold that is a number, not NaN.");
        }
        if (failCount < 0) {
            throw new IllegalArgumentException(owner + " needs failCount >= 0, not " + failCount + ".");
        }
        this.n = n;
        this.threshold = threshold;
        this.failCount = failCount;
    }

    Module module() {
        return module;
    }

    int n() {
        return n;
    }

    double threshold() {
        return threshold;
    }

    int failCount() {
        return failCount;
    }

    RewardFunction reward() {
        return reward;
    }

    /**
     * Runs the attempts under {@code caller}.
     *
     * @param feedback Refine's advice step, or {@code null} (BestOfN)
     * @return the first prediction with the highest reward
     * @throws DspyException wrapping the last failure when failures exceed {@code failCount} or
     *     every attempt failed
     */
    Prediction run(Example inputs, DspyContext caller, @Nullable Feedback feedback) {
        Integer configured = caller.options().rolloutId();
        int start = configured == null ? 0 : configured;
        AttemptRecord parent = ProgramContext.attemptOf(caller);
        Map<Predict, String> inherited = parent == null ? null : parent.hints();
        Map<String, Object> kwargs = inputs.toMap();

        Prediction best = null;
        List<AttemptRecord.Step> bestTrace = List.of();
        double bestReward = Double.NEGATIVE_INFINITY;
        Map<Predict, String> advice = null;
        List<RuntimeException> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int rolloutId = start + i;
            AttemptRecord attempt = new AttemptRecord(advice != null ? advice : inherited);
            DspyContext attemptContext = ProgramContext.withAttempt(
                    caller.withOptions(caller.options().withRolloutId(rolloutId).withTemperature(1.0)), attempt);
            try {
                Prediction prediction = module.call(kwargs, attemptContext);
                List<AttemptRecord.Step> trace = attempt.steps();
                double value = score(inputs, prediction, caller, inherited);
                if (best == null || value > bestReward) { // ties keep the earlier attempt
                    bestReward = value;
                    best = prediction;
                    bestTrace = trace;
                }
                if (value >= threshold) {
                    break;
                }
                if (feedback == null || i == n - 1) {
                    continue;
                }
                Map<Predict, String> next = feedback.advise(inputs, trace, prediction, value, attemptContext, caller);
                advice = next == null || next.isEmpty() ? null : next;
            } catch (RuntimeException e) {
                if (e instanceof RunCancelledException || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                failures.add(e);
                LOG.warn("{}: attempt {} of {} failed with rollout id {}: {}", owner, i + 1, n, rolloutId, e.toString());
                if (failures.size() > failCount) {
                    throw exhausted(i, rolloutId, failures, "failures exceed failCount " + failCount);
                }
            }
        }
        if (best == null) {
            throw exhausted(n - 1, start + n - 1, failures, "every attempt failed");
        }
        AttemptRecord.deliver(bestTrace, caller);
        return best;
    }

    /** The reward, with the reward function's own predictor calls kept out of the trace (as in DSPy). */
    private double score(Example inputs, Prediction prediction, DspyContext caller,
                         @Nullable Map<Predict, String> inherited) {
        double value;
        try (DspyContext.Scope ignored = ProgramContext.withAttempt(caller, new AttemptRecord(inherited)).bind()) {
            value = reward.reward(inputs, prediction);
        }
        if (Double.isNaN(value)) {
            throw new DspyException(owner + "'s reward function returned NaN for " + prediction
                    + ". Return a number (e.g. 0.0 for a bad prediction).");
        }
        return value;
    }

    private DspyException exhausted(int index, int rolloutId, List<RuntimeException> failures, String why) {
        RuntimeException last = failures.get(failures.size() - 1);
        DspyException error = new DspyException(owner + ": attempt " + (index + 1) + " of " + n + " (rollout id "
                + rolloutId + ") failed with " + last + "; " + failures.size() + " of the attempts failed and "
                + why + ". The earlier failures are attached as suppressed exceptions. Fix the cause, or allow "
                + "more failures with failCount(...).", last);
        for (int i = 0; i < failures.size() - 1; i++) {
            error.addSuppressed(failures.get(i));
        }
        return error;
    }
}
