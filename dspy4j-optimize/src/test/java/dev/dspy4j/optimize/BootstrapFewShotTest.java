package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.ProgressBars;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.module.Retrieve;
import dev.dspy4j.retrieve.Passage;
import dev.dspy4j.retrieve.Retriever;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapFewShotTest {

    private static List<Example> demos(Module compiled) {
        return compiled.state().predictor("self").demos();
    }

    @Test
    void successfulTracesBecomeAugmentedDemosInTrainsetOrderFollowedByLabeledOnes() {
        Predict program = Predict.of("question -> answer");
        ProgramState before = program.state();
        List<Example> train = Fixtures.trainset(6);
        ScriptedLm lm = Fixtures.oddCorrect();

        Module compiled = BootstrapFewShot.builder().metric(Fixtures.EXACT)
                .maxBootstrappedDemos(2).maxLabeledDemos(4).build()
                .compile(program, train, DspyContext.of(lm));

        assertThat(program.state()).isEqualTo(before);
        assertThat(program.demos()).isEmpty();
        List<Example> demos = demos(compiled);
        assertThat(demos).hasSize(4);
        assertThat(demos.subList(0, 2)).containsExactly(Fixtures.demo(1), Fixtures.demo(3));
        assertThat(demos.subList(2, 4)).doesNotHaveDuplicates()
                .allSatisfy(d -> assertThat(d.has("augmented")).isFalse())
                .isSubsetOf(train.get(1), train.get(3), train.get(4), train.get(5));
    }

    @Test
    void eachTeacherRunLeavesItsOwnExampleOutOfTheTeachersLabeledDemos() {
        ScriptedLm lm = Fixtures.oddCorrect();

        BootstrapFewShot.builder().metric(Fixtures.EXACT).maxBootstrappedDemos(1).concurrency(1).build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(6), DspyContext.of(lm));

        LmRequest first = lm.requests().get(0);
        assertThat(Fixtures.question(first)).isEqualTo("q1");
        // system + 5 demo pairs (6 labelled minus the example itself) + the question
        assertThat(first.messages()).hasSize(1 + 2 * 5 + 1);
        assertThat(first.messages().subList(1, 11)).noneMatch(m -> m.text().contains("q1\n"));
    }

    @Test
    void withoutSuccessesEveryPredictorGetsLabeledDemosOnly() {
        ScriptedLm lm = Fixtures.answering(request -> false);

        Module compiled = BootstrapFewShot.builder().metric(Fixtures.EXACT).maxLabeledDemos(3).build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(6), DspyContext.of(lm));

        assertThat(demos(compiled)).hasSize(3).doesNotHaveDuplicates()
                .allSatisfy(d -> assertThat(d.has("augmented")).isFalse());
        assertThat(lm.callCount()).isEqualTo(6);
    }

    @Test
    void laterRoundsUseARolloutIdAndTemperatureOne() {
        ScriptedLm lm = Fixtures.answering(request -> Integer.valueOf(2).equals(request.options().rolloutId()));

        Module compiled = BootstrapFewShot.builder().metric(Fixtures.EXACT).maxRounds(3)
                .maxBootstrappedDemos(1).maxLabeledDemos(1).concurrency(1).build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(3), DspyContext.of(lm));

        assertThat(lm.requests()).hasSize(3);
        assertThat(lm.requests()).map(r -> r.options().rolloutId()).containsExactly(null, 1, 2);
        assertThat(lm.requests()).map(r -> r.options().temperature()).containsExactly(null, 1.0, 1.0);
        assertThat(demos(compiled)).containsExactly(Fixtures.demo(1));
    }

    @Test
    void aMetricThresholdDecidesWhichRunsSucceed() {
        Metric half = (ex, pred, context) -> Score.of(0.5);
        List<Example> train = Fixtures.trainset(4);

        Module strict = BootstrapFewShot.builder().metric(half).metricThreshold(0.6).maxLabeledDemos(0).build()
                .compile(Predict.of("question -> answer"), train, DspyContext.of(Fixtures.oddCorrect()));
        Module lenient = BootstrapFewShot.builder().metric(half).maxLabeledDemos(0).maxBootstrappedDemos(2).build()
                .compile(Predict.of("question -> answer"), train, DspyContext.of(Fixtures.oddCorrect()));

        assertThat(demos(strict)).isEmpty();
        assertThat(demos(lenient)).hasSize(2).allSatisfy(d -> assertThat(d.get("augmented")).isEqualTo(true));
    }

    @Test
    void theMetricIsCalledInBootstrapModeWithTheRunsTrace() {
        List<Integer> traceSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        Metric recording = (ex, pred, context) -> {
            assertThat(context.mode()).isEqualTo(MetricContext.Mode.BOOTSTRAP);
            List<TraceStep> trace = ((MetricContext.Bootstrap) context).trace();
            traceSizes.add(trace.size());
            assertThat(trace.get(0).outputs()).isEqualTo(pred);
            return Score.of(1.0);
        };

        BootstrapFewShot.builder().metric(recording).maxBootstrappedDemos(2).concurrency(1).build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(4), DspyContext.of(Fixtures.oddCorrect()));

        assertThat(traceSizes).containsExactly(1, 1);
    }

    @Test
    void theMaxErrorsThFailingRunIsRethrownAndEarlierOnesAreSkipped() {
        ScriptedLm lm = ScriptedLm.answering(request -> {
            int n = Fixtures.number(Fixtures.question(request));
            if (n == 2 || n == 4) {
                throw new DspyException("boom " + n);
            }
            return Fixtures.reply("a" + n);
        });
        List<Example> train = Fixtures.trainset(6);
        BootstrapFewShot.Builder builder = BootstrapFewShot.builder().metric(Fixtures.EXACT)
                .maxBootstrappedDemos(10).maxLabeledDemos(0);

        assertThatThrownBy(() -> builder.maxErrors(2).build()
                .compile(Predict.of("question -> answer"), train, DspyContext.of(lm)))
                .hasMessageContaining("boom 4");
        Module compiled = builder.maxErrors(3).build().compile(Predict.of("question -> answer"), train, DspyContext.of(lm));
        assertThat(demos(compiled)).containsExactly(Fixtures.demo(1), Fixtures.demo(3), Fixtures.demo(5), Fixtures.demo(6));
    }

    static final class Twice extends Module {
        final Predict step = Predict.of("question -> answer");

        @Override
        protected Prediction forward(Example inputs) {
            step.call(inputs.toMap());
            return step.call(Map.of("question", inputs.get("question") + "b"));
        }
    }

    @Test
    void aPredictorThatRanSeveralTimesKeepsOneStepPerExample() {
        ScriptedLm lm = ScriptedLm.answering(request -> Fixtures.reply("x"));

        Module compiled = BootstrapFewShot.builder().maxBootstrappedDemos(3).maxLabeledDemos(0).build()
                .compile(new Twice(), Fixtures.trainset(5), DspyContext.of(lm));

        List<Example> demos = compiled.state().predictor("step").demos();
        assertThat(demos).hasSize(3);
        assertThat(demos).map(d -> d.get("question").toString())
                .allSatisfy(q -> assertThat(q).matches("q[123]b?"));
    }

    @Test
    void theSameSeedGivesTheSameDemosWhateverTheConcurrency() {
        List<Example> train = Fixtures.trainset(12);
        BootstrapFewShot.Builder builder = BootstrapFewShot.builder().metric(Fixtures.EXACT)
                .maxBootstrappedDemos(3).maxLabeledDemos(6).seed(42);

        ProgramState parallel = builder.concurrency(8).build()
                .compile(Predict.of("question -> answer"), train, DspyContext.of(Fixtures.oddCorrect())).state();
        ProgramState sequential = builder.concurrency(1).build()
                .compile(Predict.of("question -> answer"), train, DspyContext.of(Fixtures.oddCorrect())).state();

        assertThat(parallel).isEqualTo(sequential);
        assertThat(parallel.predictor("self").demos().subList(0, 3))
                .containsExactly(Fixtures.demo(1), Fixtures.demo(3), Fixtures.demo(5));
    }

    @Test
    void aTeacherProgramIsUsedAsIsWhenItHasDemos() {
        Predict teacher = Predict.of("question -> answer").withDemos(List.of(Example.of("question", "t", "answer", "t")));
        ScriptedLm lm = Fixtures.oddCorrect();

        BootstrapFewShot.builder().metric(Fixtures.EXACT).teacher(teacher).maxBootstrappedDemos(1).concurrency(1).build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(3), DspyContext.of(lm));

        assertThat(lm.requests().get(0).messages()).hasSize(1 + 2 + 1);
    }

    @Test
    void aProgressBarListenerShowsDemosAndLmCalls() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        BootstrapFewShot.builder().metric(Fixtures.EXACT).maxBootstrappedDemos(2).concurrency(1)
                .listener(ProgressBars.to(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)))
                .build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(4), DspyContext.of(Fixtures.answering(r -> true)));

        String shown = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(shown).contains("Bootstrap", "2/4", "demos: 2/2", "LM calls: 2");
    }

    @Test
    void withoutBudgetOrListenerBootstrapReportsAFullRun() {
        BootstrapFewShot optimizer = BootstrapFewShot.builder().metric(Fixtures.EXACT)
                .maxBootstrappedDemos(2).maxLabeledDemos(4).build();

        BootstrapResult result = optimizer.bootstrap(Predict.of("question -> answer"), Fixtures.trainset(6),
                DspyContext.of(Fixtures.oddCorrect()));
        Module compiled = BootstrapFewShot.builder().metric(Fixtures.EXACT).maxBootstrappedDemos(2).maxLabeledDemos(4)
                .build().compile(Predict.of("question -> answer"), Fixtures.trainset(6), DspyContext.of(Fixtures.oddCorrect()));

        assertThat(result.budgetExhausted()).isFalse();
        assertThat(result.bootstrapped()).isEqualTo(2);
        assertThat(result.errors()).isZero();
        assertThat(result.program().state()).isEqualTo(compiled.state());
        assertThat(optimizer.toBuilder().build().toString()).doesNotContain("budget");
    }

    @Test
    void estimatesTrainTimesRoundsRuns() {
        LmCallEstimate estimate = BootstrapFewShot.builder().maxRounds(2).build()
                .estimate(new Twice(), Fixtures.trainset(6), List.of());

        assertThat(estimate.teacherRuns()).isEqualTo(12);
        assertThat(estimate.lmCalls()).isEqualTo(12);
    }

    /** A RAG program: retrieve passages for the question, then answer from them. */
    static final class Rag extends Module {
        final Retrieve retrieve = new Retrieve(2);
        final Predict answer = Predict.of("context: list[str], question -> answer");

        @Override
        protected Prediction forward(Example inputs) {
            Object passages = retrieve.call(Map.of("query", inputs.get("question"))).get("passages");
            return answer.call(Map.of("context", passages, "question", inputs.get("question")));
        }
    }

    @Test
    void aCompiledProgramKeepsItsRetrievesKAndSavesIt() {
        // given: a RAG program whose state sets k = 4 (the code says 2)
        Module program = new Rag();
        program = program.withState(program.state().withRetrieveK("retrieve", 4));
        List<Integer> ks = new java.util.concurrent.CopyOnWriteArrayList<>();
        Retriever retriever = (query, k) -> {
            ks.add(k);
            return java.util.stream.IntStream.range(0, k).mapToObj(i -> Passage.of("p" + i, query + " #" + i)).toList();
        };

        // when
        Module compiled = BootstrapFewShot.builder().metric(Fixtures.EXACT).maxBootstrappedDemos(2).build()
                .compile(program, Fixtures.trainset(4), DspyContext.of(Fixtures.oddCorrect()).withRetriever(retriever));

        // then: the teacher searched with k = 4, and the compiled program keeps it and saves it as DSPy does
        assertThat(ks).isNotEmpty().containsOnly(4);
        assertThat(compiled.state().retrieveK("retrieve")).isEqualTo(4);
        assertThat(compiled.state().predictor("answer").demos()).isNotEmpty();
        assertThat(compiled.state().toJson()).startsWith("{\n  \"retrieve\": {\n    \"k\": 4\n  },\n  \"answer\": {");
    }
}
