package dev.dspy4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dspy4j.testkit.server.FakeLmServer;
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
    void exitsWithTheDocumentedCodesFromItsOwnProcess() throws Exception {
        assertThat(java("", "--version").exitCode()).isZero();
        assertThat(java("", "inspect", "--bogus").exitCode()).isEqualTo(ExitCodes.USAGE);
        Outcome missing = java("", "inspect", dir.resolve("missing.json").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(missing.err()).contains("missing.json: no such file");
    }
}
