package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.EvaluationCancelledException;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CoproTest {

    private static final Pattern QUALITY = Pattern.compile("\\[q=(\\d+)]");
    private static final List<Example> TRAIN = Fixtures.trainset(4);

    /** Answers question {@code qN} right when {@code N <= q}, q being the {@code [q=…]} marker of the instructions (0 if none). */
    private static ScriptedLm taskLm() {
        return Fixtures.answering(request -> {
            Matcher m = QUALITY.matcher(request.messages().get(0).text());
            int quality = m.find() ? Integer.parseInt(m.group(1)) : 0;
            return Fixtures.number(Fixtures.question(request)) <= quality;
        });
    }

    /** Replies to each call with the next batch of proposals (instruction, prefix pairs). */
    private static ScriptedLm promptLm(List<List<String>> batches) {
        Deque<List<String>> queue = new ArrayDeque<>(batches);
        return ScriptedLm.responding(request -> LmResponse.ofTexts(queue.removeFirst()));
    }

    private static List<String> proposals(String... instructionPrefixPairs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < instructionPrefixPairs.length; i += 2) {
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("proposed_instruction", instructionPrefixPairs[i]);
            outputs.put("proposed_prefix_for_output_field", instructionPrefixPairs[i + 1]);
            out.add(ScriptedLm.chatCompletion(outputs));
        }
        return out;
    }

    private static Module program() {
        return Predict.of("question -> answer");
    }

    @Test
    void proposesBreadthMinusOneCandidatesAndScoresThemWithTheOriginalLast() {
        // given a prompt model proposing two instructions, one in quotes
        ScriptedLm prompt = promptLm(List.of(proposals("\"Answer well [q=2].\" ", "Reply:", "Answer [q=3].", "\"Out:\"")));
        ScriptedLm task = taskLm();
        Copro copro = Copro.builder().metric(Fixtures.EXACT).promptModel(prompt).breadth(3).depth(1).build();

        // when
        CoproResult result = copro.optimize(program(), TRAIN, DspyContext.of(task));

        // then one proposer call asked for breadth - 1 completions at the initial temperature
        assertThat(prompt.callCount()).isEqualTo(1);
        LmRequest request = prompt.lastRequest();
        assertThat(request.options().n()).isEqualTo(2);
        assertThat(request.options().temperature()).isEqualTo(1.4);
        assertThat(request.messages().get(1).text()).startsWith(
                "[[ ## basic_instruction ## ]]\nGiven the fields `question`, produce the fields `answer`.");
        // and the three candidates, quotes stripped, the original last, each scored on the trainset
        assertThat(result.evaluations()).isEqualTo(3);
        assertThat(task.callCount()).isEqualTo(3 * TRAIN.size());
        assertThat(result.candidates()).extracting(CoproResult.Candidate::instruction, CoproResult.Candidate::prefix,
                CoproResult.Candidate::score).containsExactly(
                tuple("Answer [q=3].", "Out:", 75.0),
                tuple("Answer well [q=2].", "Reply:", 50.0),
                tuple("Given the fields `question`, produce the fields `answer`.",
                        "Answer:", 0.0));
        assertThat(result.bestScore()).isEqualTo(75.0);
        assertThat(result.bestProgram().state().predictor("self").signature().instructions()).isEqualTo("Answer [q=3].");
        assertThat(result.bestProgram().state().predictor("self").signature().field("answer").prefix())
                .isEqualTo("Out:");
    }

    @Test
    void leavesTheProgramItWasGivenUnchanged() {
        Module program = program();
        String before = program.state().toJson();
        Copro copro = Copro.builder().metric(Fixtures.EXACT)
                .promptModel(promptLm(List.of(proposals("Answer [q=4].", "A:")))).breadth(2).depth(1).build();

        Module optimized = copro.compile(program, TRAIN, DspyContext.of(taskLm()));

        assertThat(program.state().toJson()).isEqualTo(before);
        assertThat(optimized.state().predictor("self").signature().instructions()).isEqualTo("Answer [q=4].");
    }

    @Test
    void showsTheBestAttemptsInAscendingScoreOrderBetweenDepths() {
        // given breadth 2: a first-level proposal scoring 50 and the original scoring 0
        ScriptedLm prompt = promptLm(List.of(
                proposals("First [q=2].", "P1:"),
                proposals("Second [q=1].", "P2:", "Third [q=4].", "P3:")));
        Copro copro = Copro.builder().metric(Fixtures.EXACT).promptModel(prompt).breadth(2).depth(2).build();

        CoproResult result = copro.optimize(program(), TRAIN, DspyContext.of(taskLm()));

        // then the history call shows the best two, the lower score first, and asks for breadth completions
        LmRequest history = prompt.requests().get(1);
        assertThat(history.options().n()).isEqualTo(2);
        assertThat(history.messages().get(1).text()).startsWith("[[ ## attempted_instructions ## ]]\n"
                + "[1] «Instruction #1: Given the fields `question`, produce the fields `answer`.»\n"
                + "[2] «Prefix #1: Answer:»\n"
                + "[3] «Resulting Score #1: 0.0»\n"
                + "[4] «Instruction #2: First [q=2].»\n"
                + "[5] «Prefix #2: P1:»\n"
                + "[6] «Resulting Score #2: 50.0»\n\n");
        // and the new candidates are scored at depth 1; the best wins
        assertThat(result.evaluations()).isEqualTo(4);
        assertThat(result.candidates()).extracting(CoproResult.Candidate::instruction, CoproResult.Candidate::depth)
                .containsExactly(tuple("Third [q=4].", 1),
                        tuple("First [q=2].", 0),
                        tuple("Second [q=1].", 1),
                        tuple("Given the fields `question`, produce the fields `answer`.", 0));
        assertThat(result.bestScore()).isEqualTo(100.0);
    }

    @Test
    void keepsTheFirstScoredOfEqualScores() {
        // given two proposals and a later one that all score 50
        ScriptedLm prompt = promptLm(List.of(
                proposals("Alpha [q=2].", "A:", "Beta [q=2].", "B:"),
                proposals("Gamma [q=2].", "G:", "Delta [q=1].", "D:", "Alpha [q=2].", "A:")));
        Copro copro = Copro.builder().metric(Fixtures.EXACT).promptModel(prompt).breadth(3).depth(2)
                .trackStats(true).build();

        CoproResult result = copro.optimize(program(), TRAIN, DspyContext.of(taskLm()));

        // then the first proposal wins; the repeated "Alpha" keeps its first depth and place
        assertThat(result.bestProgram().state().predictor("self").signature().instructions()).isEqualTo("Alpha [q=2].");
        assertThat(result.candidates()).extracting(CoproResult.Candidate::instruction, CoproResult.Candidate::depth)
                .containsExactly(tuple("Alpha [q=2].", 0),
                        tuple("Beta [q=2].", 0),
                        tuple("Gamma [q=2].", 1),
                        tuple("Delta [q=1].", 1),
                        tuple("Given the fields `question`, produce the fields `answer`.", 0));
        assertThat(result.evaluations()).isEqualTo(6);
        // and the statistics are DSPy's: the newest scores per depth, the top scores after each
        CoproResult.Statistics latest = result.latestStatistics().get("self");
        assertThat(latest.depths()).containsExactly(0, 1);
        assertThat(latest.max()).containsExactly(50.0, 50.0);
        assertThat(latest.min()).containsExactly(0.0, 25.0);
        assertThat(result.bestStatistics().get("self").average()).containsExactly(100.0 / 3, 35.0);
    }

    @Test
    void rescoresEveryCandidateOfEachPredictorWhenTheProgramHasSeveral() {
        // given a two-predictor program
        Module two = new TwoPredictors();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(proposals("P" + i + "a [q=2].", "X:", "P" + i + "b [q=3].", "Y:").subList(0, i < 2 ? 1 : 2));
        }
        ScriptedLm prompt = promptLm(batches);
        Copro copro = Copro.builder().metric(Fixtures.EXACT).promptModel(prompt).breadth(2).depth(2).build();

        // when
        CoproResult result = copro.optimize(two, TRAIN, DspyContext.of(taskLm()));

        // then depth 0 scores 2 candidates per predictor, depth 1 all 4 so far, as the estimate says
        assertThat(prompt.callCount()).isEqualTo(4);
        assertThat(result.evaluations()).isEqualTo(2 * 2 + 2 * 4);
        LmCallEstimate estimate = copro.estimate(two, TRAIN, List.of());
        assertThat(estimate.evaluationRuns()).isEqualTo(12L * TRAIN.size());
        assertThat(estimate.lmCalls()).isEqualTo(12L * TRAIN.size() * 2 + 4);
    }

    @Test
    void estimatesDepthTimesBreadthRunsAndDepthPromptCallsForOnePredictor() {
        Copro copro = Copro.builder().metric(Fixtures.EXACT).breadth(3).depth(2).build();

        LmCallEstimate estimate = copro.estimate(program(), Fixtures.trainset(12), List.of());

        assertThat(estimate.lmCalls()).isEqualTo(74); // the captured DSPy run
    }

    @Test
    void usesTheContextsLmToProposeWhenNoPromptModelIsSet() {
        ScriptedLm both = ScriptedLm.responding(request -> request.messages().get(1).text().contains("basic_instruction")
                ? LmResponse.ofTexts(proposals("Answer [q=4].", "A:"))
                : LmResponse.of(taskLm().call(request).text()));
        Copro copro = Copro.builder().metric(Fixtures.EXACT).breadth(2).depth(1).build();

        CoproResult result = copro.optimize(program(), TRAIN, DspyContext.of(both));

        assertThat(result.bestScore()).isEqualTo(100.0);
        assertThat(both.callCount()).isEqualTo(1 + 2 * TRAIN.size());
    }

    @Test
    void stopsWithTheEvaluationErrorWhenTheMetricThrows() {
        Metric broken = Metric.of((example, prediction) -> {
            throw new IllegalStateException("metric bug");
        });
        Copro copro = Copro.builder().metric(broken).promptModel(promptLm(List.of(proposals("Answer [q=4].", "A:"))))
                .breadth(2).depth(1).maxErrors(2).build();

        assertThatThrownBy(() -> copro.optimize(program(), TRAIN, DspyContext.of(taskLm())))
                .isInstanceOf(EvaluationCancelledException.class)
                .satisfies(e -> assertThat(((EvaluationCancelledException) e).failures()).isNotEmpty());
    }

    @Test
    void stopsAtTheBudgetWithTheBestCandidateScoredSoFar() {
        // given a budget of 1 proposal call and 1 candidate evaluation (4 examples)
        ScriptedLm prompt = promptLm(List.of(proposals("Answer [q=2].", "A:", "Answer [q=3].", "B:")));
        Copro copro = Copro.builder().metric(Fixtures.EXACT).promptModel(prompt).breadth(3).depth(2)
                .evaluationConcurrency(1).budget(Budget.ofLmCalls(1 + TRAIN.size())).build();

        // when
        CoproResult result = copro.optimize(program(), TRAIN, DspyContext.of(taskLm()));

        // then only the first candidate counts, and the result says the budget ended the run
        assertThat(result.budgetExhausted()).isTrue();
        assertThat(result.candidates()).extracting(CoproResult.Candidate::instruction).containsExactly("Answer [q=2].");
        assertThat(result.bestScore()).isEqualTo(50.0);
        assertThat(prompt.callCount()).isEqualTo(1);
    }

    @Test
    void returnsTheProgramGivenWhenTheBudgetEndsBeforeAnyCandidateIsScored() {
        Module program = program();
        Copro copro = Copro.builder().metric(Fixtures.EXACT)
                .promptModel(promptLm(List.of(proposals("Answer [q=2].", "A:")))).breadth(2).depth(1)
                .budget(Budget.ofLmCalls(1)).build();

        CoproResult result = copro.optimize(program, TRAIN, DspyContext.of(taskLm()));

        assertThat(result.budgetExhausted()).isTrue();
        assertThat(result.bestProgram()).isSameAs(program);
        assertThat(result.bestScore()).isNaN();
        assertThat(result.candidates()).isEmpty();
    }

    @Test
    void rejectsABreadthOfOneOrLessAsDspyDoes() {
        assertThatThrownBy(() -> Copro.builder().breadth(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("breadth must be greater than 1").hasMessageContaining("was 1");
    }

    @Test
    void rejectsInvalidSettingsNamingThem() {
        assertThatThrownBy(() -> Copro.builder().depth(0)).hasMessageContaining("depth must be at least 1");
        assertThatThrownBy(() -> Copro.builder().initTemperature(-1)).hasMessageContaining("initTemperature");
        assertThatThrownBy(() -> Copro.builder().initTemperature(Double.NaN)).hasMessageContaining("initTemperature");
        assertThatThrownBy(() -> Copro.builder().evaluationConcurrency(0)).hasMessageContaining("evaluationConcurrency");
        assertThatThrownBy(() -> Copro.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("metric");
        Copro copro = Copro.builder().metric(Fixtures.EXACT).build();
        assertThatThrownBy(() -> copro.optimize(program(), List.of(), DspyContext.of(taskLm())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trainset");
    }

    @Test
    void computesPopulationStandardDeviationAsPython() {
        assertThat(CoproStatistics.populationStdDev(Arrays.asList(75.0, 100.0, 50.0))).isEqualTo(20.41241452319315);
        assertThat(CoproRun.stripQuotes("\"\" \"x\" \n")).isEqualTo("\"x\"");
    }

    /** Two predictors in a row: the second answers from the first's answer. */
    static final class TwoPredictors extends Module {
        final Predict first = Predict.of("question -> answer");
        final Predict second = Predict.of("question -> answer");

        @Override
        protected dev.dspy4j.data.Prediction forward(Example inputs) {
            first.call(inputs.toMap());
            return second.call(inputs.toMap());
        }
    }
}
