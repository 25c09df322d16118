package dev.dspy4j.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final MetricContext EVAL = MetricContext.evaluation();

    private static Example question(Object answer) {
        return Example.of("question", "What is 1+1?", "answer", answer).withInputs("question");
    }

    private static Prediction answer(String text) {
        return Prediction.of(Map.of("answer", text));
    }

    @Test
    void normalizesLikeDspy() {
        assertThat(Metrics.normalizeText("The,  Eiffel  Tower!")).isEqualTo("eiffel tower");
        assertThat(Metrics.normalizeText("  A cat and an owl ate THE mouse.  ")).isEqualTo("cat and owl ate mouse");
        assertThat(Metrics.normalizeText("theater, another banana")).isEqualTo("theater another banana");
        assertThat(Metrics.normalizeText("state-of-the-art")).isEqualTo("stateoftheart");
        assertThat(Metrics.normalizeText("the_end")).isEqualTo("theend");   // "_" is punctuation, removed first
        assertThat(Metrics.normalizeText("tab\tnew\nline\u00a0nbsp")).isEqualTo("tab new line nbsp");
        assertThat(Metrics.normalizeText("")).isEmpty();
    }

    @Test
    void decomposesAccentsWithoutRemovingThem() {
        assertThat(Metrics.normalizeText("Café")).isEqualTo("cafe\u0301");
        // Python: "the" followed by a combining accent is still the word "the" (marks are not \w)
        assertThat(Metrics.normalizeText("thé end")).isEqualTo("\u0301 end");
        assertThat(Metrics.exactMatch("café", "CAFÉ")).isTrue();
    }

    @Test
    void leavesNonAsciiPunctuationInPlace() {
        assertThat(Metrics.normalizeText("«Paris» — France…")).isEqualTo("«paris» — france…");
    }

    @Test
    void matchesExactlyAfterNormalization() {
        assertThat(Metrics.exactMatch("The Eiffel Tower", "Eiffel Tower")).isTrue();
        assertThat(Metrics.exactMatch("paris", "Paris")).isTrue();
        assertThat(Metrics.exactMatch("paris", "Paris, France")).isFalse();
    }

    @Test
    void computesTokenF1OnNormalizedTokenMultisets() {
        assertThat(Metrics.tokenF1("Eiffel Tower is in Paris", "Paris")).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(Metrics.tokenF1("the Eiffel Tower", "Eiffel Tower")).isEqualTo(1.0);
        assertThat(Metrics.tokenF1("paris paris", "paris")).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(Metrics.tokenF1("rome", "paris")).isZero();
        assertThat(Metrics.tokenF1("", "")).isZero();   // DSPy keeps 0 for two empty answers
    }

    @Test
    void answerExactMatchAcceptsAStringAnswer() {
        assertThat(Metrics.answerExactMatch().score(question("2"), answer("2"), EVAL).value()).isEqualTo(1.0);
    }

    @Test
    void answerExactMatchAcceptsAListOfAnswers() {
        assertThat(Metrics.answerExactMatch().score(question(List.of("2", "two")), answer("two"), EVAL).value())
                .isEqualTo(1.0);
    }

    @Test
    void answerExactMatchRejectsAWrongAnswer() {
        assertThat(Metrics.answerExactMatch().score(question("2"), answer("3"), EVAL).value()).isZero();
    }

    @Test
    void answerExactMatchWithAFractionUsesTokenF1() {
        Example example = question(List.of("Eiffel Tower", "Louvre"));

        assertThat(Metrics.answerExactMatch(1.0).score(example, answer("The Eiffel Tower"), EVAL).value()).isEqualTo(1.0);
        assertThat(Metrics.answerExactMatch(0.5).score(example, answer("Eiffel Tower in Paris"), EVAL).value())
                .isEqualTo(1.0);
        assertThat(Metrics.answerExactMatch(1.0).score(example, answer("Eiffel Tower in Paris"), EVAL).value()).isZero();
        assertThat(Metrics.answerExactMatch(0.9).score(example, answer("Eiffel Tower in Paris"), EVAL).value()).isZero();
    }

    @Test
    void answerExactMatchRejectsAnAnswerThatIsNeitherStringNorList() {
        assertThatThrownBy(() -> Metrics.answerExactMatch().score(question(2), answer("2"), EVAL).value())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid answer type");
    }

    @Test
    void answerPassageMatchFindsTheAnswerTokensInAPassage() {
        Example example = Example.of("question", "Where?", "answer", "Eiffel Tower");
        Metric metric = Metrics.answerPassageMatch();

        assertThat(metric.score(example, Prediction.of(Map.of("context",
                List.of("The Eiffel Tower is in Paris.", "..."))), EVAL).value()).isEqualTo(1.0);
        assertThat(metric.score(example, Prediction.of(Map.of("context",
                List.of("The Eiffel-Tower is in Paris."))), EVAL).value()).isZero();
        assertThat(metric.score(example, Prediction.of(Map.of("context",
                List.of("The Louvre is in Paris."))), EVAL).value()).isZero();
        assertThat(metric.score(Example.of("answer", List.of("Orsay", "Louvre")),
                Prediction.of(Map.of("context", "Visit the Louvre museum")), EVAL).value()).isEqualTo(1.0);
        // as in DSPy, normalization drops the apostrophe first, so "d'Orsay" becomes the token "dorsay"
        assertThat(metric.score(Example.of("answer", "Orsay"),
                Prediction.of(Map.of("context", "Musée d'Orsay")), EVAL).value()).isZero();
    }

    @Test
    void dprTokensSplitPunctuationFromWords() {
        assertThat(Metrics.dprTokens("Hello, World! 3.5 Café")).containsExactly(
                "hello", ",", "world", "!", "3", ".", "5", "cafe\u0301");
    }
}
