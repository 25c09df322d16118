package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Embedder;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class KnnFewShotAndEnsembleTest {

    @Test
    void knnBootstrapsOnTheNearestTrainExamplesAtEachCall() {
        List<String> embedded = new CopyOnWriteArrayList<>();
        Embedder onACircle = texts -> {
            embedded.addAll(texts);
            List<float[]> out = new ArrayList<>();
            for (String text : texts) {
                double angle = Fixtures.number(text) * 0.3;
                out.add(new float[] {(float) Math.cos(angle), (float) Math.sin(angle)});
            }
            return out;
        };
        var train = List.of(Fixtures.trainset(9).get(0), Fixtures.trainset(9).get(1),
                Fixtures.trainset(9).get(4), Fixtures.trainset(9).get(8));   // q1, q2, q5, q9
        ScriptedLm lm = Fixtures.answering(request -> true);
        BootstrapFewShot bootstrap = BootstrapFewShot.builder().metric(Fixtures.EXACT)
                .maxBootstrappedDemos(2).maxLabeledDemos(2).concurrency(1).build();

        Module program = KnnFewShot.of(2, onACircle, bootstrap).compile(Predict.of("question -> answer"), train);
        Prediction answer = program.call(Map.of("question", "q6"), DspyContext.of(lm));

        assertThat(answer.get("answer")).isEqualTo("a6");
        assertThat(embedded).containsExactly("question: q1", "question: q2", "question: q5", "question: q9",
                "question: q6");
        assertThat(lm.requests()).map(Fixtures::question).containsExactly("q5", "q9", "q6");
        LmRequest last = lm.lastRequest();
        String prompt = last.messages().stream().map(m -> m.text()).reduce("", String::concat);
        assertThat(prompt).contains("q5", "q9").doesNotContain("q2", "q1\n");
        assertThat(program.namedPredictors()).containsOnlyKeys("self");
    }

    private static Predict saying(String answer) {
        return Predict.of("question -> answer").withLm(ScriptedLm.withOutputs(Map.of("answer", answer)));
    }

    @Test
    void anEnsembleTakesTheMajorityOfTheLastOutputFieldWithTiesToTheEarliest() {
        Module majority = Ensemble.ofDefaults().compile(List.of(saying("y"), saying("X."), saying("x")));
        Module tie = Ensemble.ofDefaults().compile(List.of(saying("y"), saying("x")));

        assertThat(majority.call(Map.of("question", "q"), DspyContext.empty()).get("answer")).isEqualTo("X.");
        assertThat(tie.call(Map.of("question", "q"), DspyContext.empty()).get("answer")).isEqualTo("y");
        assertThat(majority.namedPredictors()).containsOnlyKeys("programs[0]", "programs[1]", "programs[2]");
    }

    @Test
    void anEnsembleSamplesSizeProgramsReproduciblyBySeedAndReducesWithTheGivenFunction() {
        List<Predict> programs = List.of(saying("a"), saying("b"), saying("c"), saying("d"));
        Ensemble sampled = Ensemble.ofDefaults().withSize(1).withSeed(3);

        List<Object> first = new ArrayList<>();
        List<Object> second = new ArrayList<>();
        Module one = sampled.compile(programs);
        Module two = sampled.compile(programs);
        for (int i = 0; i < 8; i++) {
            first.add(one.call(Map.of("question", "q"), DspyContext.empty()).get("answer"));
            second.add(two.call(Map.of("question", "q"), DspyContext.empty()).get("answer"));
        }
        Module joined = Ensemble.ofDefaults().withReduce(ps -> Prediction.of(Map.of("answer",
                String.join("", ps.stream().map(p -> p.getString("answer")).toList())))).compile(programs);

        assertThat(first).isEqualTo(second);
        assertThat(joined.call(Map.of("question", "q"), DspyContext.empty()).get("answer")).isEqualTo("abcd");
        assertThatThrownBy(() -> Ensemble.ofDefaults().withSize(5).compile(programs))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
