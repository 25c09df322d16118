package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.RunListener;
import dev.dspy4j.run.RunProgress;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.RunStatus;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every instruction optimizer honours a hard {@link Budget} (task, proposal and reflection calls
 * alike) and reports its progress to {@link RunListener}s. All run single-threaded, so no call is
 * in flight when the budget runs out and the limit is exact.
 */
class OptimizerBudgetsAndProgressTest {

    private static final List<Example> TRAIN = Fixtures.trainset(8);

    /** What a run under test spent and returned. */
    private record Outcome(int lmCalls, boolean budgetExhausted, Module best, Module given, long estimate) {}

    /** Records what a listener hears: the finished count of each step, and the final status. */
    private static final class Recorder implements RunListener {
        final List<Integer> finished = new ArrayList<>();
        int total = -1;
        RunStatus status;
        int finishedAtEnd = -1;

        @Override
        public void onRunStarted(RunProgress run) {
            total = run.total();
        }

        @Override
        public void onItemSucceeded(RunProgress run, ItemResult.Succeeded<?> result) {
            finished.add(run.finished());
        }

        @Override
        public void onRunFinished(RunProgress run, RunResult<?> result) {
            status = result.status();
            finishedAtEnd = run.finished();
        }
    }

    // ------------------------------------------------------------------ the optimizers under test

