package dev.dspy4j.evaluate;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Usage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one example in an evaluation.
 *
 * @param index the example's position in the devset
 * @param example the example
 * @param prediction what the program returned, or {@code null} if the program failed
 * @param scores every metric's score (value and feedback) by name, the primary metric first; on
 *     error, the failure score without feedback for every metric
 * @param error why the program or a metric failed, or {@code null} if it did not
 * @param usage tokens paid for by this example's LM calls (the program's and LM-judge metrics'; calls
 *     served from a cache are not included)
 */
public record ExampleResult(int index, Example example, Prediction prediction, Map<String, Score> scores,
                            Throwable error, Usage usage) {

    /**
     * @throws NullPointerException if {@code example}, {@code scores} or {@code usage} is {@code null}
     * @throws IllegalArgumentException if {@code scores} is empty
     */
    public ExampleResult {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(usage, "usage");
        if (Objects.requireNonNull(scores, "scores").isEmpty()) {
            throw new IllegalArgumentException("scores must hold at least the primary metric's score");
        }
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /** The primary (first) metric's score. */
    public double score() {
        return scores.values().iterator().next().value();
    }

    /** The primary (first) metric's feedback, or {@code ""} if it gave none. */
    public String feedback() {
        return scores.values().iterator().next().feedback();
    }

    /** The named metric's score value, or {@code NaN} if there is no metric of that name. */
    public double score(String metric) {
        Score score = scores.get(metric);
        return score == null ? Double.NaN : score.value();
    }

    /** Whether the program or a metric failed on this example. */
    public boolean failed() {
        return error != null;
    }
}
