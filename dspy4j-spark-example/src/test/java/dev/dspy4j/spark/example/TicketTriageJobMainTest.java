package dev.dspy4j.spark.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.FakeLmServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TicketTriageJob#main} itself, in this JVM: the Spark settings come from {@code spark.*}
 * system properties, as {@code spark-submit} passes them, and main makes (and stops) its own
 * session.
 */
class TicketTriageJobMainTest {

    private static final Map<String, String> SPARK = Map.of("spark.master", "local[2]", "spark.ui.enabled", "false",
            "spark.driver.bindAddress", "127.0.0.1", "spark.driver.host", "127.0.0.1");

    @TempDir
    Path dir;

    @Test
    void mainRunsTheJobOnTheConfiguredMasterAndPrintsTheSummary() throws Exception {
        Path input = dir.resolve("tickets.jsonl");
        GenerateTickets.write(input, "main", 20);
        Path output = dir.resolve("triaged");
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SPARK.forEach(System::setProperty);
        try (FakeLmServer server = TicketLm.start()) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));

            TicketTriageJob.main(new String[] {"--input", input.toString(), "--output", output.toString(),
                "--lm", "openai/gpt-4o-mini", "--base-url", server.baseUrl().toString(),
                "--redis", ""});   // no shared cache, whatever DSPY4J_REDIS_URL says
        } finally {
            System.setOut(stdout);
            SPARK.keySet().forEach(System::clearProperty);
        }

        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("ticket-triage: 20 rows in ", "18 answered, 2 failed {AdapterParseException=2}");
        long lines = 0;
        try (Stream<Path> files = Files.list(output)) {
            for (Path part : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                lines += Files.readAllLines(part).size();
            }
        }
        assertThat(lines).isEqualTo(20);
        assertThat(output.resolve("_SUCCESS")).exists();
    }
}