    /** One LM for the task, the proposals and the summaries: MiproV2Test's. */
    private static Outcome mipro(Budget budget, RunListener listener) {
        ScriptedLm lm = MiproV2Test.lm(request -> request.messages().get(0).text().contains("proposal 2"));
        Module program = Predict.of("question -> answer");
        MiproV2 mipro = MiproV2Test.zeroShot().auto(MiproV2.Auto.OFF).numCandidates(3).numTrials(4)
                .minibatch(false).seed(1).budget(budget).listener(listener).build();
        List<Example> val = Fixtures.trainset(12).subList(8, 12);
        MiproResult result = mipro.search(program, TRAIN, val, DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));
        assertThat(result.report().toHtml()).isNotEmpty(); // also for a run cut short
        return new Outcome(lm.callCount(), result.budgetExhausted(), result.bestProgram(), program,
                mipro.estimate(program, TRAIN, val).lmCalls());
    }

    private static Outcome simba(Budget budget, RunListener listener) {
        ScriptedLm task = Fixtures.answering(request -> {
            Integer rollout = request.options().rolloutId();
            return (Fixtures.number(Fixtures.question(request)) + (rollout == null ? 0 : rollout)) % 2 == 0;
        });
        ScriptedLm prompt = ScriptedLm.answering(request -> "[[ ## discussion ## ]]\nGuessed.\n\n"
                + "[[ ## module_advice ## ]]\n{\"self\": \"Copy the number.\"}\n\n[[ ## completed ## ]]");
        Module program = Predict.of("question -> answer");
        Simba simba = Simba.builder().metric(Fixtures.EXACT).bsize(4).numCandidates(2).maxSteps(3)
                .numThreads(1).promptModel(prompt).budget(budget).listener(listener).build();
        SimbaResult result = simba.optimize(program, TRAIN, DspyContext.of(task));
        assertThat(result.report().toHtml()).isNotEmpty(); // also for a run cut short
        return new Outcome(task.callCount() + prompt.callCount(), result.budgetExhausted(), result.bestProgram(),
                program, simba.estimate(program, TRAIN, List.of()).lmCalls());
    }

    private static Outcome gepa(Budget budget, RunListener listener) {
        ScriptedLm task = Fixtures.answering(request -> request.messages().get(0).text().contains("[good]")
                || Fixtures.number(Fixtures.question(request)) % 2 == 1);
        ScriptedLm reflection = ScriptedLm.answering(request -> "Try this:\n```\nAnswer exactly [good]\n```");
        Module program = Predict.of("question -> answer");
        Gepa gepa = Gepa.builder().metric(Fixtures.EXACT).reflectionLm(reflection).maxMetricCalls(30)
                .budget(budget).listener(listener).build();
        List<Example> val = Fixtures.trainset(12).subList(8, 12);
        GepaResult result = gepa.optimize(program, TRAIN, val, DspyContext.of(task));
        assertThat(result.report().toHtml()).isNotEmpty(); // also for a run cut short
        return new Outcome(task.callCount() + reflection.callCount(), result.budgetExhausted(), result.bestProgram(),
                program, gepa.estimate(program, TRAIN, val).lmCalls());
    }

    /** A prompt model that always returns as many proposals as asked for, numbered. */
    private static Outcome copro(Budget budget, RunListener listener) {
        int[] proposals = {0};
        ScriptedLm prompt = ScriptedLm.responding(request -> {
            List<String> texts = new ArrayList<>();
            int n = request.options().n() == null ? 1 : request.options().n();
            for (int i = 0; i < n; i++) {
                Map<String, Object> outputs = new LinkedHashMap<>();
                outputs.put("proposed_instruction", "Answer, take " + (++proposals[0]) + ".");
                outputs.put("proposed_prefix_for_output_field", "Answer:");
                texts.add(ScriptedLm.chatCompletion(outputs));
            }
            return LmResponse.ofTexts(texts);
        });
        ScriptedLm task = Fixtures.oddCorrect();
        Module program = Predict.of("question -> answer");
        Copro copro = Copro.builder().metric(Fixtures.EXACT).promptModel(prompt).breadth(3).depth(2)
                .evaluationConcurrency(1).budget(budget).listener(listener).build();
        CoproResult result = copro.optimize(program, TRAIN, DspyContext.of(task));
        assertThat(result.report().toHtml()).isNotEmpty(); // also for a run cut short
        return new Outcome(task.callCount() + prompt.callCount(), result.budgetExhausted(), result.bestProgram(),
                program, copro.estimate(program, TRAIN, List.of()).lmCalls());
    }

    // ------------------------------------------------------------------ budgets

    @Test
    void miproV2StopsWithinABudgetOfLmCallsWithTheBestProgramSoFar() {
        assertStopsWithinEveryBudget((budget, listener) -> mipro(budget, listener));
    }

    @Test
    void simbaStopsWithinABudgetOfLmCallsWithTheBestProgramSoFar() {
        assertStopsWithinEveryBudget((budget, listener) -> simba(budget, listener));
    }

    @Test
    void gepaStopsWithinABudgetOfLmCallsCountingReflectionCalls() {
        assertStopsWithinEveryBudget((budget, listener) -> gepa(budget, listener));
    }

    @Test
    void coproStopsWithinABudgetOfLmCallsCountingProposalCalls() {
        assertStopsWithinEveryBudget((budget, listener) -> copro(budget, listener));
    }

    private interface Run {
        Outcome run(Budget budget, RunListener listener);
    }

    /**
     * The estimate bounds the calls of an unlimited run; given those, a budget of N calls, for N from 1 to one less than them,
     * stops the run after at most N calls, flags it, and returns a program that still runs; the
     * program given is untouched.
     */
    private static void assertStopsWithinEveryBudget(Run optimizer) {
        Outcome unlimited = optimizer.run(Budget.unlimited(), new RunListener() {});
        assertThat(unlimited.budgetExhausted()).isFalse();
        int total = unlimited.lmCalls();
        assertThat(total).isGreaterThan(2).isLessThanOrEqualTo((int) unlimited.estimate()); // an upper bound
        IntFunction<Integer> step = n -> Math.max(1, total / 7);
        for (int n = 1; n < total; n += step.apply(n)) {
            Outcome cut = optimizer.run(Budget.ofLmCalls(n), new RunListener() {});
            assertThat(cut.lmCalls()).as("LM calls with a budget of %d", n).isLessThanOrEqualTo(n);
            assertThat(cut.budgetExhausted()).as("flag with a budget of %d", n).isTrue();
            assertThat(cut.best()).isNotNull().isNotSameAs(null);
            assertThat(cut.best().call(Map.of("question", "q1"), DspyContext.of(Fixtures.oddCorrect())).get("answer"))
                    .isEqualTo("a1");
            assertThat(cut.given().state()).isEqualTo(Predict.of("question -> answer").state());
        }
        Outcome enough = optimizer.run(Budget.ofLmCalls(total), new RunListener() {});
        assertThat(enough.lmCalls()).isEqualTo(total);
        assertThat(enough.budgetExhausted()).isFalse();
        assertThat(enough.best().state()).isEqualTo(unlimited.best().state()); // a budget not reached changes nothing
    }

    // ------------------------------------------------------------------ progress

    @Test
    void everyOptimizerReportsStepsOneByOneEndingDone() {
        for (Run optimizer : List.<Run>of(OptimizerBudgetsAndProgressTest::mipro,
                OptimizerBudgetsAndProgressTest::simba, OptimizerBudgetsAndProgressTest::gepa,
                OptimizerBudgetsAndProgressTest::copro)) {
            Recorder recorder = new Recorder();
            optimizer.run(Budget.unlimited(), recorder);
            assertThat(recorder.total).isPositive();
            assertThat(recorder.finished).hasSize(recorder.total);
            for (int i = 0; i < recorder.finished.size(); i++) {
                assertThat(recorder.finished.get(i)).isEqualTo(i + 1);
            }
            assertThat(recorder.status).isEqualTo(RunStatus.COMPLETED);
            assertThat(recorder.finishedAtEnd).isEqualTo(recorder.total);
        }
    }

    @Test
    void aRunStoppedByTheBudgetEndsItsProgressCancelled() {
        Recorder recorder = new Recorder();
        Outcome cut = mipro(Budget.ofLmCalls(40), recorder);

        assertThat(cut.budgetExhausted()).isTrue();
        assertThat(recorder.status).isEqualTo(RunStatus.CANCELLED);
        assertThat(recorder.finishedAtEnd).isLessThan(recorder.total);
    }
}
