package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

class GepaTest {

    private static final List<Example> TRAIN = Fixtures.trainset(6);
    private static final List<Example> VAL = Fixtures.trainset(10).subList(6, 10);

    /** Right on odd questions, and on every question once the instruction says "[good]". */
    private static ScriptedLm taskLm() {
        return Fixtures.answering(request -> request.messages().get(0).text().contains("[good]")
                || Fixtures.number(Fixtures.question(request)) % 2 == 1);
    }

    private static Module program() {
        return Predict.of("question -> answer");
    }

    private static Gepa.Builder gepa(ScriptedLm reflection) {
        return Gepa.builder().metric(Fixtures.EXACT).reflectionLm(reflection);
    }

    @Test
    void acceptsAChildWhoseMinibatchSumRisesAndScoresItOnTheValset() {
        // given: a reflection LM that proposes the instruction that fixes every answer
        ScriptedLm reflection = ScriptedLm.replying("Try this:\n```\nAnswer exactly [good]\n```");
        ScriptedLm task = taskLm();

        // when
        GepaResult result = gepa(reflection).maxMetricCalls(20).build()
                .optimize(program(), TRAIN, VAL, DspyContext.of(task));

        // then: the child is kept, scored on the whole valset and is the best
        assertThat(result.candidates()).hasSize(2);
        assertThat(result.candidates().get(1)).containsEntry("self", "Answer exactly [good]");
        assertThat(result.parents()).containsExactly(List.of(), List.of(0));
        assertThat(result.valAggregateScores()).containsExactly(0.5, 1.0);
        assertThat(result.bestIdx()).isEqualTo(1);
        assertThat(result.perValInstanceBestCandidates()).containsExactly(
                Set.of(0, 1), Set.of(1), Set.of(0, 1), Set.of(1));
        assertThat(result.highestScoreAchievedPerValTask()).containsOnly(1.0);
        assertThat(result.bestProgram().state().predictors().get("self").signature().instructions())
                .isEqualTo("Answer exactly [good]");
        // seed valset 4, minibatch 3, child minibatch 3, then its valset 4 (discovered at 10)
        assertThat(result.discoveryEvalCounts()).containsExactly(0, 10);
    }

    @Test
    void rejectsAChildThatDoesNotStrictlyImproveTheMinibatchSum() {
        ScriptedLm reflection = ScriptedLm.answering(request -> "```\nStill no better\n```");

        GepaResult result = gepa(reflection).maxMetricCalls(22).build()
                .optimize(program(), TRAIN, VAL, DspyContext.of(taskLm()));

        assertThat(result.candidates()).hasSize(1);
        assertThat(result.bestIdx()).isZero();
        assertThat(result.numFullValEvals()).isEqualTo(1);
        assertThat(reflection.callCount()).isEqualTo(3); // (22 - 4) / 6 rejected proposals
        assertThat(program().state().predictors().get("self").signature().instructions())
                .as("the student is unchanged").doesNotContain("better");
    }

    @Test
    void countsOneMetricCallPerExampleEvaluatedAndStopsOnceTheBudgetIsSpent() {
        ScriptedLm task = taskLm();
        List<MetricContext.Mode> modes = new CopyOnWriteArrayList<>();
        Metric metric = (example, prediction, context) -> {
            modes.add(context.mode());
            return Fixtures.EXACT.score(example, prediction, context);
        };

        GepaResult result = Gepa.builder().metric(metric).reflectionLm(ScriptedLm.answering(request -> "```\nmeh\n```"))
                .maxMetricCalls(11).build().optimize(program(), TRAIN, VAL, DspyContext.of(task));

        // 4 (seed) + 3 + 3 (rejected) = 10 < 11, so one more iteration of 3 (perfect) or 6 calls
        assertThat(result.totalMetricCalls()).isIn(13, 16);
        assertThat(task.callCount()).isEqualTo(result.totalMetricCalls());
        long counted = modes.stream().filter(m -> m != MetricContext.Mode.FEEDBACK).count();
        assertThat(counted).as("feedback calls are free").isEqualTo(result.totalMetricCalls());
        assertThat(modes).contains(MetricContext.Mode.FEEDBACK);
    }

