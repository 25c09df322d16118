package dev.dspy4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.FakeLmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RunCommandTest {

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

    private String[] run(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--signature", "question -> answer",
                "--lm", "openai/gpt-4o-mini", "--base-url", server.baseUrl().toString(), "--max-retries", "0"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static List<JsonNode> lines(String out) {
        return out.lines().map(line -> JsonLines.MAPPER.readTree(line)).toList();
    }

    @Test
    void writesOneLineOfInputsAndOutputsPerInputLineInInputOrder() {
        // given
        String stdin = """
                {"question": "What is the capital of France?"}
                {"question": "What is 2 + 2?"}
                {"question": "Which planet is red?"}
                """;

        // when
        CliHarness.Result result = CliHarness.run(stdin, run("--concurrency", "3"));

        // then
        assertThat(result.exitCode()).isZero();
        List<JsonNode> lines = lines(result.out());
        assertThat(lines).extracting(line -> line.path("outputs").path("answer").asString())
                .containsExactly("Paris", "4", "Mars");
        assertThat(lines).extracting(line -> line.path("inputs").path("question").asString())
                .containsExactly("What is the capital of France?", "What is 2 + 2?", "Which planet is red?");
        assertThat(lines).extracting(line -> line.path("line").asInt()).containsExactly(1, 2, 3);
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void keepsAFailedRowWithItsErrorAndExitsWithOneAndACount() {
        // given: the server answers "break" without ChatAdapter's markers, and line 3 is not JSON
        String stdin = """
                {"question": "What is the capital of France?"}
                {"question": "break"}
                this is not json
                """;

        // when
        CliHarness.Result result = CliHarness.run(stdin, run());

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.ROWS_FAILED);
        List<JsonNode> lines = lines(result.out());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).path("outputs").path("answer").asString()).isEqualTo("Paris");
        assertThat(lines.get(1).path("inputs").path("question").asString()).isEqualTo("break");
        assertThat(lines.get(1).path("error").path("type").asString()).isNotEmpty();
        assertThat(lines.get(1).path("error").path("message").asString()).isNotEmpty();
        assertThat(lines.get(1).has("outputs")).isFalse();
        assertThat(lines.get(2).path("error").path("type").asString()).isEqualTo("InputError");
        assertThat(result.err()).contains("2 of 3 rows failed");
    }

    @Test
    void readsAndWritesFilesAndRecordsTheHistoryThatHistoryPrints() throws Exception {
        // given
        Path input = Files.writeString(dir.resolve("in.jsonl"), "{\"question\": \"What is 2 + 2?\"}\n");
        Path output = dir.resolve("out/answers.jsonl");
        Path history = dir.resolve("history.jsonl");

        // when
        CliHarness.Result result = CliHarness.run("", run("--input", input.toString(), "--output", output.toString(),
                "--history", history.toString()));
        CliHarness.Result printed = CliHarness.run("", "history", history.toString());

        // then
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(lines(Files.readString(output))).singleElement()
                .satisfies(line -> assertThat(line.path("outputs").path("answer").asString()).isEqualTo("4"));
        assertThat(printed.exitCode()).isZero();
        assertThat(printed.out()).contains("System message:", "User message:", "[[ ## question ## ]]\nWhat is 2 + 2?",
                "Response:", "[[ ## answer ## ]]\n4");
        assertThat(Files.readString(history)).doesNotContain(CliHarness.API_KEY);
    }

    @Test
    void isQuietOnStderrWhenNotATerminal() {
        // when
        CliHarness.Result result = CliHarness.run("{\"question\": \"Which planet is red?\"}\n", run());

        // then
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
    }

    @Test
    void sendsTheKeyFromTheEnvironmentAndNeverPrintsIt() {
        // given: a wrong key in the environment, then the right one
        CliHarness.Result wrong = CliHarness.run("{\"question\": \"What is 2 + 2?\"}\n",
                Map.of("OPENAI_API_KEY", "sk-wrong-key-777"), run());
        CliHarness.Result right = CliHarness.run("{\"question\": \"What is 2 + 2?\"}\n", run());

        // then
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.PROVIDER);
        assertThat(wrong.out() + wrong.err()).doesNotContain("sk-wrong-key-777").doesNotContain(CliHarness.API_KEY);
        assertThat(right.exitCode()).isZero();
        assertThat(right.out() + right.err()).doesNotContain(CliHarness.API_KEY);
    }

    @Test
    void exitsWithFourWhenTheProviderIsUnreachable() {
        // given: nothing listens on port 1
        CliHarness.Result result = CliHarness.run("{\"question\": \"What is 2 + 2?\"}\n", "run",
                "--signature", "question -> answer", "--lm", "openai/gpt-4o-mini", "--base-url", "http://127.0.0.1:1/v1",
                "--max-retries", "0");

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.PROVIDER);
        assertThat(result.err()).contains("every row failed at the LM provider");
        assertThat(lines(result.out())).singleElement()
                .satisfies(line -> assertThat(line.path("error").path("type").asString()).startsWith("LmException"));
    }

    @Test
    void exitsWithFourWhenTheKeyIsMissing() {
        // when: the default OpenAI endpoint needs a key, and the environment has none
        CliHarness.Result result = CliHarness.run("{\"question\": \"What is 2 + 2?\"}\n", Map.of(), "run",
                "--signature", "question -> answer", "--lm", "openai/gpt-4o-mini");

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.PROVIDER);
        assertThat(result.err()).contains("OPENAI_API_KEY");
    }

    @Test
    void runsAUserProgramClassFromTheClassPath() {
        // when
        CliHarness.Result result = CliHarness.run("{\"question\": \"Which planet is red?\"}\n", "run",
                "--program-class", ShoutingQa.class.getName(), "--lm", "openai/gpt-4o-mini",
                "--base-url", server.baseUrl().toString());

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(lines(result.out())).singleElement()
                .satisfies(line -> assertThat(line.path("outputs").path("answer").asString()).isEqualTo("MARS"));
    }

    @Test
    void answersARerunFromTheDiskCache() {
        // given
        String cache = dir.resolve("cache").toString();
        String stdin = "{\"question\": \"What is 2 + 2?\"}\n";

        // when: two separate runs, as two processes would be
        CliHarness.Result first = CliHarness.run(stdin, run("--cache", cache));
        CliHarness.Result second = CliHarness.run(stdin, run("--cache", cache));

        // then
        assertThat(first.exitCode()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(server.requestCount()).isEqualTo(1);
    }
}
