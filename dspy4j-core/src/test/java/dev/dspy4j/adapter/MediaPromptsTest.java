package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.Message;
import dev.dspy4j.media.Audio;
import dev.dspy4j.media.Document;
import dev.dspy4j.media.File;
import dev.dspy4j.media.Image;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Media inputs become content parts exactly where DSPy puts them, in every adapter. */
class MediaPromptsTest {

    private static final String CAPTION_REMINDER = "Respond with the corresponding output fields, starting with the "
            + "field `[[ ## caption ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.";

    record Photo(Image photo) {}

    record Caption(String caption) {}

    @Test
    void aRecordComponentOfTypeImageIsAnImageField() {
        Signature signature = Signature.fromRecords(Photo.class, Caption.class);

        assertThat(signature.inputs().get(0).type()).isEqualTo(new FieldType.SpecialType(FieldType.SpecialType.Kind.IMAGE));
        assertThat(ChatAdapter.DEFAULT.formatSystemMessage(signature)).startsWith("Your input fields are:\n"
                + "1. `photo` (Image):\nYour output fields are:\n1. `caption` (str):");
    }

    @Test
    void anImageSplitsTheUserMessageIntoTextImageText() {
        Signature signature = Signature.fromRecords(Photo.class, Caption.class);

        List<Message> messages = ChatAdapter.DEFAULT.format(signature, List.of(),
                Map.of("photo", Image.fromBytes(new byte[] {1, 2, 3}, "image/png")));

        assertThat(messages.get(1).content()).containsExactly(ContentPart.text("[[ ## photo ## ]]\n"),
                new ContentPart.Image("data:image/png;base64,AQID"), ContentPart.text("\n\n" + CAPTION_REMINDER));
    }

    @Test
    void aListOfImagesIsAJsonLikeListWithTextPartsBetweenTheImages() {
        Signature signature = Signature.parse("photos: list[Image], note: Optional[Image] -> caption");

        List<Message> messages = ChatAdapter.DEFAULT.format(signature, List.of(), Map.of(
                "photos", List.of(Image.fromUrl("https://example.com/a.png"), Image.fromUrl("https://example.com/b.png")),
                "note", Optional.of(Image.fromUrl("https://example.com/n.png"))));

        assertThat(messages.get(1).content()).containsExactly(
                ContentPart.text("[[ ## photos ## ]]\n[\""),
                new ContentPart.Image("https://example.com/a.png"),
                ContentPart.text("\", \""),
                new ContentPart.Image("https://example.com/b.png"),
                ContentPart.text("\"]\n\n[[ ## note ## ]]\n"),
                new ContentPart.Image("https://example.com/n.png"),
                ContentPart.text("\n\n" + CAPTION_REMINDER));
    }

    @Test
    void textOnlyPromptsStayASingleTextPart() {
        List<Message> messages = ChatAdapter.DEFAULT.format(Signature.parse("question -> answer"), List.of(),
                Map.of("question", "What is <<CUSTOM-TYPE-START-IDENTIFIER>> without an end?"));

        assertThat(messages.get(1).content()).hasSize(1);
        assertThat(messages.get(1).isTextOnly()).isTrue();
    }

    @Test
    void documentsBecomeCitableDocumentBlocksAsInDspysCitationsCase() {
        // the input side of shared/next/golden/agent_citations_01_chat.json (its Citations output aside)
        Signature signature = Signature.parse("documents: list[Document], question -> answer");

        List<Message> messages = ChatAdapter.DEFAULT.format(signature, List.of(), Map.of(
                "documents", List.of(Map.of("data", "The Nile is 6,650 km long.", "title", "Nile"),
                        Document.of("The Amazon carries the most water.", "Amazon")),
                "question", "How long is the Nile?"));

        assertThat(messages.get(0).text()).startsWith("Your input fields are:\n"
                + "1. `documents` (list[Document]): \n"
                + "    Type description of Document: A document containing text content that can be referenced and "
                + "cited. Include the full text content and optionally a title for proper referencing.\n"
                + "2. `question` (str):\n");
        assertThat(messages.get(1).content()).containsExactly(
                ContentPart.text("[[ ## documents ## ]]\n[\""),
                new ContentPart.Document("The Nile is 6,650 km long.", "text/plain", "Nile", null),
                ContentPart.text("\", \""),
                new ContentPart.Document("The Amazon carries the most water.", "text/plain", "Amazon", null),
                ContentPart.text("\"]\n\n[[ ## question ## ]]\nHow long is the Nile?\n\nRespond with the "
                        + "corresponding output fields, starting with the field `[[ ## answer ## ]]`, and then ending "
                        + "with the marker for `[[ ## completed ## ]]`."));
    }

