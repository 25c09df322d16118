package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.testkit.ScriptedLm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BootstrapFewShotWithRandomSearchTest {

    /** Correct exactly when the prompt carries demos. */
    private static ScriptedLm betterWithDemos() {
        return Fixtures.answering(request -> request.messages().size() > 2);
    }

    @Test
    void picksTheBestCandidateWithTiesGoingToTheEarliestSeedAndLeavesTheInputUntouched() {
        Predict program = Predict.of("question -> answer");
        ProgramState before = program.state();

        OptimizationResult result = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(3).maxBootstrappedDemos(2).maxLabeledDemos(3).build()
                .search(program, Fixtures.trainset(6), Fixtures.trainset(4), DspyContext.of(betterWithDemos()));

        assertThat(program.state()).isEqualTo(before);
        assertThat(result.candidates()).hasSize(6);
        assertThat(result.bestScore()).isEqualTo(100.0);
        assertThat(result.candidates().get(0).seed()).isEqualTo(-2);
        assertThat(result.bestProgram()).isSameAs(result.candidates().get(0).program());
        assertThat(result.candidates().get(5).seed()).isEqualTo(-3);
        assertThat(result.candidates().get(5).score()).isZero();
        assertThat(result.candidates()).map(Candidate::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(result.budgetExhausted()).isFalse();
        assertThat(result.stoppedAtScore()).isFalse();
        assertThat(result.bestProgram().state().predictor("self").demos()).hasSize(3);
    }

    @Test
    void candidatesAreBuiltAndScoredConcurrently() {
        CountDownLatch twoAtOnce = new CountDownLatch(2);
        List<Boolean> overlapped = new CopyOnWriteArrayList<>();
        ScriptedLm lm = ScriptedLm.answering(request -> {
            twoAtOnce.countDown();
            try {
                overlapped.add(twoAtOnce.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Fixtures.reply("a" + Fixtures.number(Fixtures.question(request)));
        });

        // one call at a time within a candidate, so simultaneous calls come from different candidates
        BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT).numCandidatePrograms(0)
                .concurrency(3).evaluationConcurrency(1).teacherConcurrency(1).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(3), List.of(), DspyContext.of(lm));

        assertThat(overlapped).isNotEmpty().containsOnly(true);
    }

    @Test
    void stopAtScoreEndsTheSearchAtTheFirstCandidateInSeedOrderThatReachesIt() {
        OptimizationResult result = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(8).stopAtScore(100).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(6), List.of(),
                        DspyContext.of(betterWithDemos()));

        assertThat(result.stoppedAtScore()).isTrue();
        assertThat(result.candidates()).map(Candidate::seed).containsExactly(-2, -3);
        assertThat(result.bestScore()).isEqualTo(100.0);
    }

    @Test
    void aSpentBudgetStopsTheSearchAndReturnsTheBestProgramSoFar() {
        ScriptedLm lm = Fixtures.answering(request -> true);

        OptimizationResult result = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(4).concurrency(1).evaluationConcurrency(1).budget(Budget.ofLmCalls(6)).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(6), Fixtures.trainset(4),
                        DspyContext.of(lm));

        assertThat(result.budgetExhausted()).isTrue();
        assertThat(result.candidates()).map(Candidate::seed).containsExactly(-3);
        assertThat(result.bestScore()).isEqualTo(100.0);
        assertThat(result.bestProgram().state().predictor("self").demos()).isEmpty();
        assertThat(lm.callCount()).isEqualTo(6);
    }

    @Test
    void theSameSeedGivesTheSameResult() {
        BootstrapFewShotWithRandomSearch search = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(4).maxBootstrappedDemos(3).maxLabeledDemos(4).seed(5).build();
        List<Example> train = Fixtures.trainset(10);

        OptimizationResult a = search.search(Predict.of("question -> answer"), train, List.of(),
                DspyContext.of(Fixtures.oddCorrect()));
        OptimizationResult b = search.search(Predict.of("question -> answer"), train, List.of(),
                DspyContext.of(Fixtures.oddCorrect()));

        assertThat(a.bestProgram().state()).isEqualTo(b.bestProgram().state());
        assertThat(a.candidates()).map(c -> c.seed() + ":" + c.score())
                .containsExactlyElementsOf(b.candidates().stream().map(c -> c.seed() + ":" + c.score()).toList());
        assertThat(a.candidates()).map(c -> c.program().state())
                .containsExactlyElementsOf(b.candidates().stream().map(c -> c.program().state()).toList());
    }

    @Test
    void aProgressBarListenerShowsTheBestScoreAndLmCalls() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT).numCandidatePrograms(2)
                .listener(dev.dspy4j.evaluate.ProgressBars.to(
                        new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)))
                .build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(4), Fixtures.trainset(2),
                        DspyContext.of(Fixtures.answering(request -> true)));

        String shown = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(shown).contains("Random search", "5/5", "best: 100.00", "LM calls:");
    }

    @Test
    void shuffledCandidatesDrawDifferentNumbersOfBootstrappedDemos() {
        // every teacher run succeeds, so a candidate's augmented demos are exactly its drawn size
        OptimizationResult result = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(8).maxBootstrappedDemos(4).maxLabeledDemos(0).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(12), Fixtures.trainset(2),
                        DspyContext.of(Fixtures.answering(request -> true)));

        java.util.Set<Integer> sizes = new java.util.TreeSet<>();
        for (Candidate candidate : result.candidates()) {
            if (candidate.seed() >= 0) {
                sizes.add(candidate.program().state().predictor("self").demos().size());
            }
        }
        assertThat(sizes).as("demo counts of the 8 shuffled candidates").hasSizeGreaterThan(1)
                .allSatisfy(size -> assertThat(size).isBetween(1, 4));
    }

    @Test
    void shuffledCandidatesDrawDspysDemoCountsForSeedZero() {
        // python3: [random.Random(s).randint(1, 4) for s in range(8)]
        OptimizationResult result = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(8).maxBootstrappedDemos(4).maxLabeledDemos(0).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(12), Fixtures.trainset(2),
                        DspyContext.of(Fixtures.answering(request -> true)));

        java.util.Map<Integer, Integer> sizes = new java.util.TreeMap<>();
        for (Candidate candidate : result.candidates()) {
            if (candidate.seed() >= 0) {
                sizes.put(candidate.seed(), candidate.program().state().predictor("self").demos().size());
            }
        }
        assertThat(sizes.values()).containsExactly(4, 2, 1, 2, 2, 3, 1, 3);
    }

    @Test
    void estimatesTeacherRunsForEveryBootstrappedCandidateAndAnEvaluationEach() {
        LmCallEstimate estimate = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(2).build()
                .estimate(Predict.of("question -> answer"), Fixtures.trainset(6), Fixtures.trainset(4));

        assertThat(estimate.teacherRuns()).isEqualTo(3 * 6);
        assertThat(estimate.evaluationRuns()).isEqualTo(5 * 4);
        assertThat(estimate.lmCalls()).isEqualTo(38);
    }

    @Test
    void aMetricIsRequired() {
        assertThatThrownBy(() -> BootstrapFewShotWithRandomSearch.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("metric");
    }
}
