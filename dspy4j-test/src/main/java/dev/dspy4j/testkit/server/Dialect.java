package dev.dspy4j.testkit.server;

/** Which provider's wire format a {@link FakeLmServer} speaks. */
public enum Dialect {

    /**
     * OpenAI's Chat Completions ({@code POST {base}/chat/completions}) and Embeddings
     * ({@code POST {base}/embeddings}) with {@code Authorization: Bearer}; the base URL ends in
     * {@code /v1}, as for OpenAI itself and the many compatible servers.
     */
    OPENAI("/v1", new OpenAiWire()),

    /**
     * Anthropic's Messages API ({@code POST {base}/v1/messages}) with {@code x-api-key}; the base URL
     * is the server root, as for {@code https://api.anthropic.com}.
     */
    ANTHROPIC("", new AnthropicWire());

    private final String basePath;
    private final ProviderWire wire;

    Dialect(String basePath, ProviderWire wire) {
        this.basePath = basePath;
        this.wire = wire;
    }

    String basePath() {
        return basePath;
    }

    ProviderWire wire() {
        return wire;
    }
}
