package dev.dspy4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class DspyHealthIndicatorTest {

    private static final String KEY = "sk-health-test-secret";

    private static DspyProperties.Lm lm(String baseUrl) {
        DspyProperties.Lm lm = new DspyProperties.Lm();
        lm.setModel("openai/gpt-4o-mini");
        lm.setBaseUrl(baseUrl);
        lm.setApiKey(KEY);
        return lm;
    }

    private static DspyProperties.Health health(Duration cacheFor) {
        DspyProperties.Health health = new DspyProperties.Health();
        health.setTimeout(Duration.ofSeconds(2));
        health.setCacheFor(cacheFor);
        return health;
    }

    @Test
    void aProviderThatAnswersIsUpAndTheCheckSendsTheKeyButNoCompletion() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            DspyHealthIndicator indicator = new DspyHealthIndicator(lm(server.baseUrl().toString()),
                    health(Duration.ZERO));

            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("model", "openai/gpt-4o-mini");
            assertThat(health.toString()).doesNotContain(KEY);
        }
    }

    @Test
    void aResultIsReusedUntilTheCacheDurationHasPassed() {
        AtomicLong now = new AtomicLong();
        FakeLmServer server = FakeLmServer.start(Dialect.OPENAI);
        DspyHealthIndicator indicator = new DspyHealthIndicator(lm(server.baseUrl().toString()),
                health(Duration.ofSeconds(30)), now::get);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        server.stop();

        now.addAndGet(Duration.ofSeconds(29).toNanos());
        Status cached = indicator.health().getStatus();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        Health fresh = indicator.health();

        assertThat(cached).isEqualTo(Status.UP);
        assertThat(fresh.getStatus()).isEqualTo(Status.DOWN);
        assertThat(fresh.getDetails()).containsKey("error");
        assertThat(fresh.toString()).doesNotContain(KEY);
    }

    @Test
    void anUnreachableProviderIsDownWithTheError() {
        FakeLmServer server = FakeLmServer.start(Dialect.OPENAI);
        String url = server.baseUrl().toString();
        server.stop();

        Health health = new DspyHealthIndicator(lm(url), health(Duration.ZERO)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.getDetails().get("error"))).contains("ConnectException");
    }
}
