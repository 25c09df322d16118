package dev.dspy4j.lm;

import dev.dspy4j.provider.AnthropicLm;
import dev.dspy4j.testkit.LmCompatibilityKit;
import dev.dspy4j.testkit.server.Dialect;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** {@link AnthropicLm} against the Anthropic-dialect fake server. */
class AnthropicLmCompatibilityTest extends LmCompatibilityKit {

    @Override
    protected Dialect dialect() {
        return Dialect.ANTHROPIC;
    }

    @Override
    protected Lm createLm(URI baseUrl, String apiKey, Duration timeout) {
        return AnthropicLm.builder().model("anthropic/claude-3-5-haiku-latest").apiKey(apiKey).baseUrl(baseUrl)
                .timeout(timeout).environment(Map.of()).build();
    }
}
