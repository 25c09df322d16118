package dev.dspy4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.FakeLmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateAndOptimizeTest {

    private static final String DATA = """
            {"question": "What is the capital of France?", "answer": "Paris"}
            {"question": "What is 2 + 2?", "answer": "4"}
            {"question": "Which planet is red?", "answer": "Venus"}
            """;

    @TempDir
    Path dir;

    FakeLmServer server;

    @BeforeEach
    void startServer() {
        server = CliHarness.server();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void evaluatePrintsTheScoreTableAndWritesAJsonReport() throws Exception {
        // given: the server gets 2 of the 3 gold answers right
        Path devset = Files.writeString(dir.resolve("dev.jsonl"), DATA);
        Path report = dir.resolve("report.json");

        // when
        CliHarness.Result result = CliHarness.run("", "evaluate", "--signature", "question -> answer",
                "--lm", "openai/gpt-4o-mini", "--base-url", server.baseUrl().toString(), "--max-retries", "0",
                "--devset", devset.toString(), "--metric", "exact-match", "--report", report.toString());

        // then
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("exact-match", "66.67%", "examples", "errors");
        assertThat(Files.readString(report)).contains("Paris", "Venus");
        assertThat(result.out() + result.err()).doesNotContain(CliHarness.API_KEY);
    }

    @Test
    void evaluateRejectsAnUnknownMetricAndADevsetWithoutTheGoldField() throws Exception {
        Path devset = Files.writeString(dir.resolve("dev.jsonl"), "{\"question\": \"What is 2 + 2?\"}\n");

        CliHarness.Result unknown = CliHarness.run("", "evaluate", "--signature", "question -> answer",
                "--lm", "openai/gpt-4o-mini", "--devset", devset.toString(), "--metric", "bleu");
        CliHarness.Result noGold = CliHarness.run("", "evaluate", "--signature", "question -> answer",
                "--lm", "openai/gpt-4o-mini", "--base-url", server.baseUrl().toString(), "--devset", devset.toString());

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("exact-match, f1, semantic-f1");
        assertThat(noGold.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(noGold.err()).contains("no gold field \"answer\"");
    }

    @Test
    void optimizeWithBootstrapSavesDemosThatInspectAndRunUse() throws Exception {
        // given
        Path trainset = Files.writeString(dir.resolve("train.jsonl"), DATA);
        Path optimized = dir.resolve("optimized.json");

        // when
        CliHarness.Result result = CliHarness.run("", "optimize", "--signature", "question -> answer",
                "--lm", "openai/gpt-4o-mini", "--base-url", server.baseUrl().toString(), "--max-retries", "0",
                "--trainset", trainset.toString(), "--optimizer", "bootstrap", "--concurrency", "1",
                "--out", optimized.toString());
        CliHarness.Result inspected = CliHarness.run("", "inspect", optimized.toString());
        server.reset();
        CliHarness.Result ran = CliHarness.run("{\"question\": \"What is 2 + 2?\"}\n", "run",
                "--signature", "question -> answer", "--program", optimized.toString(), "--lm", "openai/gpt-4o-mini",
                "--base-url", server.baseUrl().toString());

        // then: the two right answers became bootstrapped demos, the wrong one a labeled demo
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("self: 3 demos");
        assertThat(inspected.out()).contains("Demos: 3 (2 bootstrapped, 1 labeled)", "Paris", "Venus");
        assertThat(ran.exitCode()).isZero();
        assertThat(server.lastRequest().bodyText()).contains("What is the capital of France?");
    }

    @Test
    void evaluateExitsWithFourWhenEveryExampleFailsAtTheProvider() throws Exception {
        // given: nothing listens on port 1
        Path devset = Files.writeString(dir.resolve("dev.jsonl"), DATA);

        // when
        CliHarness.Result result = CliHarness.run("", "evaluate", "--signature", "question -> answer",
                "--lm", "openai/gpt-4o-mini", "--base-url", "http://127.0.0.1:1/v1", "--max-retries", "0",
                "--devset", devset.toString());

        // then: the table still shows the errors
        assertThat(result.exitCode()).isEqualTo(ExitCodes.PROVIDER);
        assertThat(result.out()).contains("0.00%", "|        3 |      3 |");
        assertThat(result.err()).contains("every example failed at the LM provider");
    }

    @Test
    void historyRefusesAFileThatIsNotAHistory() throws Exception {
        Path notHistory = Files.writeString(dir.resolve("h.jsonl"), DATA);

        CliHarness.Result result = CliHarness.run("", "history", notHistory.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.err()).contains("not an LM call");
    }

    @Test
    void optimizeWithMiproLightSavesAProgramThatInspectReads() throws Exception {
        // given: the server answers the task and, with plain text, the proposer's signatures
        Path trainset = Files.writeString(dir.resolve("train.jsonl"), DATA + DATA.replace("?\"", "??\""));
        Path optimized = dir.resolve("optimized.json");

        // when
        CliHarness.Result result = CliHarness.run("", "optimize", "--signature", "question -> answer",
                "--lm", "openai/gpt-4o-mini", "--base-url", server.baseUrl().toString(), "--max-retries", "0",
                "--trainset", trainset.toString(), "--optimizer", "mipro-light", "--concurrency", "1",
                "--max-bootstrapped-demos", "1", "--max-labeled-demos", "1", "--out", optimized.toString());

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(optimized).exists();
        assertThat(server.requests()).anySatisfy(request ->
                assertThat(request.bodyText()).contains("proposed_instruction"));
        assertThat(CliHarness.run("", "inspect", optimized.toString()).out()).contains("== Predictor self ==");
    }
}