    @Test
    void skipsMinibatchesWhereEveryScoreIsPerfectUnlessToldNotTo() {
        ScriptedLm allRight = Fixtures.answering(request -> true);
        ScriptedLm reflection = ScriptedLm.answering(request -> "```\nx\n```");

        GepaResult skipped = gepa(reflection).maxMetricCalls(16).build()
                .optimize(program(), TRAIN, VAL, DspyContext.of(allRight));
        assertThat(reflection.callCount()).isZero();
        assertThat(skipped.totalMetricCalls()).isEqualTo(16); // 4 + 4 × 3

        gepa(reflection).maxMetricCalls(16).skipPerfectScore(false).build()
                .optimize(program(), TRAIN, VAL, DspyContext.of(allRight));
        assertThat(reflection.callCount()).isPositive();
    }

    @Test
    void aMetricWithoutFeedbackIsShownAsItsScoreAsInDspy() {
        ScriptedLm reflection = ScriptedLm.answering(request -> "```\nAnswer exactly [good]\n```");

        gepa(reflection).metric(Metric.of((ex, pred) -> ex.get("answer").equals(pred.get("answer"))))
                .maxMetricCalls(10).build().optimize(program(), TRAIN, VAL, DspyContext.of(taskLm()));

        LmRequest prompt = reflection.lastRequest();
        assertThat(prompt.messages()).hasSize(1);
        assertThat(prompt.messages().get(0).text())
                .startsWith("I provided an assistant with the following instructions to perform a task for me:\n```\n")
                .contains("## Feedback\nThis trajectory got a score of 0.0.\n")
                .contains("## Feedback\nThis trajectory got a score of 1.0.\n")
                .endsWith("Provide the new instructions within ``` blocks.");
    }

    @Test
    void aFeedbackMetricHearsWhichPredictorItIsAskedAbout() {
        List<String> asked = new ArrayList<>();
        Metric metric = (example, prediction, context) -> {
            if (context instanceof MetricContext.Feedback f) {
                asked.add(f.predictorPath() + ":" + f.predictorStep().inputs().get("question"));
                return Score.of(0.0, "look at " + f.predictorPath());
            }
            return Fixtures.EXACT.score(example, prediction, context);
        };
        ScriptedLm reflection = ScriptedLm.answering(request -> "```\nAnswer exactly [good]\n```");

        Gepa.builder().metric(metric).reflectionLm(reflection).maxMetricCalls(10).build()
                .optimize(program(), TRAIN, VAL, DspyContext.of(taskLm()));

        assertThat(asked).hasSize(3).allMatch(s -> s.startsWith("self:q"));
        assertThat(reflection.lastRequest().messages().get(0).text()).contains("## Feedback\nlook at self\n");
    }

