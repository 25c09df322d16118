package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.provider.AnthropicLm;
import dev.dspy4j.provider.OpenAiLm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LMs built with the same settings share one JDK HttpClient, so building many does not leak threads. */
class SharedHttpClientTest {

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    static long selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("HttpClient-")).count();
    }

    @Test
    void twoHundredLmsWithTheSameSettingsShareOneSelectorThread() {
        server.respond(200, OpenAiLmTest.OK);
        OpenAiLm warmUp = server.openAi();
        warmUp.call(new LmRequest(List.of(Message.user("q")), LmOptions.NONE));
        long before = selectorThreads();

        List<Lm> kept = new ArrayList<>(); // all reachable: a per-instance client would keep its thread
        for (int i = 0; i < 200; i++) {
            OpenAiLm lm = server.openAi();
            assertThat(lm.call(new LmRequest(List.of(Message.user("q" + i)), LmOptions.NONE)).text())
                    .isEqualTo("Paris");
            kept.add(lm);
        }
        for (int i = 0; i < 20; i++) {
            AnthropicLm lm = server.anthropic();
            kept.add(lm);
        }

        assertThat(kept).hasSize(220);
        assertThat(selectorThreads() - before).isLessThanOrEqualTo(1);
    }
}
