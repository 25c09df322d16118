package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void closingOneLmLeavesAnotherWithTheSameSettingsWorkingAndFailsItsOwnLaterCalls() {
        server.respond(200, OpenAiLmTest.OK);
        LmRequest request = new LmRequest(List.of(Message.user("q")), LmOptions.NONE);
        OpenAiLm kept = server.openAi();
        Lm closed = server.openAi().withInterceptors(Retry.defaults()); // close goes through the chain
        assertThat(closed.call(request).text()).isEqualTo("Paris");

        closed.close();
        closed.close();

        assertThat(kept.call(request).text()).isEqualTo("Paris");
        assertThatThrownBy(() -> closed.call(request))
                .isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("was closed");
        kept.close();
        assertThat(server.openAi().call(request).text()).isEqualTo("Paris"); // a new LM gets a new client
    }

    @Test
    void anLmInTryWithResourcesReleasesItsSelectorThread() throws Exception {
        server.respond(200, OpenAiLmTest.OK);
        long during;
        // a timeout (hence connect timeout) no other test uses, so that this client is not shared with theirs
        try (Lm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(OpenAiLmTest.KEY).baseUrl(server.v1())
                .timeout(java.time.Duration.ofMillis(7_007)).build()) {
            assertThat(lm.call(new LmRequest(List.of(Message.user("q")), LmOptions.NONE)).text()).isEqualTo("Paris");
            during = selectorThreads();
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (selectorThreads() >= during && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(selectorThreads()).isLessThan(during);
    }
}
