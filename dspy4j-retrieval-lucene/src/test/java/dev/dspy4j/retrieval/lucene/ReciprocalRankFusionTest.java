package dev.dspy4j.retrieval.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dspy4j.retrieve.Passage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {

    private static List<Passage> ranking(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new Passage(id, "text of " + id, 99, Map.of())).toList();
    }

    @Test
    void sumsOneOverConstantPlusRankAcrossRankings() {
        // given a lexical list a, b, c and a vector list c, a, d
        List<Passage> fused = ReciprocalRankFusion.fuse(List.of(ranking("a", "b", "c"), ranking("c", "a", "d")), 10, 60);

        // then a = 1/61 + 1/62, c = 1/63 + 1/61, b = 1/62, d = 1/63
        assertThat(fused).extracting(Passage::id).containsExactly("a", "c", "b", "d");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(1.0 / 62, within(1e-12));
        assertThat(fused.get(3).score()).isCloseTo(1.0 / 63, within(1e-12));
        assertThat(fused.get(0).text()).isEqualTo("text of a");
    }

    @Test
    void aPassageRankedWellByBothBeatsOneRankedFirstByOne() {
        // x is first in one list only; y is second in both
        List<Passage> fused = ReciprocalRankFusion.fuse(List.of(ranking("x", "y"), ranking("z", "y")), 1, 60);

        assertThat(fused).extracting(Passage::id).containsExactly("y");
    }

    @Test
    void equalScoresKeepFirstAppearanceAndTheConstantShapesTheScores() {
        List<Passage> fused = ReciprocalRankFusion.fuse(List.of(ranking("a"), ranking("b")), 2, 0);

        assertThat(fused).extracting(Passage::id).containsExactly("a", "b");
        assertThat(fused).extracting(Passage::score).containsExactly(1.0, 1.0);
        assertThat(ReciprocalRankFusion.fuse(List.of(), 3, 60)).isEmpty();
        assertThatThrownBy(() -> ReciprocalRankFusion.fuse(List.of(), 0, 60))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
