package dev.dspy4j.evaluate;

import java.util.Objects;

/**
 * What a {@link Metric} says about one prediction: a number and, optionally, textual feedback
 * (DSPy's {@code dspy.Prediction(score=..., feedback=...)}, which GEPA-style optimizers read).
 *
 * <p>Feedback is never {@code null}: a score without feedback has the empty string, see
 * {@link #hasFeedback()}. Immutable.
 *
 * @param value the score, usually in {@code [0, 1]}; pass/fail metrics give {@code 1.0} or {@code 0.0}
 * @param feedback why the prediction scored so, or {@code ""} for none
 */
public record Score(double value, String feedback) {

    private static final Score PASS = new Score(1.0, "");
    private static final Score FAIL = new Score(0.0, "");

    /** @throws NullPointerException if {@code feedback} is {@code null} (use {@code ""} or {@link #of(double)}) */
    public Score {
        Objects.requireNonNull(feedback, "feedback: use \"\" (or Score.of(value)) for a score without feedback");
    }

    /** A score without feedback. */
    public static Score of(double value) {
        return new Score(value, "");
    }

    /** A score with feedback. @throws NullPointerException if {@code feedback} is {@code null} */
    public static Score of(double value, String feedback) {
        return new Score(value, feedback);
    }

    /** {@code 1.0} if {@code passed}, else {@code 0.0}, without feedback. */
    public static Score of(boolean passed) {
        return passed ? PASS : FAIL;
    }

    /** Whether there is feedback (it is not empty). */
    public boolean hasFeedback() {
        return !feedback.isEmpty();
    }

    /** This score with other feedback. @throws NullPointerException if {@code text} is {@code null} */
    public Score withFeedback(String text) {
        return new Score(value, text);
    }
}
