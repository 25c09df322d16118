package dev.dspy4j.spark.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.SimulatedTicketModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class GenerateTicketsTest {

    @TempDir
    Path dir;

    @Test
    void everyTicketIsDistinctAndLabelledAsTheSimulatedModelRoutesIt() {
        List<Map<String, Object>> tickets = GenerateTickets.tickets("t", 300);

        assertThat(tickets).extracting(row -> row.get("ticket_text")).doesNotHaveDuplicates();
        assertThat(tickets).allSatisfy(row -> assertThat(row.get("category"))
                .isEqualTo(SimulatedTicketModel.truth((String) row.get("ticket_text"))));
        assertThat(tickets.subList(0, 3)).extracting(row -> row.get("category"))
                .containsExactly("billing", "technical", "account");
    }

    @Test
    void writesJsonLinesAndSaysWhere() throws Exception {
        Path file = dir.resolve("sub/tickets.jsonl");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = GenerateTickets.run(new String[] {"5", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote 5 tickets to " + file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(5);
        assertThat(JsonMapper.builder().build().readTree(lines.getFirst()).path("ticket_text").asString())
                .isEqualTo("I was charged twice for ticket item 0.");
        assertThat(GenerateTickets.run(new String[] {"many", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("<rows> must be a number, got many");
    }
}
