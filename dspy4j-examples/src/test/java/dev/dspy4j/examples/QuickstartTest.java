package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuickstartTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment) {
        return Quickstart.run(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void withNothingConfiguredItExplainsHowToPointItAtAProvider() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("DSPY4J_MODEL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ollama_chat/", "OPENAI_BASE_URL");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aMissingKeyIsNamed() {
        assertThat(run(Map.of("DSPY4J_MODEL", "openai/gpt-4o-mini"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("OPENAI_API_KEY");
    }

    @Test
    void triagesTicketsAgainstAnOpenAiCompatibleServerAndReportsUsageAndThePrompt() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            server.respondWith(request -> {
                String ticket = request.lastUserText().toLowerCase(Locale.ROOT);
                String category = ticket.contains("charged") ? "billing"
                        : ticket.contains("password") ? "account" : "technical";
                return Reply.text("[[ ## reasoning ## ]]\nIt is about " + category + ".\n\n[[ ## category ## ]]\n"
                        + category + "\n\n[[ ## completed ## ]]").withUsage(120, 30);
            });

            int status = run(Map.of("DSPY4J_MODEL", "openai/gpt-4o-mini",
                    "OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", "sk-quickstart-test"));

            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed).contains("category:  billing", "category:  technical", "category:  account");
            assertThat(printed).contains("360").contains("90"); // 3 calls x (120 prompt, 30 completion) tokens
            assertThat(printed).contains("Classify a customer support ticket.");
            assertThat(printed).doesNotContain("sk-quickstart-test");
            assertThat(server.requestCount()).isEqualTo(3);
        }
    }
}
