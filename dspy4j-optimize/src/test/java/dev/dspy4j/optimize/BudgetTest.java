package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.usage.PriceTable;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetTest {

    private static ScriptedLm costing(long tokens) {
        return ScriptedLm.responding(request -> new LmResponse(
                List.of(Choice.of(Fixtures.reply("a" + Fixtures.number(Fixtures.question(request))))),
                new Usage(tokens, 0), "priced-model", false));
    }

    @Test
    void aTokenBudgetStopsTheSearchOnceSpent() {
        ScriptedLm lm = costing(100);

        OptimizationResult result = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(2).concurrency(1).evaluationConcurrency(1)
                .budget(Budget.unlimited().withMaxTokens(500)).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(3), List.of(), DspyContext.of(lm));

        assertThat(result.budgetExhausted()).isTrue();
        assertThat(lm.callCount()).isEqualTo(5);
        assertThat(result.candidates()).map(Candidate::seed).containsExactly(-3);
    }

    @Test
    void aCostBudgetPricesCallsWithItsTable() {
        ScriptedLm lm = costing(1_000_000).withModel("priced-model");
        Budget dollars = Budget.unlimited().withMaxCost(new BigDecimal("2"))
                .withPrices(PriceTable.empty().with("priced-model", "1", "1"));

        OptimizationResult result = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(1).concurrency(1).evaluationConcurrency(1).budget(dollars).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(3), List.of(), DspyContext.of(lm));

        assertThat(result.budgetExhausted()).isTrue();
        assertThat(lm.callCount()).isEqualTo(2);
        assertThat(result.candidates()).isEmpty();
        assertThat(result.bestScore()).isNaN();
        assertThat(result.bestProgram().state().predictor("self").demos()).isEmpty();
    }

    @Test
    void aBudgetStopsABootstrapCleanlyWithTheDemosFoundSoFarThenLabeledOnes() {
        ScriptedLm lm = Fixtures.oddCorrect();
        List<Example> train = Fixtures.trainset(6);
        BootstrapFewShot optimizer = BootstrapFewShot.builder().metric(Fixtures.EXACT)
                .maxBootstrappedDemos(4).maxLabeledDemos(4).concurrency(1).budget(Budget.ofLmCalls(3)).build();

        BootstrapResult result = optimizer.bootstrap(Predict.of("question -> answer"), train, DspyContext.of(lm));

        assertThat(result.budgetExhausted()).isTrue();
        assertThat(result.bootstrapped()).isEqualTo(2);
        assertThat(result.errors()).isZero();
        assertThat(lm.callCount()).isEqualTo(3);
        List<Example> demos = result.program().state().predictor("self").demos();
        assertThat(demos).hasSize(4);
        assertThat(demos.subList(0, 2)).containsExactly(Fixtures.demo(1), Fixtures.demo(3));
        assertThat(demos.subList(2, 4)).doesNotHaveDuplicates()
                .isSubsetOf(train.get(1), train.get(3), train.get(4), train.get(5));
        Module again = optimizer.compile(Predict.of("question -> answer"), train, DspyContext.of(Fixtures.oddCorrect()));
        assertThat(again.state()).isEqualTo(result.program().state());
    }

    @Test
    void aBootstrapWithinItsBudgetIsNotFlaggedAndMatchesOneWithoutABudget() {
        BootstrapFewShot.Builder builder = BootstrapFewShot.builder().metric(Fixtures.EXACT)
                .maxBootstrappedDemos(2).maxLabeledDemos(4).seed(7);

        BootstrapResult limited = builder.budget(Budget.ofLmCalls(100)).build()
                .bootstrap(Predict.of("question -> answer"), Fixtures.trainset(6), DspyContext.of(Fixtures.oddCorrect()));
        BootstrapResult unlimited = builder.budget(Budget.unlimited()).build()
                .bootstrap(Predict.of("question -> answer"), Fixtures.trainset(6), DspyContext.of(Fixtures.oddCorrect()));

        assertThat(limited.budgetExhausted()).isFalse();
        assertThat(unlimited.budgetExhausted()).isFalse();
        assertThat(limited.bootstrapped()).isEqualTo(2);
        assertThat(limited.program().state()).isEqualTo(unlimited.program().state());
        assertThat(builder.build()).hasToString(
                "BootstrapFewShot(maxBootstrappedDemos=2, maxLabeledDemos=4, maxRounds=1, metricThreshold=null, seed=7)");
        assertThat(builder.budget(Budget.ofLmCalls(3)).build().toString()).endsWith(", budget=Budget[maxLmCalls=3])");
    }

    @Test
    void limitsMustBePositiveAndAreNamed() {
        assertThatThrownBy(() -> Budget.ofLmCalls(0)).hasMessageContaining("maxLmCalls");
        assertThat(Budget.ofLmCalls(5).withMaxTokens(10)).hasToString("Budget[maxLmCalls=5, maxTokens=10]");
        assertThat(Budget.unlimited()).hasToString("Budget[unlimited]");
    }

    @Test
    void teacherRunsUseTheTeacherContextWhenOneIsSet() {
        ScriptedLm student = Fixtures.answering(request -> true);
        ScriptedLm teacher = Fixtures.answering(request -> true);

        Module compiled = BootstrapFewShot.builder().metric(Fixtures.EXACT).maxBootstrappedDemos(2)
                .teacherContext(DspyContext.of(teacher)).concurrency(1).build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(4), DspyContext.of(student));

        assertThat(student.callCount()).isZero();
        assertThat(teacher.callCount()).isEqualTo(2);
        assertThat(compiled.state().predictor("self").demos()).startsWith(Fixtures.demo(1), Fixtures.demo(2));
    }
}
