package dev.dspy4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitCodesTest {

    @Test
    void anUnknownOptionIsAUsageError() {
        CliHarness.Result result = CliHarness.run("", "run", "--lm", "openai/gpt-4o-mini", "--no-such-option");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--no-such-option");
    }

    @Test
    void aMissingLmIsAUsageError() {
        CliHarness.Result result = CliHarness.run("", "run", "--signature", "question -> answer");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--lm");
    }

    @Test
    void aProgramWithoutStructureIsAUsageErrorThatSaysWhatToGive() {
        CliHarness.Result result = CliHarness.run("", "run", "--lm", "openai/gpt-4o-mini");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--signature", "--program-class");
    }

    @Test
    void aProgramClassThatIsNotOnTheClassPathIsAUsageError() {
        CliHarness.Result result = CliHarness.run("", "run", "--lm", "openai/gpt-4o-mini",
                "--program-class", "com.example.Missing");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("com.example.Missing is not on the class path");
    }

    @Test
    void aMissingProgramFileIsAnInputError() {
        CliHarness.Result result = CliHarness.run("", "run", "--signature", "question -> answer",
                "--lm", "openai/gpt-4o-mini", "--program", "/no/such/program.json");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.err()).contains("/no/such/program.json: no such file");
    }

    @Test
    void aMissingInputFileIsAnInputError() {
        CliHarness.Result result = CliHarness.run("", "run", "--signature", "question -> answer",
                "--lm", "openai/gpt-4o-mini", "--input", "/no/such/input.jsonl");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.err()).contains("--input /no/such/input.jsonl: no such file");
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        CliHarness.Result result = CliHarness.run("", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("run", "evaluate", "optimize", "inspect", "export", "history", "Exit codes:",
                "OPENAI_API_KEY");
    }
}
