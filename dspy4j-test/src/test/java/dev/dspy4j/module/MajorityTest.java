package dev.dspy4j.module;

import static dev.dspy4j.module.Majority.majority;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.data.Prediction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MajorityTest {

    @Test
    void theMostCommonNormalizedValueOfTheLastFieldWinsAndItsFirstCompletionIsReturned() {
        // given
        Prediction samples = Prediction.fromCompletions(List.of(
                Map.of("reasoning", "r1", "answer", "Paris"),
                Map.of("reasoning", "r2", "answer", "Lyon"),
                Map.of("reasoning", "r3", "answer", "the paris!"),
                Map.of("reasoning", "r4", "answer", "PARIS")));

        // when
        Prediction voted = majority(samples);

        // then
        assertThat(voted.toMap()).isEqualTo(Map.of("reasoning", "r1", "answer", "Paris"));
        assertThat(voted.completions()).hasSize(1);
    }

    @Test
    void tiesGoToTheValueSeenFirst() {
        assertThat(majority(List.of(Map.of("answer", "b"), Map.of("answer", "a"), Map.of("answer", "a"),
                Map.of("answer", "b"))).getString("answer")).isEqualTo("b");
    }

    @Test
    void valuesThatNormalizeToNothingDoNotVoteUnlessNoneVotes() {
        assertThat(majority(List.of(Map.of("answer", "The"), Map.of("answer", "!"), Map.of("answer", "x")))
                .getString("answer")).isEqualTo("x");
        assertThat(majority(List.of(Map.of("answer", "The"), Map.of("answer", "a"))).getString("answer"))
                .isEqualTo("The");
    }

    @Test
    void votesOnTheGivenFieldWithTheGivenNormalization() {
        List<Prediction> predictions = List.of(
                Prediction.of(Map.of("label", "Yes", "answer", "1")),
                Prediction.of(Map.of("label", "yes", "answer", "2")),
                Prediction.of(Map.of("label", "yes", "answer", "3")));

        assertThat(majority(predictions, null, "label").getString("answer")).isEqualTo("2");
        assertThat(majority(predictions, Majority::normalizeText, "label").getString("answer")).isEqualTo("1");
    }

    @Test
    void normalizesTextAsDspyDoes() {
        assertThat(Majority.normalizeText("The,  Eiffel  Tower!")).isEqualTo("eiffel tower");
        assertThat(Majority.defaultNormalize("a the")).isNull();
    }

    @Test
    void rejectsNothingToVoteOn() {
        assertThatThrownBy(() -> majority(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> majority(List.of("text"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predictions, examples or maps");
    }
}
