package dev.dspy4j.optimize;

import dev.dspy4j.data.Example;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LabeledFewShotTest {

    static final class TwoStep extends Module {
        final Predict first = Predict.of("question -> answer");
        final Predict second = Predict.of("question -> answer");

        @Override
        protected dev.dspy4j.data.Prediction forward(Example inputs) {
            return second.call(first.call(inputs.toMap()).toMap());
        }
    }

    @Test
    void givesEveryPredictorKDistinctTrainsetExamplesAndLeavesTheInputUntouched() {
        TwoStep program = new TwoStep();
        ProgramState before = program.state();
        List<Example> train = Fixtures.trainset(10);

        Module compiled = LabeledFewShot.of(3).compile(program, train);

        assertThat(program.state()).isEqualTo(before);
        assertThat(program.first.demos()).isEmpty();
        compiled.state().predictors().values().forEach(state -> {
            assertThat(state.demos()).hasSize(3).doesNotHaveDuplicates();
            assertThat(train).containsAll(state.demos());
        });
    }

    @Test
    void takesAllExamplesWhenKExceedsTheTrainset() {
        Module compiled = LabeledFewShot.of(16).compile(Predict.of("question -> answer"), Fixtures.trainset(5));

        assertThat(compiled.state().predictor("self").demos()).hasSize(5)
                .containsExactlyInAnyOrderElementsOf(Fixtures.trainset(5));
    }

    @Test
    void theSameSeedGivesTheSameDemosAndWithoutSamplingTheFirstK() {
        List<Example> train = Fixtures.trainset(20);
        Module a = LabeledFewShot.of(4).withSeed(7).compile(new TwoStep(), train);
        Module b = LabeledFewShot.of(4).withSeed(7).compile(new TwoStep(), train);
        Module first = LabeledFewShot.of(4).withoutSampling().compile(Predict.of("question -> answer"), train);

        assertThat(a.state().predictors().values()).map(s -> s.demos())
                .isEqualTo(b.state().predictors().values().stream().map(s -> s.demos()).toList());
        assertThat(first.state().predictor("self").demos()).containsExactlyElementsOf(train.subList(0, 4));
    }

    @Test
    void withSeedZeroPicksTheSameExamplesAsDspy() {
        // python3: r = random.Random(0); r.sample(range(20), 4), r.sample(range(20), 4)
        List<Example> train = Fixtures.trainset(20);
        Module compiled = LabeledFewShot.of(4).compile(new TwoStep(), train);

        assertThat(compiled.state().predictor("first").demos())
                .containsExactly(train.get(12), train.get(13), train.get(1), train.get(8));
        assertThat(compiled.state().predictor("second").demos())
                .containsExactly(train.get(16), train.get(15), train.get(12), train.get(9));
    }

    @Test
    void makesNoLmCalls() {
        assertThat(LabeledFewShot.of(4).estimate(new TwoStep(), Fixtures.trainset(5), List.of()).lmCalls()).isZero();
    }
}
