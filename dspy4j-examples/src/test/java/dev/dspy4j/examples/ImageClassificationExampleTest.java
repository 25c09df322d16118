package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ImageClassificationExampleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment, String... args) {
        return ImageClassificationExample.run(environment, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theShippedPictureTravelsAsAnImagePartAndTheLabelIsParsed() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            // a model that answers only when the request really carries a PNG image part
            server.respondWith(request -> {
                JsonNode parts = request.json().path("messages").get(1).path("content");
                boolean hasPng = parts.isArray() && parts.get(1).path("image_url").path("url").asString()
                        .startsWith("data:image/png;base64,iVBORw0KGgo");
                return Reply.text(hasPng
                        ? "[[ ## shape ## ]]\nCIRCLE\n\n[[ ## colour ## ]]\nred\n\n[[ ## completed ## ]]"
                        : "[[ ## shape ## ]]\nOTHER\n\n[[ ## colour ## ]]\nnone\n\n[[ ## completed ## ]]");
            });

            int status = run(Map.of("DSPY4J_MODEL", "openai/gpt-4o-mini",
                    "OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", "sk-image-test"));

            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("shape:  CIRCLE").contains("colour: red");
            JsonNode user = server.lastRequest().json().path("messages").get(1).path("content");
            assertThat(user.get(0).path("text").asString()).isEqualTo("[[ ## picture ## ]]\n");
            assertThat(user.get(1).path("type").asString()).isEqualTo("image_url");
            assertThat(user.get(2).path("text").asString()).startsWith("\n\nRespond with the corresponding output fields");
        }
    }

    @Test
    void theShippedPictureIsASmallPng() {
        byte[] png = Base64.getDecoder().decode(ImageClassificationExample.sample().url().substring(
                "data:image/png;base64,".length()));

        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(png.length).isBetween(500, 8_000);
    }

    @Test
    void aMissingImageFileIsReportedNotThrown() {
        int status = run(Map.of("DSPY4J_MODEL", "openai/gpt-4o-mini", "OPENAI_API_KEY", "sk-x"), "no/such.png");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Image file not found");
    }
}
