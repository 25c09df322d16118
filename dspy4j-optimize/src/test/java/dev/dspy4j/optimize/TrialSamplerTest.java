package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialSamplerTest {

    private static final Map<String, Integer> SPACE = new LinkedHashMap<>(Map.of("0_predictor_instruction", 6));

    static {
        SPACE.put("0_predictor_demos", 4);
    }

    /** 30 picks, each scored 100 when the instruction is 4, else 10. */
    private static List<Map<String, Integer>> run(long seed) {
        TrialSampler sampler = TrialSampler.tpe(seed);
        sampler.observe(Map.of("0_predictor_instruction", 0, "0_predictor_demos", 0), 10);
        List<Map<String, Integer>> picks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Map<String, Integer> pick = sampler.next(SPACE);
            picks.add(pick);
            sampler.observe(pick, pick.get("0_predictor_instruction") == 4 ? 100 : 10);
        }
        return picks;
    }

    @Test
    void theTpeSamplerPicksTheSameConfigurationsForTheSameSeedAndScores() {
        assertThat(run(3)).isEqualTo(run(3));
        assertThat(run(3)).isNotEqualTo(run(4));
    }

    @Test
    void theTpeSamplerStaysInRangeAndConvergesOnTheBestChoice() {
        List<Map<String, Integer>> picks = run(0);

        assertThat(picks).allSatisfy(p -> {
            assertThat(p.get("0_predictor_instruction")).isBetween(0, 5);
            assertThat(p.get("0_predictor_demos")).isBetween(0, 3);
            assertThat(p.keySet()).containsExactly("0_predictor_instruction", "0_predictor_demos");
        });
        long best = picks.subList(20, 30).stream().filter(p -> p.get("0_predictor_instruction") == 4).count();
        assertThat(best).as("picks of the best instruction among the last 10 (uniform: about 2)")
                .isGreaterThanOrEqualTo(6);
    }

    @Test
    void theReplayingSamplerReturnsTheRecordedChoicesAndSaysWhenItRunsOut() {
        TrialSampler sampler = TrialSampler.replaying(List.of(Map.of("0_predictor_instruction", 2)));
        Map<String, Integer> space = Map.of("0_predictor_instruction", 3);

        assertThat(sampler.next(space)).isEqualTo(Map.of("0_predictor_instruction", 2));
        assertThatThrownBy(() -> sampler.next(space)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only 1 configurations");
        assertThatThrownBy(() -> TrialSampler.replaying(List.of(Map.of("0_predictor_instruction", 3))).next(space))
                .hasMessageContaining("0_predictor_instruction=3, outside 0..2");
    }
}
