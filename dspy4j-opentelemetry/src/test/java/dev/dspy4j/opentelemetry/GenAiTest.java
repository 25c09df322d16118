package dev.dspy4j.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenAiTest {

    @ParameterizedTest
    @CsvSource({
            "openai/gpt-4o-mini, openai, gpt-4o-mini",
            "anthropic/claude-3-5-haiku-latest, anthropic, claude-3-5-haiku-latest",
            "ollama_chat/llama3.2, ollama, llama3.2",
            "gemini/gemini-2.0-flash, gcp.gemini, gemini-2.0-flash",
            "vertex_ai/gemini-2.0-flash, gcp.vertex_ai, gemini-2.0-flash",
            "azure/my-deployment, azure.ai.openai, my-deployment",
            "openai/accounts/fireworks/models/llama, openai, accounts/fireworks/models/llama",
    })
    void aModelNameSplitsIntoTheConventionsProviderAndTheRequestedModel(String model, String provider, String requested) {
        assertThat(GenAi.provider(model)).isEqualTo(provider);
        assertThat(GenAi.requestModel(model)).isEqualTo(requested);
    }

    @Test
    void aModelWithoutAPrefixHasNoProvider() {
        assertThat(GenAi.provider("scripted")).isNull();
        assertThat(GenAi.requestModel("scripted")).isEqualTo("scripted");
    }
}
