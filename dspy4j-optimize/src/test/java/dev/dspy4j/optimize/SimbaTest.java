package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimbaTest {

    private static final List<Example> TRAIN = Fixtures.trainset(8);
    private static final String ADVICE = "[[ ## discussion ## ]]\nThe worse run guessed.\n\n[[ ## module_advice ## ]]\n"
            + "{\"self\": \"Copy the number of the question.\"}\n\n[[ ## completed ## ]]";

    /** Right when the question's number plus the rollout id is even: sampled runs of one example disagree. */
    private static ScriptedLm taskLm() {
        return Fixtures.answering(request -> {
            Integer rollout = request.options().rolloutId();
            return (Fixtures.number(Fixtures.question(request)) + (rollout == null ? 0 : rollout)) % 2 == 0;
        });
    }

    private static Simba.Builder simba() {
        return Simba.builder().metric(Fixtures.EXACT).bsize(4).numCandidates(2).maxSteps(3).numThreads(1);
    }

    private static Module program() {
        return Predict.of("question -> answer");
    }

    @Test
    void sampledRunsUseOneLmCopyPerCandidateWithItsRolloutIdAtTemperatureOne() {
        // given
        ScriptedLm task = taskLm();
        ScriptedLm prompt = ScriptedLm.replying(ADVICE);
        List<LmRequest> requests = new ArrayList<>();
        ScriptedLm recording = ScriptedLm.answering(request -> {
            requests.add(request);
            return task.call(request).choices().get(0).text();
        });

        // when
        simba().maxSteps(1).promptModel(prompt).build().optimize(program(), TRAIN, DspyContext.of(recording));

        // then the first bsize × numCandidates calls sample with rollout ids 0 and 1, at temperature 1.0
        assertThat(requests.subList(0, 8)).extracting(r -> r.options().rolloutId())
                .containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(requests.subList(0, 8)).allSatisfy(r -> assertThat(r.options().temperature()).isEqualTo(1.0));
        // and candidates are scored with the context's own options
        assertThat(requests.get(8).options().rolloutId()).isNull();
    }

    @Test
    void feedbackIsAppendedToTheInstructionAfterABlankLine() {
        // given a prompt model that always advises the one predictor
        ScriptedLm prompt = ScriptedLm.replying(ADVICE);

        // when only rules can be drawn
        SimbaResult result = simba().maxDemos(0).promptModel(prompt).build()
                .optimize(program(), TRAIN, DspyContext.of(taskLm()));

        // then every candidate came from append_a_rule, and the feedback prompt named the module
        assertThat(result.steps()).flatExtracting(SimbaResult.Step::strategies).containsOnly("append_a_rule");
        assertThat(prompt.callCount()).isPositive();
        String user = prompt.lastRequest().messages().get(1).text();
        assertThat(user).contains("[[ ## module_names ## ]]\n[\n  \"self\"\n]")
                .contains("[[ ## better_reward_value ## ]]\n1.0").contains("[[ ## worse_reward_value ## ]]\n0.0")
                .contains("[[ ## oracle_metadata ## ]]\n{\n  \"answer\": ");
        assertThat(result.candidates()).anySatisfy(c -> assertThat(
                c.program().state().predictor("self").signature().instructions())
                .endsWith("`answer`.\n\nCopy the number of the question."));
    }

    @Test
    void demosComeFromTheBestRunAndNeverExceedMaxDemos() {
        // given
        Simba optimizer = simba().maxDemos(1).maxSteps(4).seed(3).promptModel(ScriptedLm.replying(ADVICE)).build();
        Module program = program();

        // when
        SimbaResult result = optimizer.optimize(program, TRAIN, DspyContext.of(taskLm()));

        // then demos were appended, each one a correct (augmented) run, and never more than maxDemos
        assertThat(result.steps()).flatExtracting(SimbaResult.Step::strategies).contains("append_a_demo");
        List<Example> demos = new ArrayList<>();
        for (SimbaResult.Candidate c : result.candidates()) {
            PredictorState self = c.program().state().predictor("self");
            assertThat(self.demos()).hasSizeLessThanOrEqualTo(1);
            demos.addAll(self.demos());
        }
        assertThat(demos).isNotEmpty().allSatisfy(d -> {
            assertThat(d.get("augmented")).isEqualTo(true);
            assertThat(d.get("answer")).isEqualTo("a" + Fixtures.number((String) d.get("question")));
        });
        // and the program given is untouched
        assertThat(program.state().predictor("self").demos()).isEmpty();
    }

    @Test
    void longDemoInputsAreCutAsDspyCutsThem() {
        SimbaResult result = simba().maxDemos(1).maxSteps(4).seed(3).demoInputFieldMaxlen(1)
                .promptModel(ScriptedLm.replying(ADVICE)).build().optimize(program(), TRAIN, DspyContext.of(taskLm()));

        assertThat(result.candidates()).flatExtracting(c -> c.program().state().predictor("self").demos())
                .isNotEmpty().allSatisfy(d -> assertThat(d.get("question")).isEqualTo("q\n\t\t... <TRUNCATED FOR BREVITY>"));
    }

    @Test
    void theSameSeedMakesTheSameRunAndAnotherSeedAnotherBatch() {
        SimbaResult first = simba().promptModel(ScriptedLm.replying(ADVICE)).build()
                .optimize(program(), TRAIN, DspyContext.of(taskLm()));
        SimbaResult again = simba().promptModel(ScriptedLm.replying(ADVICE)).build()
                .optimize(program(), TRAIN, DspyContext.of(taskLm()));
        SimbaResult other = simba().seed(1).promptModel(ScriptedLm.replying(ADVICE)).build()
                .optimize(program(), TRAIN, DspyContext.of(taskLm()));

        assertThat(again.steps()).isEqualTo(first.steps());
        assertThat(other.steps().get(0).batch()).isNotEqualTo(first.steps().get(0).batch());
        // each step takes the next bsize examples of one shuffle, reshuffling when they run out
        assertThat(first.steps().get(0).batch()).doesNotContainAnyElementsOf(first.steps().get(1).batch());
    }

    @Test
    void concurrentRunsGiveTheResultOfSingleThreadedOnes() {
        SimbaResult single = simba().promptModel(ScriptedLm.replying(ADVICE)).build()
                .optimize(program(), TRAIN, DspyContext.of(taskLm()));
        SimbaResult threaded = simba().numThreads(4).promptModel(ScriptedLm.replying(ADVICE)).build()
                .optimize(program(), TRAIN, DspyContext.of(taskLm()));

        assertThat(threaded.steps()).isEqualTo(single.steps());
        assertThat(threaded.bestProgram().state()).isEqualTo(single.bestProgram().state());
    }

    @Test
    void stepsFeedbackAndTheFinalEvaluationAreOptimizerSteps() {
        List<Span> started = new CopyOnWriteArrayList<>();
        DspyListener recorder = new DspyListener() {
            @Override
            public void onStart(Span span) {
                started.add(span);
            }
        };

        simba().maxSteps(2).maxDemos(0).promptModel(ScriptedLm.replying(ADVICE)).build()
                .optimize(program(), TRAIN, DspyContext.of(taskLm()).withListener(recorder));

        List<Span> steps = started.stream().filter(s -> s.kind() == SpanKind.OPTIMIZER_STEP).toList();
        assertThat(steps).extracting(Span::name).contains("SIMBA step 0", "SIMBA step 1", "SIMBA final evaluation",
                "SIMBA feedback 1");
        Span first = steps.stream().filter(s -> s.name().equals("SIMBA step 0")).findFirst().orElseThrow();
        Span feedback = steps.stream().filter(s -> s.name().equals("SIMBA feedback 1")).findFirst().orElseThrow();
        assertThat(feedback.parentId()).isEqualTo(first.id());
    }

    @Test
    void bucketsPutTheWidestSpreadFirstThenTheHighestMaxThenTheGapToTheMean() {
        // runs ordered model by model: example 0, 1, 2, 3 for the first model, then for the second...
        List<SimbaRun.Run> runs = new ArrayList<>();
        double[][] byModel = {{1.0, 0.5, 1.0, 0.2}, {1.0, 0.5, 0.0, 0.2}, {1.0, 0.0, 0.5, 0.9}};
        for (double[] scores : byModel) {
            for (int example = 0; example < scores.length; example++) {
                runs.add(run(example, scores[example]));
            }
        }

        List<SimbaRun.Bucket> buckets = SimbaRun.buckets(runs, 4);

        // spreads: example 0 → 0, 1 → 0.5, 2 → 1.0, 3 → 0.7
        assertThat(buckets).extracting(b -> b.runs().get(0).example().get("question"))
                .containsExactly("q2", "q3", "q1", "q0");
        assertThat(buckets.get(0).runs()).extracting(SimbaRun.Run::score).containsExactly(1.0, 0.5, 0.0);
    }

    @Test
    void bucketsOfEqualSpreadAreOrderedByTheirBestScore() {
        List<SimbaRun.Run> runs = List.of(run(0, 0.5), run(1, 1.0), run(0, 0.0), run(1, 0.5));

        assertThat(SimbaRun.buckets(runs, 2)).extracting(b -> b.runs().get(0).example().get("question"))
                .containsExactly("q1", "q0");
    }

    @Test
    void aTrainsetSmallerThanTheBatchIsRefusedWithBothSizes() {
        Simba optimizer = simba().bsize(32).build();

        assertThatThrownBy(() -> optimizer.optimize(program(), TRAIN, DspyContext.of(taskLm())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 examples")
                .hasMessageContaining("bsize=32");
    }

    @Test
    void settingsAreValidatedAsTheyAreSet() {
        assertThatThrownBy(() -> Simba.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("metric");
        assertThatThrownBy(() -> Simba.builder().bsize(0)).hasMessageContaining("bsize");
        assertThatThrownBy(() -> Simba.builder().numCandidates(0)).hasMessageContaining("numCandidates");
        assertThatThrownBy(() -> Simba.builder().maxSteps(0)).hasMessageContaining("maxSteps");
        assertThatThrownBy(() -> Simba.builder().maxDemos(-1)).hasMessageContaining("maxDemos");
        assertThatThrownBy(() -> Simba.builder().temperatureForSampling(0)).hasMessageContaining("temperatureForSampling");
        assertThatThrownBy(() -> Simba.builder().temperatureForCandidates(Double.NaN))
                .hasMessageContaining("temperatureForCandidates");
        assertThatThrownBy(() -> Simba.builder().seed(-1)).hasMessageContaining("seed");
    }

    @Test
    void estimateCountsSamplingCandidateAndFinalRuns() {
        LmCallEstimate estimate = simba().build().estimate(program(), TRAIN, List.of());

        // 3 steps × (4 × 2 sampled + 3 × 4 candidate runs) + (min(3, 2) + 1) × 8 final runs
        assertThat(estimate.evaluationRuns()).isEqualTo(3 * (8 + 12) + 3 * 8);
        assertThat(estimate.promptCalls()).isEqualTo(3 * 3);
    }

    private static SimbaRun.Run run(int example, double score) {
        return new SimbaRun.Run(Example.of("question", "q" + example, "answer", "a").withInputs("question"),
                Prediction.of(Map.of("answer", "a")), List.<TraceStep>of(), score, Map.of());
    }
}