    @Test
    void audioAndFilesGoThroughTheJsonAndXmlAdaptersToo() {
        Signature signature = Signature.parse("clip: Audio, doc: File -> summary");
        Map<String, Object> inputs = Map.of("clip", new Audio("UklGRg==", "wav"),
                "doc", new File("data:application/pdf;base64,JVBERi0=", null, "a.pdf"));

        List<ContentPart> json = JsonAdapter.DEFAULT.format(signature, List.of(), inputs).get(1).content();
        List<ContentPart> xml = XmlAdapter.DEFAULT.format(signature, List.of(), inputs).get(1).content();

        assertThat(json).containsExactly(ContentPart.text("[[ ## clip ## ]]\n"), new ContentPart.Audio("UklGRg==", "wav"),
                ContentPart.text("\n\n[[ ## doc ## ]]\n"),
                new ContentPart.File(null, "data:application/pdf;base64,JVBERi0=", "a.pdf"),
                ContentPart.text("\n\nRespond with a JSON object in the following order of fields: `summary`."));
        assertThat(xml).hasSize(5);
        assertThat(xml.get(0)).isEqualTo(ContentPart.text("<clip>\n"));
        assertThat(xml.get(1)).isEqualTo(new ContentPart.Audio("UklGRg==", "wav"));
        assertThat(xml.get(2)).isEqualTo(ContentPart.text("\n</clip>\n\n<doc>\n"));
    }

    @Test
    void theTwoStepAdaptersFirstStepCarriesTheImageToo() {
        dev.dspy4j.lm.Lm unused = request -> {
            throw new AssertionError("not called");
        };

        List<Message> messages = TwoStepAdapter.of(unused).format(Signature.parse("photo: Image -> caption"), List.of(),
                Map.of("photo", Image.fromUrl("https://example.com/a.jpg")));

        // DSPy writes str(value) there, which for a dspy.Image is its marker string
        assertThat(messages.get(1).content()).containsExactly(ContentPart.text("photo: "),
                new ContentPart.Image("https://example.com/a.jpg"));
    }

    @Test
    void demoUserTurnsCarryTheirMediaAndDspysSavedMarkerStringsRenderTheSame() {
        Signature signature = Signature.parse("photo: Image -> caption");
        Image dog = Image.fromUrl("https://example.com/dog.jpg");
        String saved = "<<CUSTOM-TYPE-START-IDENTIFIER>>[{\"type\": \"image_url\", \"image_url\": "
                + "{\"url\": \"https://example.com/dog.jpg\"}}]<<CUSTOM-TYPE-END-IDENTIFIER>>";

        List<Message> fromValue = ChatAdapter.DEFAULT.format(signature,
                List.of(Example.of("photo", dog, "caption", "A dog.")), Map.of("photo", dog));
        List<Message> fromSaved = ChatAdapter.DEFAULT.format(signature,
                List.of(Example.of("photo", saved, "caption", "A dog.")), Map.of("photo", Map.of("url", dog.url())));

        assertThat(fromValue.get(1).content()).containsExactly(ContentPart.text("[[ ## photo ## ]]\n"), dog.part());
        assertThat(fromValue.get(2).text()).isEqualTo("[[ ## caption ## ]]\nA dog.\n\n[[ ## completed ## ]]\n");
        assertThat(fromSaved).isEqualTo(fromValue);
    }

    @Test
    void anImageOutputIsParsedFromItsJsonShape() {
        Signature signature = Signature.parse("prompt -> picture: Image");

        Map<String, Object> outputs = ChatAdapter.DEFAULT.parse(signature,
                "[[ ## picture ## ]]\n{\"url\": \"https://example.com/out.png\"}\n\n[[ ## completed ## ]]");

        assertThat(outputs).containsEntry("picture", Image.fromUrl("https://example.com/out.png"));
    }

    @Test
    void aMarkerWhoseContentIsNotJsonBecomesItsRawTextAsInDspy() {
        List<ContentPart> parts = dev.dspy4j.internal.content.ContentMarkers.split(
                "a<<CUSTOM-TYPE-START-IDENTIFIER>> not json <<CUSTOM-TYPE-END-IDENTIFIER>>b");

        assertThat(parts).containsExactly(ContentPart.text("a"), ContentPart.text("not json"), ContentPart.text("b"));
    }
}
