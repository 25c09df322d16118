package dev.dspy4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.SimulatedRagModel;
import dev.dspy4j.testkit.server.SimulatedTicketModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as a user runs it: a separate JVM with piped streams (not a terminal). Runs in the
 * {@code package} phase, after the shade plugin made {@code target/dspy4j.jar}.
 */
class ShadedJarTest {

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String out, String err) {}

    private Outcome java(String stdin, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("dspy4j.cli.jar", "target/dspy4j.jar"));
        assumeThat(jar).as("the shaded jar (built by mvn package)").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OPENAI_API_KEY", CliHarness.API_KEY);
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish within 120 s: " + command);
        }
        return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void runsAProgramOnPipedJsonLinesQuietlyAndWithoutPrintingTheKey() throws Exception {
        try (FakeLmServer server = CliHarness.server()) {
            // when
            Outcome outcome = java("{\"question\": \"What is the capital of France?\"}\n", "run",
                    "--signature", "question -> answer", "--lm", "openai/gpt-4o-mini",
                    "--base-url", server.baseUrl().toString());

            // then
            assertThat(outcome.exitCode()).as(outcome.err()).isZero();
            assertThat(outcome.out()).contains("\"outputs\":{\"answer\":\"Paris\"}");
            assertThat(outcome.err()).isEmpty();
            assertThat(outcome.out() + outcome.err()).doesNotContain(CliHarness.API_KEY);
        }
    }

    @Test
    void optimizesWithCoproAndJudgesTheResultWithSemanticF1FromItsOwnProcess() throws Exception {
        // given: the ticket model (right more often when the instruction names the labels) for the task,
        // SimulatedRagModel for SemanticF1's judge
        StringBuilder rows = new StringBuilder();
        for (var ticket : SimulatedTicketModel.tickets("jar", 6)) {
            rows.append(JsonLines.write(JsonLines.toJson(java.util.Map.of("ticket_text", ticket.get("ticket_text"),
                    "category", ticket.get("category"))))).append('\n');
        }
        Path train = Files.writeString(dir.resolve("train.jsonl"), rows);
        Path optimized = dir.resolve("copro.json");
        SimulatedTicketModel task = new SimulatedTicketModel();
        SimulatedRagModel judge = new SimulatedRagModel();
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI).requireApiKey(CliHarness.API_KEY)
                .respondWith(request -> request.bodyText().contains("system_response")
                        ? judge.respond(request) : task.respond(request))) {
            // when
            Outcome outcome = java("", "optimize", "--signature", "ticket_text -> category",
                    "--lm", "openai/gpt-4o-mini", "--base-url", server.baseUrl().toString(), "--max-retries", "0",
                    "--trainset", train.toString(), "--optimizer", "copro", "--output", optimized.toString());

            // then
            assertThat(outcome.exitCode()).as(outcome.err()).isZero();
            assertThat(Files.readString(optimized)).contains(SimulatedTicketModel.LABEL_SET);
            assertThat(outcome.err()).isEqualTo("dspy4j optimize: saved " + optimized + System.lineSeparator());

            // and when: the saved program is judged on the trainset
            server.reset();
            Outcome judged = java("", "evaluate", "--signature", "ticket_text -> category", "--program",
                    optimized.toString(), "--lm", "openai/gpt-4o-mini", "--base-url", server.baseUrl().toString(),
                    "--devset", train.toString(), "--metric", "semantic-f1");

            // then: one task call and one judge call per example, no errors
            assertThat(judged.exitCode()).as(judged.err()).isZero();
            assertThat(judged.out()).contains("| semantic-f1 |", "|        6 |      0 |");
            assertThat(server.requests()).filteredOn(r -> r.bodyText().contains("system_response")).hasSize(6);
            assertThat(server.requestCount()).isEqualTo(12);
        }
    }

    @Test
    void exitsWithTheDocumentedCodesFromItsOwnProcess() throws Exception {
        assertThat(java("", "--version").exitCode()).isZero();
        assertThat(java("", "inspect", "--bogus").exitCode()).isEqualTo(ExitCodes.USAGE);
        Outcome missing = java("", "inspect", dir.resolve("missing.json").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(missing.err()).contains("missing.json: no such file");
    }
}
