package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramOfThoughtExampleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment) {
        return ProgramOfThoughtExample.run(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theModelsCodeRunsInTheSandboxAndTheAnswerComesFromItsOutput() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            // a model whose first code has a bug (a typo), fixed after it sees the sandbox's error
            server.respondWith(request -> {
                String user = request.lastUserText();
                if (user.contains("[[ ## code_output ## ]]")) {
                    String output = user.substring(user.indexOf("[[ ## code_output ## ]]\n") + 24).lines()
                            .findFirst().orElseThrow();
                    return Reply.text("[[ ## reasoning ## ]]\nThe code printed " + output + ".\n\n"
                            + "[[ ## answer ## ]]\n" + output + "\n\n[[ ## completed ## ]]");
                }
                if (user.contains("[[ ## error ## ]]")) {
                    return Reply.text("[[ ## reasoning ## ]]\nFix the name.\n\n[[ ## generated_code ## ]]\n"
                            + "```python\ncost = 17 * 0.35 + 4 * 0.80\nchange = round(20 - cost, 2)\n```"
                            + "\n\n[[ ## completed ## ]]");
                }
                return Reply.text("[[ ## reasoning ## ]]\nSubtract the cost from 20.\n\n[[ ## generated_code ## ]]\n"
                        + "```python\ncost = 17 * 0.35 + 4 * 0.80\nchange = round(20 - cots, 2)\n```"
                        + "\n\n[[ ## completed ## ]]");
            });

            int status = run(Map.of("DSPY4J_MODEL", "openai/gpt-4o-mini",
                    "OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", "sk-pot-test"));

            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("answer:    10.85");
            assertThat(server.requestCount()).isEqualTo(3);
            assertThat(server.requests().get(1).bodyText())
                    .contains("NameError: name 'cots' is not defined (line 2)");
        }
    }

    @Test
    void withNothingConfiguredItExplainsHowToPointItAtAProvider() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DSPY4J_MODEL");
    }
}
