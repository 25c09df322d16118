package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MiproV2Test {

    private static final Pattern OUTPUT_FIELD = Pattern.compile("^\\d+\\. `(\\w+)`", Pattern.MULTILINE);

    /** Answers any prompt: task prompts by {@code correct}, proposer prompts with a numbered proposal. */
    static ScriptedLm lm(Predicate<LmRequest> correct) {
        int[] proposals = {0};
        return ScriptedLm.answering(request -> {
            String system = request.messages().get(0).text();
            if (system.contains("`question`")) {
                String q = Fixtures.question(request);
                return Fixtures.reply(correct.test(request) ? "a" + Fixtures.number(q) : "wrong");
            }
            String outputs = system.substring(system.indexOf("Your output fields are:"), system.indexOf("All interactions"));
            StringBuilder reply = new StringBuilder();
            Matcher m = OUTPUT_FIELD.matcher(outputs);
            while (m.find()) {
                String value = m.group(1).equals("proposed_instruction")
                        ? "Proposed Instruction: proposal " + (++proposals[0]) : "About " + m.group(1) + ".";
                reply.append("[[ ## ").append(m.group(1)).append(" ## ]]\n").append(value).append("\n\n");
            }
            return reply.append("[[ ## completed ## ]]").toString();
        });
    }

    static MiproV2.Builder zeroShot() {
        return MiproV2.builder().metric(Fixtures.EXACT).maxBootstrappedDemos(0).maxLabeledDemos(0).concurrency(1);
    }

    @Test
    void autoPresetsUseDspysTrialCounts() {
        assertThat(MiproV2.recommendedTrials(1, false, 6)).isEqualTo(10);
        assertThat(MiproV2.recommendedTrials(1, false, 12)).isEqualTo(18);
        assertThat(MiproV2.recommendedTrials(1, false, 18)).isEqualTo(27);
        assertThat(MiproV2.recommendedTrials(1, true, 6)).isEqualTo(9);
        assertThat(MiproV2.recommendedTrials(3, true, 6)).isEqualTo(15);
        assertThat(MiproV2.Auto.MEDIUM.valsetSize).isEqualTo(300);
        assertThat(MiproV2.Auto.HEAVY.candidates).isEqualTo(18);
    }

    @Test
    void lightZeroShotProposesSixInstructionsAndRunsNineTrialsWithoutMinibatchesOnASmallValset() {
        // given: light, zero-shot, a valset of 20 (<= 50: no minibatches)
        ScriptedLm lm = lm(request -> Fixtures.number(Fixtures.question(request)) % 2 == 1);
        MiproV2 mipro = zeroShot().auto(MiproV2.Auto.LIGHT).seed(1).build();

        // when
        MiproResult result = mipro.search(Predict.of("question -> answer"), Fixtures.trainset(30),
                Fixtures.trainset(20), DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));

        // then: 6 candidates (the first the original), baseline plus 9 full-valset trials
        assertThat(result.instructionCandidates().get("self")).hasSize(6)
                .startsWith("Given the fields `question`, produce the fields `answer`.")
                .contains("proposal 2", "proposal 6");
        assertThat(result.trials()).hasSize(10).allMatch(MiproTrial::fullEvaluation);
        assertThat(result.trials()).extracting(MiproTrial::evaluationCallsSoFar)
                .containsExactly(20, 40, 60, 80, 100, 120, 140, 160, 180, 200);
        assertThat(result.bestScore()).isEqualTo(50.0);
        assertThat(result.demoCandidates().get("self")).hasSize(6);
        assertThat(result.demoCandidates().get("self").get(0)).isEmpty();
    }

    @Test
    void minibatchTrialsAreFollowedByPeriodicAndFinalFullEvaluationsNumberedAsDspy() {
        // given: 6 trials on minibatches of 3, a full evaluation every 5
        ScriptedLm lm = lm(request -> true);
        MiproV2 mipro = zeroShot().auto(MiproV2.Auto.OFF).numCandidates(3).numTrials(6).minibatchSize(3).build();

        // when
        MiproResult result = mipro.search(Predict.of("question -> answer"), Fixtures.trainset(4),
                Fixtures.trainset(10), DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));

        // then: trials 2-6 on minibatches, 7 full, 8 on a minibatch, 9 full (after the last trial)
        assertThat(result.trials()).extracting(MiproTrial::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(result.trials()).extracting(MiproTrial::fullEvaluation)
                .containsExactly(true, false, false, false, false, false, true, false, true);
        assertThat(result.trials()).extracting(MiproTrial::evaluationCallsSoFar)
                .containsExactly(10, 13, 16, 19, 22, 25, 35, 38, 48);
        assertThat(result.bestScore()).isEqualTo(100.0);
    }

    @Test
    void sameSeedSameLmGivesTheSameSearch() {
        MiproV2 mipro = zeroShot().auto(MiproV2.Auto.OFF).numCandidates(4).numTrials(12).minibatchSize(2).seed(5).build();
        List<List<Map<String, Integer>>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ScriptedLm lm = lm(request -> request.messages().get(0).text().contains("proposal 3"));
            runs.add(mipro.search(Predict.of("question -> answer"), Fixtures.trainset(6), Fixtures.trainset(5),
                    DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT)).trials().stream()
                    .map(MiproTrial::params).toList());
        }
        // 12 trials, the baseline, and full evaluations after trials 6, 12 and 14 (numbered as DSPy)
        assertThat(runs.get(0)).isEqualTo(runs.get(1)).hasSize(16);
    }

    @Test
    void theProgramGivenIsLeftUnchanged() {
        Predict program = Predict.of("question -> answer");
        ScriptedLm lm = lm(request -> request.messages().get(0).text().contains("proposal"));
        Module best = zeroShot().auto(MiproV2.Auto.OFF).numCandidates(3).numTrials(3).minibatch(false)
                .sampler(seed -> TrialSampler.replaying(List.of(Map.of("0_predictor_instruction", 2),
                        Map.of("0_predictor_instruction", 1), Map.of("0_predictor_instruction", 0))))
                .build().compile(program, Fixtures.trainset(4), Fixtures.trainset(3),
                        DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));

        assertThat(program.signature().instructions()).isEqualTo("Given the fields `question`, produce the fields `answer`.");
        assertThat(best.state().predictor("self").signature().instructions()).isEqualTo("proposal 3");
    }

    @Test
    void settingsAreValidatedWithTheConflictingSettingNamed() {
        assertThatThrownBy(() -> MiproV2.builder().build()).hasMessageContaining("metric(");
        assertThatThrownBy(() -> MiproV2.builder().metric(Fixtures.EXACT).numTrials(5).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("auto(LIGHT)")
                .hasMessageContaining("Auto.OFF");
        assertThatThrownBy(() -> MiproV2.builder().metric(Fixtures.EXACT).auto(MiproV2.Auto.OFF).numCandidates(6).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("numTrials");
        assertThatThrownBy(() -> MiproV2.builder().maxLabeledDemos(-1)).hasMessageContaining("maxLabeledDemos");
        assertThatThrownBy(() -> MiproV2.builder().minibatchSize(0)).hasMessageContaining("minibatchSize");
        assertThatThrownBy(() -> MiproV2.builder().initTemperature(Double.NaN)).hasMessageContaining("initTemperature");
    }

    @Test
    void datasetsTooSmallForTheSettingsAreRefusedBeforeAnyLmCall() {
        ScriptedLm lm = lm(request -> true);
        DspyContext context = DspyContext.of(lm);
        MiproV2 mipro = zeroShot().auto(MiproV2.Auto.OFF).numCandidates(3).numTrials(3).minibatchSize(35).build();

        assertThatThrownBy(() -> mipro.search(Predict.of("question -> answer"), Fixtures.trainset(4),
                Fixtures.trainset(10), context)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minibatchSize 35 exceeds the valset (10 examples)");
        assertThatThrownBy(() -> mipro.search(Predict.of("question -> answer"), List.of(), List.of(), context))
                .hasMessageContaining("non-empty trainset");
        assertThatThrownBy(() -> mipro.search(Predict.of("question -> answer"), Fixtures.trainset(1), List.of(),
                context)).hasMessageContaining("at least 2");
        assertThat(lm.callCount()).isZero();
    }

    @Test
    void withoutAValsetTheLastEightyPercentOfTheTrainsetIsScored() {
        ScriptedLm lm = lm(request -> true);
        MiproResult result = zeroShot().auto(MiproV2.Auto.OFF).numCandidates(3).numTrials(1).minibatch(false).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(10), List.of(),
                        DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));

        assertThat(result.trials().get(0).evaluationCallsSoFar()).isEqualTo(8);
    }

    @Test
    void theEstimateCountsBootstrapAndEvaluationRuns() {
        MiproV2 mipro = zeroShot().auto(MiproV2.Auto.OFF).numCandidates(3).numTrials(4).minibatch(false).build();
        LmCallEstimate estimate = mipro.estimate(Predict.of("question -> answer"), Fixtures.trainset(12),
                Fixtures.trainset(8));
        // the captured DSPy run: two bootstraps on 12 examples (10 runs, at most 24), 5 evaluations of 8
        assertThat(estimate.teacherRuns()).isEqualTo(24);
        assertThat(estimate.evaluationRuns()).isEqualTo(40);
    }

    @Test
    void fewShotModeSearchesDemoSetsBuiltAsDspyBuildsThem() {
        // given: 2 + 2 demos, 4 candidate sets, a sampler replaying (instruction 1, demo set 3), and
        // an LM right only when shown demos
        ScriptedLm lm = lm(request -> request.messages().size() > 2);
        List<Example> trainset = Fixtures.trainset(8);
        MiproV2 mipro = MiproV2.builder().metric(Fixtures.EXACT).maxBootstrappedDemos(2).maxLabeledDemos(2)
                .auto(MiproV2.Auto.OFF).numCandidates(4).numTrials(1).minibatch(false).seed(7).concurrency(1)
                .sampler(seed -> TrialSampler.replaying(List.of(
                        Map.of("0_predictor_instruction", 1, "0_predictor_demos", 3))))
                .build();

        // when
        MiproResult result = mipro.search(Predict.of("question -> answer"), trainset, Fixtures.trainset(3),
                DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));

        // then: zero-shot, labelled only, in-order bootstrap, shuffled bootstrap of randint(1, 2) demos
        List<List<Example>> sets = result.demoCandidates().get("self");
        assertThat(sets).hasSize(4);
        assertThat(sets.get(0)).isEmpty();
        assertThat(sets.get(1)).hasSize(2).noneMatch(d -> d.has("augmented"));
        assertThat(sets.get(2)).extracting(Fixtures::questionOf).containsExactly("q1", "q2");
        PythonRandom dspy = new PythonRandom(7);
        List<Example> shuffled = SeededSampling.shuffled(trainset, dspy);
        int size = dspy.randint(1, 2);
        assertThat(sets.get(3).subList(0, size)).extracting(Fixtures::questionOf)
                .containsExactlyElementsOf(shuffled.subList(0, size).stream().map(Fixtures::questionOf).toList());
        // one proposal per demo set; the trial uses set 3 and proposal 1
        assertThat(result.instructionCandidates().get("self")).hasSize(4);
        assertThat(result.trials()).extracting(MiproTrial::params).last()
                .isEqualTo(Map.of("0_predictor_instruction", 1, "0_predictor_demos", 3));
        assertThat(result.bestProgram().state().predictor("self").demos()).isEqualTo(sets.get(3));
    }

    @Test
    void aSamplerPickingOutsideTheSpaceIsReportedWithTheParameter() {
        ScriptedLm lm = lm(request -> true);
        MiproV2 mipro = zeroShot().auto(MiproV2.Auto.OFF).numCandidates(3).numTrials(1).minibatch(false)
                .sampler(seed -> new TrialSampler() {
                    @Override
                    public Map<String, Integer> next(Map<String, Integer> space) {
                        return Map.of("0_predictor_instruction", 7);
                    }

                    @Override
                    public void observe(Map<String, Integer> params, double score) {}
                }).build();

        assertThatThrownBy(() -> mipro.search(Predict.of("question -> answer"), Fixtures.trainset(4),
                Fixtures.trainset(3), DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("0_predictor_instruction=7, outside 0..2");
    }

    @Test
    void eachEvaluationIsAnOptimizerStepWithItsEvaluationUnderIt() {
        List<Span> started = new CopyOnWriteArrayList<>();
        ScriptedLm lm = lm(request -> true);
        DspyContext context = DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT)
                .withListener(new DspyListener() {
                    @Override
                    public void onStart(Span span) {
                        started.add(span);
                    }
                });

        zeroShot().auto(MiproV2.Auto.OFF).numCandidates(3).numTrials(2).minibatch(false).build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(4), Fixtures.trainset(3), context);

        List<Span> steps = started.stream()
                .filter(s -> s.kind() == SpanKind.OPTIMIZER_STEP && s.name().startsWith("trial "))
                .toList();
        assertThat(steps).extracting(Span::name).containsExactly("trial 1", "trial 2", "trial 3");
        assertThat(started).anyMatch(s -> s.kind() == SpanKind.EVALUATION
                && steps.get(2).id().equals(s.parentId()));
    }
}
