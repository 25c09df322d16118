package dev.dspy4j.module;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Majority voting over completions: DSPy's {@code dspy.majority(prediction_or_completions,
 * normalize=default_normalize, field=None)}.
 *
 * <pre>{@code
 * Prediction samples = Predict.of("question -> answer").withOptions(LmOptions.NONE.withN(5)).call(in, ctx);
 * Prediction voted = Majority.majority(samples);          // over its five completions
 * Prediction same = Majority.majority(List.of(p1, p2, p3), Majority::normalizeText, "answer");
 * }</pre>
 *
 * <p>As in DSPy: the field is the given one, else the last key of the first completion (the
 * last output field of a predictor's prediction). Each completion's value is normalized (by
 * default {@link #normalizeText}, with an empty result counting as no vote); completions whose
 * value normalizes to {@code null} do not vote, unless none votes. The most common value wins,
 * the one seen first on ties, and the result is a prediction holding the first completion with
 * that value. Stateless and thread-safe.
 */
public final class Majority {

    /** Python's {@code string.punctuation}. */
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    /** Python's {@code \b(a|an|the)\b}. */
    private static final Pattern ARTICLES = Pattern.compile("(?<![\\p{L}\\p{N}_])(?:a|an|the)(?![\\p{L}\\p{N}_])");

    private Majority() {}

    /**
     * The majority over a prediction's completions ({@link Prediction#completions()}), by the last
     * field, with the default normalization.
     *
     * @throws IllegalArgumentException if there is no completion or no field to vote on
     */
    public static Prediction majority(Prediction prediction) {
        return majority(prediction.completions(), Majority::defaultNormalize, null);
    }

    /**
     * The majority over a prediction's completions.
     *
     * @param prediction the prediction whose completions vote
     * @param normalize maps each value's text to its vote ({@code null}: no vote); {@code null} to
     *     compare the texts as they are
     * @param field the field to vote on, or {@code null} for the last one
     * @throws IllegalArgumentException if there is no completion or no field to vote on
     */
    public static Prediction majority(Prediction prediction, @Nullable Function<String, @Nullable String> normalize,
                                      @Nullable String field) {
        return majority(prediction.completions(), normalize, field);
    }

    /**
     * The majority over completions (predictions, examples or maps), by the last field, with the
     * default normalization.
     *
     * @throws IllegalArgumentException if there is no completion, no field to vote on, or a
     *     completion of another type
     */
    public static Prediction majority(List<?> completions) {
        return majority(completions, Majority::defaultNormalize, null);
    }

    /**
     * The majority over completions (predictions, examples or maps).
     *
     * @param completions the completions that vote, in order
     * @param normalize maps each value's text to its vote ({@code null}: no vote); {@code null} to
     *     compare the texts as they are
     * @param field the field to vote on, or {@code null} for the last one of the first completion
     * @return a prediction holding the first completion with the winning value
     * @throws IllegalArgumentException if there is no completion, no field to vote on, or a
     *     completion of another type
     */
    public static Prediction majority(List<?> completions, @Nullable Function<String, @Nullable String> normalize,
                                      @Nullable String field) {
        Objects.requireNonNull(completions, "completions");
        if (completions.isEmpty()) {
            throw new IllegalArgumentException("majority needs at least one completion.");
        }
        List<Map<String, Object>> values = new ArrayList<>(completions.size());
        for (Object completion : completions) {
            values.add(values(completion));
        }
        String target = field;
        if (target == null) {
            List<String> keys = new ArrayList<>(values.get(0).keySet());
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("majority cannot choose a field: the first completion is empty. "
                        + "Pass the field to vote on.");
            }
            target = keys.get(keys.size() - 1);
        }
        Function<String, @Nullable String> norm = normalize != null ? normalize : text -> text;
        List<@Nullable String> votes = new ArrayList<>(values.size());
        boolean anyVote = false;
        for (Map<String, Object> completion : values) {
            Object value = completion.get(target);
            String vote = value == null ? null : norm.apply(PythonValues.str(value));
            votes.add(vote);
            anyVote |= vote != null;
        }
        Map<@Nullable String, Integer> counts = new LinkedHashMap<>();
        for (String vote : votes) {
            if (vote != null || !anyVote) {
                counts.merge(vote, 1, Integer::sum);
            }
        }
        String winner = null;
        int best = -1;
        for (Map.Entry<@Nullable String, Integer> entry : counts.entrySet()) {
            if (entry.getValue() > best) {
                best = entry.getValue();
                winner = entry.getKey();
            }
        }
        for (int i = 0; i < values.size(); i++) {
            if (Objects.equals(votes.get(i), winner)) {
                return Prediction.of(values.get(i));
            }
        }
        return Prediction.of(values.get(values.size() - 1)); // unreachable: the winner came from the votes
    }

    /**
     * DSPy's {@code normalize_text}: Unicode NFD, lowercase, ASCII punctuation removed, the words
     * {@code a}, {@code an}, {@code the} removed, whitespace collapsed; e.g. {@code "eiffel tower"}
     * for {@code "The,  Eiffel  Tower!"}.
     *
     * @param text the text
     * @return the normalized text
     */
    public static String normalizeText(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFD).toLowerCase(Locale.ROOT);
        StringBuilder kept = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (ASCII_PUNCTUATION.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        s = ARTICLES.matcher(kept).replaceAll(" ");
        StringBuilder out = new StringBuilder(s.length());
        int start = -1;
        for (int i = 0; i <= s.length(); i++) {
            boolean space = i == s.length() || PythonText.isSpace(s.charAt(i));
            if (space && start >= 0) {
                out.append(out.length() > 0 ? " " : "").append(s, start, i);
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return out.toString();
    }

    /** DSPy's {@code default_normalize}: {@link #normalizeText}, with an empty result meaning no vote. */
    public static @Nullable String defaultNormalize(String text) {
        String normalized = normalizeText(text);
        return normalized.isEmpty() ? null : normalized;
    }

    private static Map<String, Object> values(@Nullable Object completion) {
        return switch (completion) {
            case Prediction p -> p.toMap();
            case Example e -> e.toMap();
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((key, value) -> out.put(String.valueOf(key), value));
                yield out;
            }
            case null, default -> throw new IllegalArgumentException("majority takes predictions, examples or maps, "
                    + "not " + (completion == null ? "null" : completion.getClass().getName()) + ".");
        };
    }
}
