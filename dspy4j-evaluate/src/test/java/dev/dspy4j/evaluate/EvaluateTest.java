package dev.dspy4j.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.run.CancellationToken;
import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.RunListener;
import dev.dspy4j.run.RunProgress;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EvaluateTest {

    /** A program computed by a function, recording the threads it ran on. */
    static final class FunctionProgram extends Module {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        private final Function<Example, Prediction> body;

        FunctionProgram(Function<Example, Prediction> body) {
            this.body = body;
        }

        @Override
        protected Prediction forward(Example inputs) {
            threads.add(Thread.currentThread());
            return body.apply(inputs);
        }
    }

    static List<Example> questions(int n) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            examples.add(Example.of("question", "q" + i, "answer", "a" + i).withInputs("question"));
        }
        return examples;
    }

    static Prediction answer(String text) {
        return Prediction.of(Map.of("answer", text));
    }

    static final Metric EXACT = Metric.of((ex, pred) -> ex.get("answer").equals(pred.get("answer")));

    static Evaluate.Builder quiet(List<Example> devset) {
        return Evaluate.builder().devset(devset).metric(EXACT);
    }

    @Test
    void scoresEveryExampleAsAPercentageRoundedToTwoDecimals() {
        FunctionProgram program = new FunctionProgram(in -> answer(in.get("question").equals("q2") ? "wrong"
                : "a" + in.getString("question").substring(1)));

        EvaluationResult result = quiet(questions(3)).build().run(program, DspyContext.empty());

        assertThat(result.score()).isEqualTo(66.67);
        assertThat(result.total()).isEqualTo(3);
        assertThat(result.errors()).isZero();
        assertThat(result.results()).extracting(ExampleResult::index).containsExactly(0, 1, 2);
        assertThat(result.results()).extracting(ExampleResult::score).containsExactly(1.0, 1.0, 0.0);
        assertThat(result.results().get(0).prediction().get("answer")).isEqualTo("a0");
    }

    @Test
    void roundsHalfToEvenOnTheExactBinaryValueLikePython() {
        assertThat(EvaluationResult.percent(2, 3)).isEqualTo(66.67);
        assertThat(EvaluationResult.percent(1, 800)).isEqualTo(0.12);   // round(0.125, 2) == 0.12
        assertThat(EvaluationResult.percent(3, 800)).isEqualTo(0.38);   // round(0.375, 2) == 0.38
        assertThat(EvaluationResult.percent(1, 3)).isEqualTo(33.33);
    }

    @Test
    void reportsEachMetricSeparatelyWithTheFirstAsPrimary() {
        FunctionProgram program = new FunctionProgram(in -> answer("a0"));
        EvaluationResult result = Evaluate.builder().devset(questions(4))
                .metric("accuracy", EXACT)
                .metric("brevity", Metric.ofScore((ex, pred) -> 0.5))
                .build().run(program, DspyContext.empty());

        assertThat(result.score()).isEqualTo(25.0);
        assertThat(result.scores()).containsExactly(Map.entry("accuracy", 25.0), Map.entry("brevity", 50.0));
        assertThat(result.results().get(0).scores()).containsEntry("brevity", Score.of(0.5));
    }

    @Test
    void callsMetricsInEvaluationModeAndKeepsEachExamplesFeedback() {
        List<MetricContext.Mode> modes = new CopyOnWriteArrayList<>();
        Metric explaining = (ex, pred, context) -> {
            modes.add(context.mode());
            boolean right = ex.get("answer").equals(pred.get("answer"));
            return Score.of(right ? 1.0 : 0.0, right ? "" : "expected " + ex.get("answer"));
        };

        EvaluationResult result = Evaluate.builder().devset(questions(3)).metric(explaining).build()
                .run(new FunctionProgram(in -> answer("a0")), DspyContext.empty());

        assertThat(modes).hasSize(3).containsOnly(MetricContext.Mode.EVALUATION);
        assertThat(result.results()).extracting(ExampleResult::feedback).containsExactly("", "expected a1", "expected a2");
        assertThat(result.results().get(1).scores()).containsEntry("score", Score.of(0.0, "expected a1"));
        assertThat(result.score()).isEqualTo(33.33);
    }

    @Test
    void runsExamplesInParallelButNeverMoreThanTheConcurrency() {
        CountDownLatch fourRunning = new CountDownLatch(4);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        FunctionProgram program = new FunctionProgram(in -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                fourRunning.countDown();
                if (!fourRunning.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("examples did not overlap");
                }
                return answer("a" + in.getString("question").substring(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        });

        EvaluationResult result = quiet(questions(24)).concurrency(4).build().run(program, DspyContext.empty());

        assertThat(result.errors()).isZero();
        assertThat(result.score()).isEqualTo(100.0);
        assertThat(maxRunning.get()).isEqualTo(4);
    }

    @Test
    void scoresAFailingExampleWithTheFailureScoreAndRecordsTheError() {
        FunctionProgram program = new FunctionProgram(in -> {
            if (in.get("question").equals("q1")) {
                throw new IllegalStateException("boom");
            }
            return answer("a" + in.getString("question").substring(1));
        });
        Metric failingMetric = (ex, pred, context) -> {
            if (ex.get("question").equals("q2")) {
                throw new IllegalArgumentException("metric broke");
            }
            return EXACT.score(ex, pred, context);
        };

        EvaluationResult result = Evaluate.builder().devset(questions(4)).metric(failingMetric)
                .failureScore(0.5).build().run(program, DspyContext.empty());

        assertThat(result.errors()).isEqualTo(2);
        assertThat(result.score()).isEqualTo(75.0);   // (1 + 0.5 + 0.5 + 1) / 4
        ExampleResult failed = result.results().get(1);
        assertThat(failed.prediction()).isNull();
        assertThat(failed.error()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(failed.score()).isEqualTo(0.5);
        assertThat(result.results().get(2).error()).hasMessage("metric broke");
    }

    @Test
    void stopsAtTheMaxErrorsThFailureAndInterruptsRunningExamples() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean blockedWasInterrupted = new AtomicBoolean();
        AtomicInteger started = new AtomicInteger();
        FunctionProgram program = new FunctionProgram(in -> {
            started.incrementAndGet();
            if (in.get("question").equals("q0")) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    blockedWasInterrupted.set(true);
                    throw new IllegalStateException("interrupted", e);
                }
            }
            throw new IllegalStateException("failure of " + in.get("question"));
        });

        assertThatThrownBy(() -> quiet(questions(50)).concurrency(2).maxErrors(3).build()
                .run(program, DspyContext.empty()))
                .isInstanceOfSatisfying(EvaluationCancelledException.class, e -> {
                    assertThat(e.interrupted()).isFalse();
                    assertThat(e.failures()).hasSize(3);
                    assertThat(e.total()).isEqualTo(50);
                    assertThat(e.getMessage()).contains("maxErrors=3").contains("failure of q1");
                });
        assertThat(blockedWasInterrupted).isTrue();
        assertThat(started.get()).isLessThan(50);
        assertThat(program.threads).isNotEmpty().noneMatch(Thread::isAlive);
    }

    @Test
    void countsAnExamplePastItsDeadlineAsFailedAndInterruptsIt() {
        AtomicBoolean slowWasInterrupted = new AtomicBoolean();
        FunctionProgram program = new FunctionProgram(in -> {
            if (in.get("question").equals("q1")) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    slowWasInterrupted.set(true);
                    throw new IllegalStateException(e);
                }
            }
            return answer("a" + in.getString("question").substring(1));
        });

        EvaluationResult result = quiet(questions(3)).perExampleTimeout(Duration.ofMillis(200)).build()
                .run(program, DspyContext.empty());

        assertThat(result.errors()).isEqualTo(1);
        assertThat(result.results().get(1).error()).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("perExampleTimeout");
        assertThat(result.results().get(0).score()).isEqualTo(1.0);
        assertThat(slowWasInterrupted).isTrue();
        assertThat(program.threads).isNotEmpty().noneMatch(Thread::isAlive);
    }

    @Test
    void interruptingTheCallerCancelsRunningExamplesAndLeavesNoThreadBehind() throws Exception {
        CountDownLatch twoStarted = new CountDownLatch(2);
        AtomicInteger interruptedExamples = new AtomicInteger();
        FunctionProgram program = new FunctionProgram(in -> {
            twoStarted.countDown();
            try {
                new CountDownLatch(1).await();
                return answer("never");
            } catch (InterruptedException e) {
                interruptedExamples.incrementAndGet();
                throw new IllegalStateException(e);
            }
        });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptStatusKept = new AtomicBoolean();
        Evaluate evaluate = quiet(questions(10)).concurrency(2).build();
        AtomicBoolean workersAliveOnReturn = new AtomicBoolean(true);
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                evaluate.run(program, DspyContext.empty());
            } catch (Throwable e) {
                workersAliveOnReturn.set(program.threads.stream().anyMatch(Thread::isAlive));
                thrown.set(e);
                interruptStatusKept.set(Thread.currentThread().isInterrupted());
            }
        });

        assertThat(twoStarted.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(10_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOfSatisfying(EvaluationCancelledException.class,
                e -> assertThat(e.interrupted()).isTrue());
        assertThat(interruptStatusKept).isTrue();
        assertThat(interruptedExamples.get()).isEqualTo(2);
        assertThat(program.threads).hasSize(2);
        assertThat(workersAliveOnReturn).isFalse();
    }

    @Test
    void sumsTheUsageOfEveryExampleAndOfTheRun() {
        ScriptedLm lm = ScriptedLm.responding(request -> new LmResponse(
                List.of(Choice.of(ScriptedLm.chatCompletion(Map.of("answer", "a0")))),
                new Usage(10, 5), "test-model", false));
        Predict program = Predict.of("question -> answer");

        EvaluationResult result = quiet(questions(3)).build().run(program, DspyContext.of(lm));

        assertThat(result.score()).isEqualTo(33.33);
        assertThat(result.results()).extracting(ExampleResult::usage).containsOnly(new Usage(10, 5));
        assertThat(result.usage().total().usage()).isEqualTo(new Usage(30, 15));
        assertThat(result.usage().total().calls()).isEqualTo(3);
    }

    @Test
    void neverChangesTheProgram() {
        Predict program = Predict.of("question -> answer");
        var before = program.state();
        ScriptedLm lm = ScriptedLm.withOutputs(Map.of("answer", "a0"));

        quiet(questions(2)).build().run(program, DspyContext.of(lm));

        assertThat(program.state()).isEqualTo(before);
    }

    @Test
    void aProgressBarIsARunListenerShowingDspysRunningScore() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FunctionProgram program = new FunctionProgram(in -> answer("a0"));

        quiet(questions(2)).listener(ProgressBars.to(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .build().run(program, DspyContext.empty());

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Evaluate")
                .contains("2/2")
                .contains("Average Metric: 1.00 / 2 (50.0%) errors: 0");
    }

    @Test
    void theTerminalProgressBarDrawsNothingWhenOutputIsNotATerminal() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();   // tests run without a console

        quiet(questions(2)).listener(ProgressBars.terminal(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .build().run(new FunctionProgram(in -> answer("a0")), DspyContext.empty());

        assertThat(out.size()).isZero();
    }

    @Test
    void listenersHearEveryExampleOfTheRun() {
        List<String> events = new CopyOnWriteArrayList<>();
        RunListener recorder = new RunListener() {
            @Override
            public void onItemFailed(RunProgress run, ItemResult.Failed<?> result) {
                events.add("failed " + result.index());
            }

            @Override
            public void onRunFinished(RunProgress run, RunResult<?> result) {
                events.add(run.name() + " " + run.finished() + "/" + run.total() + " " + run.note());
            }
        };
        FunctionProgram program = new FunctionProgram(in -> {
            if (in.get("question").equals("q1")) {
                throw new IllegalStateException("boom");
            }
            return answer("a" + in.getString("question").substring(1));
        });

        quiet(questions(3)).concurrency(1).listener(recorder).build().run(program, DspyContext.empty());

        assertThat(events).containsExactly("failed 1", "Evaluate 3/3 Average Metric: 2.00 / 3 (66.7%) errors: 1");
    }

    @Test
    void cancellingTheTokenStopsTheRunAndLeavesNoThreadBehind() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CancellationToken token = CancellationToken.create();
        FunctionProgram program = new FunctionProgram(in -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
                return answer("never");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread canceller = Thread.ofPlatform().start(() -> {
            try {
                started.await();
                token.cancel();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThatThrownBy(() -> quiet(questions(10)).concurrency(2).build().run(program, DspyContext.empty(), token))
                .isInstanceOfSatisfying(EvaluationCancelledException.class, e -> {
                    assertThat(e.interrupted()).isFalse();
                    assertThat(e.failures()).isEmpty();
                    assertThat(e.getMessage()).contains("CancellationToken");
                });
        canceller.join();
        assertThat(program.threads).hasSize(2).noneMatch(Thread::isAlive);
    }

    @Test
    void scoresAnEmptyDevsetZero() {
        EvaluationResult result = quiet(List.of()).build().run(new FunctionProgram(in -> answer("x")),
                DspyContext.empty());

        assertThat(result.score()).isZero();
        assertThat(result.total()).isZero();
    }

    @Test
    void rejectsInvalidSettingsAsTheyAreSet() {
        assertThatThrownBy(() -> Evaluate.builder().concurrency(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> Evaluate.builder().maxErrors(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxErrors");
        assertThatThrownBy(() -> Evaluate.builder().perExampleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perExampleTimeout");
        assertThatThrownBy(() -> Evaluate.builder().metric(EXACT).metric(EXACT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'score'");
        assertThatThrownBy(() -> Evaluate.builder().devset(questions(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("metric");
        assertThatThrownBy(() -> Evaluate.builder().metric(EXACT).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("devset");
    }
}
