package dev.dspy4j.evaluate;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DSPy's string metrics ({@code dspy.evaluate.metrics}) with the same normalization rules.
 * Stateless and thread-safe.
 */
public final class Metrics {

    /** Python's {@code string.punctuation}. */
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /**
     * Python's {@code \b(a|an|the)\b}: a word character there is what Python's {@code str} regexes
     * call one (letters, digits, underscore; combining marks are not).
     */
    private static final Pattern ARTICLES =
            Pattern.compile("(?<![\\p{L}\\p{N}_])(?:a|an|the)(?![\\p{L}\\p{N}_])");

    /** DPR's SimpleTokenizer: runs of letters, digits and marks, or any other non-space character. */
    private static final Pattern DPR_TOKEN = Pattern.compile("[\\p{L}\\p{N}\\p{M}]+|[^\\p{Z}\\p{C}]");

    private Metrics() {}

    /**
     * DSPy's {@code normalize_text}: Unicode NFD, lowercase, remove ASCII punctuation, replace the
     * words {@code a}, {@code an}, {@code the} with spaces, and collapse whitespace.
     *
     * @param text the text
     * @return the normalized text, e.g. {@code "eiffel tower"} for {@code "The,  Eiffel  Tower!"}
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
        return String.join(" ", pythonSplit(s));
    }

    /** Whether the normalized texts are equal (DSPy's {@code em_score}). */
    public static boolean exactMatch(String prediction, String gold) {
        return normalizeText(prediction).equals(normalizeText(gold));
    }

    /**
     * Token-multiset F1 of the normalized texts (DSPy's {@code f1_score}); {@code 0.0} when no token
     * is shared, including when both are empty.
     */
    public static double tokenF1(String prediction, String gold) {
        List<String> predicted = pythonSplit(normalizeText(prediction));
        List<String> expected = pythonSplit(normalizeText(gold));
        Map<String, Integer> counts = new HashMap<>();
        for (String token : expected) {
            counts.merge(token, 1, Integer::sum);
        }
        int same = 0;
        for (String token : predicted) {
            Integer left = counts.get(token);
            if (left != null && left > 0) {
                counts.put(token, left - 1);
                same++;
            }
        }
        if (same == 0) {
            return 0.0;
        }
        double precision = 1.0 * same / predicted.size();
        double recall = 1.0 * same / expected.size();
        return (2 * precision * recall) / (precision + recall);
    }

    /**
     * DSPy's {@code answer_exact_match}: {@code prediction.answer} equals {@code example.answer}
     * (a string, or a list of acceptable strings) after normalization. The metric throws
     * {@link IllegalArgumentException} if {@code example.answer} is neither.
     */
    public static Metric answerExactMatch() {
        return answerExactMatch(1.0);
    }

    /**
     * {@code answer_exact_match} with {@code frac}: below 1.0 an answer matches when its best
     * {@link #tokenF1} against the gold answers is at least {@code frac}.
     *
     * @throws IllegalArgumentException if {@code frac} is NaN
     */
    public static Metric answerExactMatch(double frac) {
        if (Double.isNaN(frac)) {
            throw new IllegalArgumentException("frac must be a number, got NaN");
        }
        return (example, prediction, context) -> {
            String predicted = String.valueOf(prediction.require("answer"));
            List<String> answers = answers(example);
            if (frac >= 1.0) {
                return Score.of(answers.stream().anyMatch(gold -> exactMatch(predicted, gold)));
            }
            double best = answers.stream().mapToDouble(gold -> tokenF1(predicted, gold)).max().orElse(0.0);
            return Score.of(best >= frac);
        };
    }

    /**
     * DSPy's {@code answer_passage_match}: some passage of {@code prediction.context} (a list of
     * strings, or one string taken as one passage) contains some gold answer as a token sequence.
     * Both sides are normalized with {@link #normalizeText} and then tokenized and lowercased like
     * DPR's {@code SimpleTokenizer} (runs of Unicode letters, digits and marks, or single other
     * non-space characters). Java's Unicode tables and lowercasing may differ from Python's for rare
     * characters, so treat this as an approximation of DSPy's result for exotic scripts.
     */
    public static Metric answerPassageMatch() {
        return (example, prediction, context) -> {
            List<List<String>> answers = new ArrayList<>();
            for (String answer : answers(example)) {
                answers.add(dprTokens(normalizeText(answer)));
            }
            for (String passage : passages(prediction)) {
                List<String> tokens = dprTokens(normalizeText(passage));
                for (List<String> answer : answers) {
                    if (containsSequence(tokens, answer)) {
                        return Score.of(true);
                    }
                }
            }
            return Score.of(false);
        };
    }

    /** DPR's {@code DPR_normalize}: NFD, SimpleTokenizer tokens, lowercased. */
    static List<String> dprTokens(String text) {
        Matcher matcher = DPR_TOKEN.matcher(Normalizer.normalize(text, Normalizer.Form.NFD));
        List<String> tokens = new ArrayList<>();
        while (matcher.find()) {
            tokens.add(matcher.group().toLowerCase(Locale.ROOT));
        }
        return tokens;
    }

    private static boolean containsSequence(List<String> text, List<String> answer) {
        for (int i = 0; i + answer.size() <= text.size(); i++) {
            if (text.subList(i, i + answer.size()).equals(answer)) {
                return true;   // an empty answer matches, as in DPR's has_answer
            }
        }
        return false;
    }

    private static List<String> answers(Example example) {
        Object answer = example.require("answer");
        if (answer instanceof String text) {
            return List.of(text);
        }
        if (answer instanceof List<?> list) {
            List<String> texts = new ArrayList<>(list.size());
            for (Object item : list) {
                texts.add(String.valueOf(item));
            }
            if (texts.isEmpty()) {
                throw new IllegalArgumentException("example.answer is an empty list; give at least one answer.");
            }
            return texts;
        }
        throw new IllegalArgumentException("Invalid answer type: example.answer must be a string or a list of "
                + "strings, got " + (answer == null ? "null" : answer.getClass().getName()));
    }

    private static List<String> passages(Prediction prediction) {
        Object context = prediction.require("context");
        if (context instanceof String text) {
            return List.of(text);
        }
        if (context instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        throw new IllegalArgumentException("prediction.context must be a list of passages, got "
                + (context == null ? "null" : context.getClass().getName()));
    }

    /** Python's {@code str.split()}: split on runs of Unicode whitespace, dropping empty parts. */
    static List<String> pythonSplit(String text) {
        List<String> parts = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); i++) {
            if (isPythonSpace(text.charAt(i))) {
                if (start >= 0) {
                    parts.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            parts.add(text.substring(start));
        }
        return parts;
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
