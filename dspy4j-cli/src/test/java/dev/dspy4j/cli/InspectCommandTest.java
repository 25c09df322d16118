package dev.dspy4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    @TempDir
    Path dir;

    @Test
    void showsInstructionsFieldsAndDemosOfAProgramSavedByDspy() {
        // given: ChainOfThought(FactCheck) with 2 bootstrapped and 1 labeled demo, saved by DSPy 3.3.1
        Path saved = CliHarness.shared().resolve("dspy-saved/02_cot_class_signature/program.json");
        assumeThat(saved).exists();

        // when
        CliHarness.Result result = CliHarness.run("", "inspect", saved.toString());

        // then
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("saved with python 3.11, dspy 3.3.1", "== Predictor predict ==",
                "  You are a careful fact checker.", "  Never guess.", "Claim:  a single factual claim",
                "Confidence (0-1):  between 0 and 1", "Demos: 3 (2 bootstrapped, 1 labeled)",
                "Mars has two moons.", "claim", "evidence", "verdict");
    }

    @Test
    void callsAFlatSavedPredictSelfAndListsEveryPredictorOfAMultiPredictorProgram() {
        Path flat = CliHarness.shared().resolve("dspy-saved/01_predict_qa/program.json");
        Path multihop = CliHarness.shared().resolve("dspy-saved/04_multihop_list_of_cot/program.json");
        assumeThat(flat).exists();

        CliHarness.Result one = CliHarness.run("", "inspect", flat.toString());
        CliHarness.Result many = CliHarness.run("", "inspect", multihop.toString());

        assertThat(one.out()).contains("== Predictor self ==");
        assertThat(many.out()).contains("== Predictor generate_query[0].predict ==",
                "== Predictor generate_query[2].predict ==", "== Predictor generate_answer.predict ==");
    }

    @Test
    void aFileThatIsNotASavedProgramIsAnInputError() throws Exception {
        Path notJson = Files.writeString(dir.resolve("x.json"), "not json");
        Path notProgram = Files.writeString(dir.resolve("y.json"), "{\"a\": 1}");

        assertThat(CliHarness.run("", "inspect", notJson.toString()).exitCode()).isEqualTo(ExitCodes.INPUT);
        CliHarness.Result result = CliHarness.run("", "inspect", notProgram.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.err()).contains("holds no predictor state");
    }
}
