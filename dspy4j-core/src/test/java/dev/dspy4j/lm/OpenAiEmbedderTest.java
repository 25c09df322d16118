package dev.dspy4j.lm;

import static dev.dspy4j.lm.OpenAiLmTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.provider.OpenAiEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class OpenAiEmbedderTest {

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    /** Answers each input text with the vector [length, position], listing the items in reverse order. */
    static void reversedEmbeddings() {
        server.handler((request, exchange) -> {
            JsonNode inputs = OpenAiLmTest.JSON.readTree(request.body()).get("input");
            List<String> items = new ArrayList<>();
            for (int i = inputs.size() - 1; i >= 0; i--) {
                items.add("{\"object\":\"embedding\",\"index\":" + i + ",\"embedding\":["
                        + inputs.get(i).stringValue().length() + "," + i + ".5]}");
            }
            LoopbackServer.reply(exchange, 200, "{\"object\":\"list\",\"data\":[" + String.join(",", items)
                    + "],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}");
        });
    }

    @Test
    void embedsInBatchesAndRestoresInputOrderByIndex() {
        reversedEmbeddings();
        OpenAiEmbedder embedder = OpenAiEmbedder.builder().model("openai/text-embedding-3-small").apiKey(KEY)
                .baseUrl(server.v1()).batchSize(2).build();

        List<float[]> vectors = embedder.embed(List.of("a", "bb", "ccc", "dddd", "eeeee"));

        assertThat(server.requests()).hasSize(3);
        assertThat(server.requests()).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/v1/embeddings");
            assertThat(r.header("Authorization")).isEqualTo("Bearer " + KEY);
        });
        OpenAiLmTest.assertJson(server.requests().get(0).body(),
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"bb\"]}");
        OpenAiLmTest.assertJson(server.requests().get(2).body(),
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"eeeee\"]}");
        assertThat(vectors).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(vectors.get(i)).containsExactly(i + 1, (i % 2) + 0.5f);
        }
    }

    @Test
    void defaultsToBatchesOfTwoHundredAndSendsNothingForNoTexts() {
        reversedEmbeddings();
        OpenAiEmbedder embedder = OpenAiEmbedder.builder().model("ollama/nomic-embed-text")
                .baseUrl(server.base()).build();

        assertThat(embedder.embed(List.of())).isEmpty();
        assertThat(server.requests()).isEmpty();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 401; i++) {
            texts.add("t" + i);
        }
        assertThat(embedder.embed(texts)).hasSize(401);
        assertThat(server.requests()).hasSize(3);
        assertThat(server.last().path()).isEqualTo("/v1/embeddings");
        assertThat(server.last().header("Authorization")).isNull();
        assertThat(embedder.toString()).isEqualTo("OpenAiEmbedder[ollama/nomic-embed-text]");
    }

    @Test
    void repliesThatDoNotMatchTheInputsFailClearly() {
        OpenAiEmbedder embedder = OpenAiEmbedder.builder().model("openai/text-embedding-3-small").apiKey(KEY)
                .baseUrl(server.v1()).build();
        server.respond(200, "{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}");
        assertThatThrownBy(() -> embedder.embed(List.of("a", "b"))).isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("repeated");
        server.respond(200, "{\"data\":[{\"index\":0,\"embedding\":[1]}]}");
        assertThatThrownBy(() -> embedder.embed(List.of("a", "b"))).isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("1 embeddings for 2 inputs");
        server.respond(200, "{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":1,\"embedding\":[1,2]}]}");
        assertThatThrownBy(() -> embedder.embed(List.of("a", "b"))).isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("dimensions");
        server.respond(404, "{\"error\":{\"message\":\"model not found\",\"code\":\"model_not_found\"}}");
        assertThatThrownBy(() -> embedder.embed(List.of("a"))).isInstanceOf(LmException.UnknownModel.class);
    }

    @Test
    void builderValidatesAndReadsTheKeyFromTheEnvironment() {
        assertThatThrownBy(() -> OpenAiEmbedder.builder().batchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize");
        assertThatThrownBy(() -> OpenAiEmbedder.builder().model("openai/text-embedding-3-small")
                .environment(Map.of()).build()).isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("OPENAI_API_KEY");
        reversedEmbeddings();
        OpenAiEmbedder embedder = OpenAiEmbedder.builder().model("openai/text-embedding-3-small")
                .environment(Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", server.v1().toString())).build();
        embedder.embed(List.of("x"));
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(embedder.toString()).doesNotContain(KEY);
    }
}
