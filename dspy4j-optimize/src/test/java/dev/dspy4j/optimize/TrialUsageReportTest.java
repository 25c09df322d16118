package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.usage.UsageReport;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** COPRO, MIPROv2 and GEPA reports carry each trial's LM usage, from LMs whose responses report tokens. */
class TrialUsageReportTest {

    private static final String TASK = "openai/gpt-4o-mini";
    private static final String PROMPT = "openai/gpt-4o";

    /** {@code lm} answering as before, each response reporting 100 prompt and 10 completion tokens. */
    private static ScriptedLm withTokens(ScriptedLm lm, String model) {
        return ScriptedLm.responding(request -> {
            LmResponse response = lm.call(request);
            return new LmResponse(response.choices(), new Usage(100, 10), null, false);
        }).withModel(model);
    }

    private static void assertCalls(UsageReport usage, String model, long calls) {
        assertThat(usage.model(model)).as(model).isPresent();
        UsageReport.ModelUsage row = usage.model(model).orElseThrow();
        assertThat(row.calls()).as(model + " calls").isEqualTo(calls);
        assertThat(row.promptTokens()).isEqualTo(100 * calls);
        assertThat(row.completionTokens()).isEqualTo(10 * calls);
    }

    @Test
    void coproTrialsCarryTheirEvaluationsUsage() {
        // given a COPRO run of three candidates on a trainset of 4, both LMs reporting tokens
        ScriptedLm task = withTokens(Fixtures.oddCorrect(), TASK);
        Map<String, Object> proposal = new LinkedHashMap<>();
        proposal.put("proposed_instruction", "Answer.");
        proposal.put("proposed_prefix_for_output_field", "Answer:");
        String completion = ScriptedLm.chatCompletion(proposal);
        ScriptedLm prompt = withTokens(ScriptedLm.responding(request -> LmResponse.ofTexts(
                List.of(completion, completion.replace("Answer.", "Reply.")))), PROMPT);
        CoproResult result = Copro.builder().metric(Fixtures.EXACT).promptModel(prompt).breadth(3).depth(1).build()
                .optimize(Predict.of("question -> answer"), Fixtures.trainset(4), DspyContext.of(task));

        // when
        OptimizationReport report = result.report();

        // then each candidate's usage is its evaluation's: 4 task calls, no proposal calls
        assertThat(report.trials()).hasSize(3);
        for (OptimizationReport.Trial trial : report.trials()) {
            UsageReport usage = trial.usage().orElseThrow();
            assertCalls(usage, TASK, 4);
            assertThat(usage.model(PROMPT)).isEmpty();
            assertThat(usage.cost()).isPositive();
        }
        assertThat(task.callCount()).isEqualTo(12);
        assertThat(report.toHtml()).contains("<th>cost (USD)</th>");
    }

    @Test
    void miproTrialsCarryTheirMinibatchOrFullEvaluationsUsage() {
        // given 6 trials on minibatches of 3 and full evaluations on a valset of 10
        ScriptedLm task = withTokens(MiproV2Test.lm(request -> true), TASK);
        MiproResult result = MiproV2Test.zeroShot().auto(MiproV2.Auto.OFF).numCandidates(3).numTrials(6)
                .minibatchSize(3).build().search(Predict.of("question -> answer"), Fixtures.trainset(4),
                        Fixtures.trainset(10), DspyContext.of(task).withAdapter(ChatAdapter.DEFAULT));

        // when
        OptimizationReport report = result.report();

        // then each trial's usage is one call per program run: 10 when full, 3 on a minibatch
        assertThat(report.trials()).extracting(t -> t.usage().orElseThrow().total().calls())
                .containsExactly(10L, 3L, 3L, 3L, 3L, 3L, 10L, 3L, 10L);
        for (OptimizationReport.Trial trial : report.trials()) {
            assertCalls(trial.usage().orElseThrow(), TASK, trial.fullEvaluation() ? 10 : 3);
        }
        assertThat(result.trials()).allMatch(t -> t.usage().cost().compareTo(BigDecimal.ZERO) > 0);
        assertThat(report.toHtml()).contains("<th>cost (USD)</th>");
    }

    @Test
    void gepaCandidatesCarryTheUsageOfTheStepThatFoundThem() {
        // given a GEPA run that accepts one child: seed valset 4, minibatch 3, reflection, minibatch 3, valset 4
        ScriptedLm task = withTokens(Fixtures.answering(request -> request.messages().get(0).text().contains("[good]")
                || Fixtures.number(Fixtures.question(request)) % 2 == 1), TASK);
        ScriptedLm reflection = withTokens(ScriptedLm.replying("```\nAnswer exactly [good]\n```"), PROMPT);
        GepaResult result = Gepa.builder().metric(Fixtures.EXACT).reflectionLm(reflection).maxMetricCalls(20).build()
                .optimize(Predict.of("question -> answer"), Fixtures.trainset(6),
                        Fixtures.trainset(10).subList(6, 10), DspyContext.of(task));

        // when
        OptimizationReport report = result.report();

        // then the seed's usage is its valset evaluation, the child's its whole iteration
        assertThat(report.trials()).hasSize(2);
        UsageReport seed = report.trials().get(0).usage().orElseThrow();
        assertCalls(seed, TASK, 4);
        assertThat(seed.model(PROMPT)).isEmpty();
        UsageReport child = report.trials().get(1).usage().orElseThrow();
        assertCalls(child, TASK, 3 + 3 + 4);
        assertCalls(child, PROMPT, 1);
        assertThat(child.cost()).isPositive();
        assertThat(result.candidateUsage()).hasSize(2);
        assertThat(reflection.callCount()).isEqualTo(1);
        assertThat(report.toHtml()).contains("<th>cost (USD)</th>");
    }
}
