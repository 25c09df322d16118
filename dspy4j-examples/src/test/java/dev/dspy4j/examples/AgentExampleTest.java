package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentExampleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment) {
        return AgentExample.run(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String step(String thought, String tool, String args) {
        return "[[ ## next_thought ## ]]\n" + thought + "\n\n[[ ## next_tool_name ## ]]\n" + tool
                + "\n\n[[ ## next_tool_args ## ]]\n" + args + "\n\n[[ ## completed ## ]]";
    }

    @Test
    void theAgentLooksProductsUpComputesTheTotalAndAnswers() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            // a model that searches twice, computes, finishes, then answers from the trajectory
            server.respondWith(request -> {
                String user = request.lastUserText();
                if (user.contains("`[[ ## reasoning ## ]]`")) {
                    return Reply.text("[[ ## reasoning ## ]]\nThe calculator gave 169.3.\n\n[[ ## answer ## ]]\n169.3"
                            + "\n\n[[ ## completed ## ]]");
                }
                if (!user.contains("observation_0")) {
                    return Reply.text(step("Find the lamp.", "find_products", "{\"query\": \"desk lamp\"}"));
                }
                if (!user.contains("observation_1")) {
                    return Reply.text(step("Find the chair.", "find_products", "{\"query\": \"dining chair\"}"));
                }
                if (!user.contains("observation_2")) {
                    return Reply.text(step("Add them up.", "calculate", "{\"expression\": \"2 * 39.90 + 89.50\"}"));
                }
                return Reply.text(step("I have the total.", "finish", "{}"));
            });

            int status = run(Map.of("DSPY4J_MODEL", "openai/gpt-4o-mini",
                    "OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", "sk-agent-test"));

            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed).contains("answer:   169.3")
                    .contains("observation_0: [LMP-01: Brass desk lamp, 39.90 EUR, 12 in stock]")
                    .contains("observation_2: 169.3")
                    .contains("tool_name_3: finish");
            assertThat(server.requestCount()).isEqualTo(5);
            // the tools as the LM saw them, with finish last
            assertThat(server.requests().get(0).bodyText()).contains("(1) calculate, whose description is");
        }
    }

    @Test
    void withNothingConfiguredItExplainsHowToPointItAtAProvider() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DSPY4J_MODEL");
    }

    @Test
    void theToolsWorkOnTheShippedCatalogue() {
        ProductCatalogue catalogue = ProductCatalogue.load();

        assertThat(catalogue.findProducts("Garden chair")).containsExactly(
                "CHR-02: Folding garden chair, 24.99 EUR, out of stock");
        assertThat(catalogue.findProducts("sofa")).isEqualTo(List.of("No product matches 'sofa'."));
        assertThat(ProductCatalogue.calculate("2 * (39.90 + 10) - -1")).isEqualTo(100.8);
    }
}