    @Test
    void evaluatingSeveralExamplesAtOnceGivesTheSameRunAsOneAfterAnother() {
        // given: a reflection LM whose proposals fix some answers, so that candidates are accepted
        Gepa.Builder settings = Gepa.builder().metric(Fixtures.EXACT).maxMetricCalls(40).seed(3);

        // when
        GepaResult sequential = settings.reflectionLm(ScriptedLm.replying("```\nAnswer exactly [good]\n```")).build()
                .optimize(program(), TRAIN, VAL, DspyContext.of(taskLm()));
        GepaResult concurrent = settings.reflectionLm(ScriptedLm.replying("```\nAnswer exactly [good]\n```"))
                .evaluationConcurrency(4).build().optimize(program(), TRAIN, VAL, DspyContext.of(taskLm()));

        // then
        assertThat(concurrent.candidates()).isEqualTo(sequential.candidates()).hasSizeGreaterThan(1);
        assertThat(concurrent.valSubscores()).isEqualTo(sequential.valSubscores());
        assertThat(concurrent.totalMetricCalls()).isEqualTo(sequential.totalMetricCalls());
        assertThatThrownBy(() -> settings.evaluationConcurrency(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evaluationConcurrency");
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedOtherMinibatches() {
        List<String> first = prompts(0);
        assertThat(prompts(0)).isEqualTo(first);
        assertThat(prompts(7)).isNotEqualTo(first);
    }

    private static List<String> prompts(long seed) {
        ScriptedLm task = taskLm();
        gepa(ScriptedLm.answering(request -> "```\nno\n```")).seed(seed).maxMetricCalls(40).build()
                .optimize(program(), TRAIN, VAL, DspyContext.of(task));
        return task.requests().stream().map(r -> r.messages().get(1).text()).toList();
    }

    @Test
    void badSettingsFailClearly() {
        ScriptedLm lm = ScriptedLm.replying("x");
        assertThatThrownBy(() -> Gepa.builder().metric(Fixtures.EXACT).reflectionLm(lm).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one budget")
                .hasMessageContaining("none is set");
        assertThatThrownBy(() -> gepa(lm).auto(Gepa.Auto.LIGHT).maxMetricCalls(100).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 are set");
        assertThatThrownBy(() -> Gepa.builder().reflectionLm(lm).maxMetricCalls(100).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("metric");
        assertThatThrownBy(() -> Gepa.builder().metric(Fixtures.EXACT).maxMetricCalls(100).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reflection LM");
        assertThatThrownBy(() -> gepa(lm).maxMetricCalls(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMetricCalls");
        assertThatThrownBy(() -> gepa(lm).maxMergeInvocations(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMergeInvocations");
        Gepa small = gepa(lm).maxMetricCalls(4).build();
        assertThatThrownBy(() -> small.optimize(program(), TRAIN, VAL, DspyContext.of(lm)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spent by scoring the seed");
        Gepa fine = gepa(lm).maxMetricCalls(40).build();
        assertThatThrownBy(() -> fine.optimize(program(), List.of(), VAL, DspyContext.of(lm)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trainset");
    }

    @Test
    void budgetsAreSizedAsDspySizesThem() {
        // DSPy: one predictor, light, 100 valset examples -> 780
        assertThat(Gepa.autoBudget(1, 6, 100)).isEqualTo(780);
        Gepa full = gepa(ScriptedLm.replying("x")).maxFullEvals(2).build();
        assertThat(full.metricCallBudget(1, 6, 4, 4)).isEqualTo(20);
        assertThat(full.metricCallBudget(1, 6, 0, 6)).as("no valset given: the trainset only").isEqualTo(12);
        assertThat(full.estimate(program(), TRAIN, VAL).evaluationRuns()).isEqualTo(20);
    }

    @Test
    void paretoSelectionDropsDominatedCandidatesAndWeighsTheRestByTheFrontsTheyLead() {
        List<SortedSet<Integer>> fronts = List.of(new TreeSet<>(List.of(0, 1)), new TreeSet<>(List.of(1)),
                new TreeSet<>(List.of(2)), new TreeSet<>(List.of(0, 1, 2)));
        List<Double> scores = List.of(0.5, 0.7, 0.6);

        assertThat(GepaFrontier.samplingList(fronts, scores)).containsExactly(1, 1, 1, 2, 2);
        int drawn = GepaFrontier.select(fronts, scores, new PythonRandom(0));
        assertThat(drawn).isIn(1, 2);
    }

    @Test
    void minibatchesAreEpochShuffledAsGepaDrawsThem() {
        // the draws of DSPy's captured run: a parent choice among 8, then the sampler, each iteration
        PythonRandom rng = new PythonRandom(0);
        EpochShuffledSampler sampler = new EpochShuffledSampler(12, 3, rng);
        List<Integer> drawn = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rng.randbelow(8);
            drawn.addAll(sampler.next(i));
        }
        assertThat(drawn).containsExactly(1, 10, 9, 5, 11, 2, 3, 7, 8, 4, 0, 6,
                3, 7, 1, 11, 6, 5, 0, 10, 2, 8, 4, 9);
    }

    @Test
    void aTrainsetThatDoesNotDivideIsPaddedWithTheLeastFrequentIndex() {
        EpochShuffledSampler sampler = new EpochShuffledSampler(5, 3, new PythonRandom(0));
        List<Integer> epoch = new ArrayList<>(sampler.next(0));
        epoch.addAll(sampler.next(1));
        assertThat(epoch).hasSize(6);
        assertThat(new TreeSet<>(epoch)).containsExactly(0, 1, 2, 3, 4);
        assertThat(epoch.get(5)).as("the last shuffled index, least frequent and inserted last")
                .isEqualTo(epoch.get(4));
    }

    @Test
    void theNewInstructionIsTheTextOfTheFencedBlock() {
        assertThat(GepaReflection.newInstruction("Sure.\n```text\nDo X.\n```\nBye")).isEqualTo("Do X.");
        assertThat(GepaReflection.newInstruction("```\nDo Y.")).isEqualTo("Do Y.");
        assertThat(GepaReflection.newInstruction("Do Z.\n```")).isEqualTo("Do Z.");
        assertThat(GepaReflection.newInstruction("  plain  ")).isEqualTo("plain");
    }
}
