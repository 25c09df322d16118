package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
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
