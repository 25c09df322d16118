package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroundedProposerTest {

    private static final Signature QA = Predict.of("question -> answer").signature();

    @Test
    void tipsAndRolloutIdsAreDrawnFromTheSeededGeneratorAsDspyDraws() {
        // given: DSPy's random.Random(0) after the demo-set draws of the captured run (a shuffle of 12, randint(1, 3))
        PythonRandom rng = new PythonRandom(0);
        rng.shuffle(new ArrayList<>(Fixtures.trainset(12)));
        rng.randint(1, 3);
        ScriptedLm lm = MiproV2Test.lm(request -> true);
        GroundedProposer proposer = new GroundedProposer(DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT), rng,
                1.0, "\n\n");

        // when
        Map<String, List<String>> proposals = proposer.propose(Map.of("self", Predict.of("question -> answer").state()
                .predictor("self")), Map.of("self", List.of(List.of(), List.of(), List.of())), 3, "A summary.");

        // then: the captured tips (creative, creative, none) and rollout ids
        assertThat(proposals.get("self")).containsExactly("proposal 1", "proposal 2", "proposal 3");
        List<LmRequest> instructionCalls = lm.requests().stream()
                .filter(r -> r.messages().get(0).text().contains("`proposed_instruction`")).toList();
        assertThat(instructionCalls).extracting(r -> r.messages().get(1).text().contains(
                "[[ ## tip ## ]]\nDon't be afraid to be creative when creating the new instruction!"))
                .containsExactly(true, true, false);
        assertThat(lm.requests()).extracting(r -> r.options().rolloutId()).containsExactly(
                302621084, 302621084, 302621084, 811538590, 811538590, 811538590, 663968655, 663968655, 663968655);
        assertThat(lm.requests()).allSatisfy(r -> assertThat(r.options().temperature()).isEqualTo(1.0));
    }

    @Test
    void taskDemosShowUpToThreeBootstrappedDemosFromTheChosenSetOnwardWithFieldPrefixes() {
        List<Example> first = List.of(Fixtures.demo(1), Example.of("question", "q9", "answer", "a9"));
        List<Example> second = List.of(Fixtures.demo(2), Fixtures.demo(3), Fixtures.demo(4));
        List<List<Example>> sets = List.of(List.of(), first, second);

        assertThat(GroundedProposer.taskDemos(QA, sets, 0)).isEqualTo("No task demos provided.");
        assertThat(GroundedProposer.taskDemos(QA, sets, 2)).isEqualTo(
                "Question: q2\nAnswer: a2\n\nQuestion: q3\nAnswer: a3\n\nQuestion: q4\nAnswer: a4\n\n");
        assertThat(GroundedProposer.taskDemos(QA, sets, 1)).isEqualTo(
                "Question: q1\nAnswer: a1\n\nQuestion: q2\nAnswer: a2\n\nQuestion: q3\nAnswer: a3\n\n");
        assertThat(GroundedProposer.taskDemos(QA, List.of(List.of(), List.of()), 1)).isEqualTo("No task demos provided.");
        assertThat(GroundedProposer.moduleCode(Predict.of("context, question -> reasoning, answer").signature()))
                .isEqualTo("Predict(context, question) -> reasoning, answer");
    }

    @Test
    void labelsAreStrippedAsDspyStripsThem() {
        assertThat(GroundedProposer.stripLabel("Proposed Instruction: Classify it.")).isEqualTo("Classify it.");
        assertThat(GroundedProposer.stripLabel("**Dataset summary:** short reviews")).isEqualTo("** short reviews");
        assertThat(GroundedProposer.stripLabel("\"Quoted\"")).isEqualTo("Quoted");
        assertThat(GroundedProposer.stripLabel("one two three four five six: x")).isEqualTo("one two three four five six: x");
        assertThat(GroundedProposer.stripLabel("MIPRO proposal 2 [q=9] (tip: none).")).isEqualTo("MIPRO proposal 2 [q=9] (tip: none).");
    }

    @Test
    void theDatasetSummaryReadsBatchesUntilFiveCompleteAnswersAndSummarizes() {
        // given: 65 examples in batches of 10, and an LM that answers COMPLETE to every follow-up
        ScriptedLm lm = ScriptedLm.answering(request -> {
            String system = request.messages().get(0).text();
            if (system.contains("`summary`")) {
                return "[[ ## summary ## ]]\nSummary: Q and A.\n\n[[ ## completed ## ]]";
            }
            return "[[ ## observations ## ]]\n" + (system.contains("prior_observations") ? "COMPLETE" : "Questions.")
                    + "\n\n[[ ## completed ## ]]";
        });
        GroundedProposer proposer = new GroundedProposer(DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT),
                new PythonRandom(0), 1.0, "\n\n");

        // when
        String summary = proposer.datasetSummary(Fixtures.trainset(65), 10);

        // then: one first look, five COMPLETE answers, one summary, all at n=1, temperature 1.0
        assertThat(summary).isEqualTo("Q and A.");
        assertThat(lm.callCount()).isEqualTo(7);
        assertThat(lm.requests()).allSatisfy(r -> {
            assertThat(r.options().n()).isEqualTo(1);
            assertThat(r.options().temperature()).isEqualTo(1.0);
        });
        assertThat(lm.requests().get(6).messages().get(1).text()).startsWith("[[ ## observations ## ]]\nQuestions.\n");
    }

    @Test
    void examplesAreShownAsPythonReprWithSortedInputKeys() {
        Example example = Example.of("b", "it's", "a", 2, "c", true, "d", List.of("x\ny")).withInputs("c", "a");

        assertThat(PythonRepr.examples(List.of(example))).isEqualTo(
                "[Example({'b': \"it's\", 'a': 2, 'c': True, 'd': ['x\\ny']}) (input_keys={'a', 'c'})]");
    }
}
