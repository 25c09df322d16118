package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The draws SIMBA makes, against values printed by CPython 3.11 and NumPy 2. */
class SimbaRandomTest {

    @Test
    void numpyDefaultRngGivesNumpysRawOutputs() {
        NumpyRandom rng = new NumpyRandom(0);
        // np.random.default_rng(0).bit_generator.random_raw(3)
        assertThat(List.of(rng.nextLong(), rng.nextLong(), rng.nextLong())).containsExactly(
                Long.parseUnsignedLong("11749869230777074271"), Long.parseUnsignedLong("4976686463289251617"),
                Long.parseUnsignedLong("755828109848996024"));
    }

    @Test
    void numpyPoissonCountsMatchNumpysForSmallAndLargeMeans() {
        assertThat(poissons(new NumpyRandom(0), 0.5, 10)).containsExactly(1L, 0L, 0L, 2L, 1L, 2L, 1L, 1L, 1L, 0L);
        NumpyRandom same = new NumpyRandom(0);
        poissons(same, 0.5, 10);
        assertThat(poissons(same, 15.0, 10)).containsExactly(14L, 10L, 17L, 17L, 14L, 18L, 13L, 13L, 13L, 13L);
        assertThat(poissons(new NumpyRandom(7), 0.75, 12)).containsExactly(2L, 0L, 0L, 1L, 2L, 0L, 0L, 0L, 0L, 1L, 4L, 0L);
        assertThat(poissons(new NumpyRandom((1L << 40) + 3), 2.0, 8)).containsExactly(3L, 1L, 2L, 2L, 2L, 1L, 3L, 2L);
    }

    @Test
    void aPoissonOfZeroIsZeroAndDrawsNothing() {
        NumpyRandom drawn = new NumpyRandom(0);
        assertThat(drawn.poisson(0.0)).isZero();
        assertThat(poissons(drawn, 0.5, 3)).containsExactly(1L, 0L, 0L);
    }

    @Test
    void pythonChoicesChoiceAndRandrangeMatchCpython() {
        PythonRandom rng = new PythonRandom(0);
        List<Integer> drawn = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            drawn.add(rng.weightedChoice(List.of(1, 2, 0),
                    List.of(0.4983211691867487, 0.4983211691867487, 0.0033576616265026146)));
        }
        assertThat(drawn).containsExactly(2, 2, 1, 1, 2, 1, 2, 1, 1, 2);

        PythonRandom seven = new PythonRandom(7);
        List<String> letters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            letters.add(seven.choice(List.of("a", "b", "c")));
        }
        assertThat(letters).containsExactly("b", "a", "b", "c", "a", "a", "c", "a");
        List<Integer> ranges = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ranges.add(seven.randrange(5));
        }
        assertThat(ranges).containsExactly(2, 4, 0, 4, 1, 0, 0, 3);
    }

    @Test
    void softmaxOfMeanScoresIsDspysSamplingWeights() {
        // the weights of the capture's second step: two candidates at 1.0 and the baseline at 0.0
        assertThat(SimbaRun.softmax(List.of(1.0, 1.0, 0.0), 0.2))
                .containsExactly(0.4983211691867487, 0.4983211691867487, 0.0033576616265026146);
    }

    @Test
    void percentilesInterpolateAsNumpysLinearMethod() {
        double[] scores = {0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0};
        assertThat(SimbaRun.percentile(scores, 10)).isEqualTo(0.0);
        assertThat(SimbaRun.percentile(scores, 90)).isEqualTo(1.0);
        assertThat(SimbaRun.percentile(new double[] {0.2, 0.5, 0.9, 0.1, 0.3}, 10)).isEqualTo(0.14);
        assertThat(SimbaRun.percentile(new double[] {0.2, 0.5, 0.9, 0.1, 0.3}, 90)).isEqualTo(0.74);
    }

    private static List<Long> poissons(NumpyRandom rng, double lam, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rng.poisson(lam));
        }
        return out;
    }
}
