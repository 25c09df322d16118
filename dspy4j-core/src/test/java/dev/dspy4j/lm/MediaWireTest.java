package dev.dspy4j.lm;

import static dev.dspy4j.lm.OpenAiLmTest.assertJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.media.Audio;
import dev.dspy4j.media.Document;
import dev.dspy4j.media.File;
import dev.dspy4j.media.Image;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Media inputs formatted by an adapter reach each provider in its own wire shape, against a real
 * server on loopback: OpenAI's {@code input_audio} and {@code file} parts (and DSPy's document
 * block, passed through), Anthropic's {@code document} blocks with citations.
 */
class MediaWireTest {

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    private static final String OPENAI_OK = """
            {"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"ok"}}]}""";
    private static final String ANTHROPIC_OK = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":1}}""";

    private static LmRequest request(String signature, Map<String, ?> inputs) {
        // just the user message: the system text is the adapters' business, pinned by the goldens
        return LmRequest.of(List.of(ChatAdapter.DEFAULT.format(Signature.parse(signature), List.of(), inputs).get(1)));
    }

    @Test
    void openAiGetsAudioAndFilePartsBetweenTheTextParts() {
        server.respond(200, OPENAI_OK);

        server.openAi().call(request("clip: Audio, doc: File -> summary", Map.of(
                "clip", Audio.fromBytes(new byte[] {'R', 'I', 'F', 'F'}, "wav"),
                "doc", File.fromBytes(new byte[] {'%', 'P', 'D', 'F', '-'}, "a.pdf", "application/pdf"))));

        assertJson(server.last().body(), """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":[
                  {"type":"text","text":"[[ ## clip ## ]]\\n"},
                  {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
                  {"type":"text","text":"\\n\\n[[ ## doc ## ]]\\n"},
                  {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}},
                  {"type":"text","text":"\\n\\nRespond with the corresponding output fields, starting with the field `[[ ## summary ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`."}]}]}""");
    }

    @Test
    void openAiPassesDspysDocumentBlockThroughUnchanged() {
        server.respond(200, OPENAI_OK);

        server.openAi().call(request("doc: Document -> answer", Map.of("doc",
                Document.of("The Nile is long.", "Nile").withContext("Geography notes"))));

        assertJson(server.last().body(), """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":[
                  {"type":"text","text":"[[ ## doc ## ]]\\n"},
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"The Nile is long."},
                   "citations":{"enabled":true},"title":"Nile","context":"Geography notes"},
                  {"type":"text","text":"\\n\\nRespond with the corresponding output fields, starting with the field `[[ ## answer ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`."}]}]}""");
    }

    @Test
    void anthropicGetsCitableDocumentBlocksPdfsAsBase64AndFilesAsDocuments() {
        server.respond(200, ANTHROPIC_OK);

        server.anthropic().call(request("docs: list[Document], report: File, photo: Image -> answer", Map.of(
                "docs", List.of(Document.of("The Nile is long.", "Nile"),
                        new Document("JVBERi0=", "Scan", "application/pdf", null)),
                "report", File.fromBytes(new byte[] {'%', 'P', 'D', 'F', '-'}, "r.pdf", "application/pdf"),
                "photo", Image.fromUrl("https://example.com/nile.jpg"))));

        assertJson(server.last().body(), """
                {"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":[
                  {"type":"text","text":"[[ ## docs ## ]]\\n[\\""},
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"The Nile is long."},
                   "citations":{"enabled":true},"title":"Nile"},
                  {"type":"text","text":"\\", \\""},
                  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},
                   "citations":{"enabled":true},"title":"Scan"},
                  {"type":"text","text":"\\"]\\n\\n[[ ## report ## ]]\\n"},
                  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"title":"r.pdf"},
                  {"type":"text","text":"\\n\\n[[ ## photo ## ]]\\n"},
                  {"type":"image","source":{"type":"url","url":"https://example.com/nile.jpg"}},
                  {"type":"text","text":"\\n\\nRespond with the corresponding output fields, starting with the field `[[ ## answer ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`."}]}]}""");
    }

    @Test
    void anthropicRefusesAudioInputsBeforeSendingAnything() {
        int before = server.requests().size();

        assertThatThrownBy(() -> server.anthropic().call(request("clip: Audio -> summary",
                Map.of("clip", new Audio("UklGRg==", "wav")))))
                .isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("takes no audio input").hasMessageContaining("Transcribe it first");
        assertThat(server.requests().size()).isEqualTo(before);
    }
}
