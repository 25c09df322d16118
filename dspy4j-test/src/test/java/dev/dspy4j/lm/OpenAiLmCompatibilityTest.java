package dev.dspy4j.lm;

import dev.dspy4j.provider.OpenAiEmbedder;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.testkit.LmCompatibilityKit;
import dev.dspy4j.testkit.server.Dialect;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** {@link OpenAiLm} and {@link OpenAiEmbedder} against the OpenAI-dialect fake server. */
class OpenAiLmCompatibilityTest extends LmCompatibilityKit {

    @Override
    protected Dialect dialect() {
        return Dialect.OPENAI;
    }

    @Override
    protected Lm createLm(URI baseUrl, String apiKey, Duration timeout) {
        return OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(apiKey).baseUrl(baseUrl).timeout(timeout)
                .environment(Map.of()).build();
    }

    @Override
    protected Embedder createEmbedder(URI baseUrl, String apiKey) {
        return OpenAiEmbedder.builder().model("openai/text-embedding-3-small").apiKey(apiKey).baseUrl(baseUrl)
                .batchSize(2).environment(Map.of()).build();
    }
}
