package dev.dspy4j.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.Embedder;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.provider.OpenAiEmbedder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddersTest {

    @Test
    void withNoEndpointConfiguredTheDefaultIsTheInProcessModel() {
        try (Embedder embedder = Embedders.fromEnvironment(Map.of())) {
            assertThat(embedder).isInstanceOf(OnnxEmbedder.class);
        }
    }

    @Test
    void aConfiguredModelAndBaseUrlGiveTheOpenAiCompatibleEmbedder() {
        try (Embedder embedder = Embedders.fromEnvironment(Map.of(
                Embedders.MODEL_VARIABLE, "openai/nomic-embed-text",
                Embedders.BASE_URL_VARIABLE, "http://127.0.0.1:1/v1",
                "OPENAI_API_KEY", "sk-test"))) {
            assertThat(embedder).isInstanceOf(OpenAiEmbedder.class);
            assertThat(((OpenAiEmbedder) embedder).model()).isEqualTo("openai/nomic-embed-text");
        }
    }

    @Test
    void aBaseUrlWithoutAModelFailsNamingBothVariables() {
        assertThatThrownBy(() -> Embedders.fromEnvironment(Map.of(Embedders.BASE_URL_VARIABLE, "http://127.0.0.1:1/v1")))
                .isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining(Embedders.BASE_URL_VARIABLE).hasMessageContaining(Embedders.MODEL_VARIABLE);
    }
}
