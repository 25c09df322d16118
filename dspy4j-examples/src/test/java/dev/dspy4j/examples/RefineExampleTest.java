package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefineExampleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment) {
        return RefineExample.run(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String sku(String text) {
        return "[[ ## sku ## ]]\n" + text + "\n\n[[ ## completed ## ]]";
    }

    @Test
    void bestOfNSamplesAgainAndRefineRetriesWithTheAdvice() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            // a model that is chatty on every first try, and follows a hint when it gets one
            AtomicInteger plain = new AtomicInteger();
            server.respondWith(request -> {
                String user = request.lastUserText();
                if (user.contains("[[ ## program_code ## ]]")) {
                    return Reply.text("[[ ## discussion ## ]]\nThe answer had extra words.\n\n[[ ## advice ## ]]\n"
                            + "{\"self\": \"Reply with the SKU only, e.g. LMP-01.\"}\n\n[[ ## completed ## ]]");
                }
                if (user.contains("[[ ## hint_ ## ]]\nReply with the SKU only")) {
                    return Reply.text(sku("LMP-01"));
                }
                return Reply.text(sku(plain.getAndIncrement() == 1 ? "LMP-01" : "The lamp is LMP-01."));
            });

            int status = run(Map.of("DSPY4J_MODEL", "openai/gpt-4o-mini",
                    "OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", "sk-refine-test"));

            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("BestOfN:  LMP-01").contains("Refine:   LMP-01");
            // BestOfN: two samples; Refine: an attempt (the same request as BestOfN's first, rollout id 0
            // included, so the LM cache answers it), the feedback, the hinted retry
            assertThat(server.requestCount()).isEqualTo(4);
            assertThat(server.requests().get(2).bodyText()).contains("program_code");
            assertThat(server.requests().get(3).bodyText()).contains("hint_");
            assertThat(server.requests().get(0).bodyText()).contains("\"temperature\":1.0");
            assertThat(server.requests().get(0).bodyText()).contains("LMP-01: Brass desk lamp");
        }
    }

    @Test
    void withNothingConfiguredItExplainsHowToPointItAtAProvider() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DSPY4J_MODEL");
    }
}
