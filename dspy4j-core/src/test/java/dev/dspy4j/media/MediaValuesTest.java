package dev.dspy4j.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.internal.content.ContentMarkers;
import dev.dspy4j.lm.ContentPart;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaValuesTest {

    @TempDir
    Path dir;

    @Test
    void anImageFromAPathIsADataUriWithTheTypeOfItsExtension() throws IOException {
        Path png = Files.write(dir.resolve("dot.PNG"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});

        Image image = Image.fromPath(png);

        assertThat(image.url()).isEqualTo("data:image/png;base64,iVBORw==");
        assertThat(image.inline()).isTrue();
        assertThat(image.part()).isEqualTo(new ContentPart.Image("data:image/png;base64,iVBORw=="));
        assertThat(image.toString()).isEqualTo("Image[data:image/png;base64,<8 chars>]");
    }

    @Test
    void anImageUrlIsKeptAsAnAddressAndALocalPathStringIsRejected() {
        assertThat(Image.fromUrl("https://example.com/a.jpg").url()).isEqualTo("https://example.com/a.jpg");
        assertThat(Image.fromUrl("gs://bucket/a.jpg").inline()).isFalse();
        assertThatThrownBy(() -> Image.fromUrl("cat.png")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unrecognized image string: cat.png").hasMessageContaining("Image.fromPath()");
    }

    @Test
    void aFileLargerThanTheLimitFailsNamingItsSizeWithoutBeingRead() throws IOException {
        Path big = dir.resolve("big.png");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(Media.MAX_FILE_BYTES + 1);
        }

        assertThatThrownBy(() -> Image.fromPath(big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("big.png").hasMessageContaining((Media.MAX_FILE_BYTES + 1) + " bytes")
                .hasMessageContaining("20 MiB");
    }

    @Test
    void missingFilesAndUnknownExtensionsFailClearly() throws IOException {
        assertThatThrownBy(() -> Image.fromPath(dir.resolve("none.png"))).hasMessageContaining("Image file not found");
        Path odd = Files.write(dir.resolve("photo.xyz"), new byte[] {1});
        assertThatThrownBy(() -> Image.fromPath(odd)).hasMessageContaining("Image.fromBytes");
        assertThatThrownBy(() -> Audio.fromPath(odd)).hasMessageContaining("Unsupported MIME type for audio");
    }

    @Test
    void audioTakesItsFormatFromTheExtensionAsPythonsMimetypesNamesIt() throws IOException {
        Audio wav = Audio.fromPath(Files.write(dir.resolve("a.wav"), new byte[] {'R', 'I', 'F', 'F'}));
        Audio mp3 = Audio.fromPath(Files.write(dir.resolve("b.mp3"), new byte[] {1}));

        assertThat(wav).isEqualTo(new Audio("UklGRg==", "wav"));
        assertThat(mp3.audioFormat()).isEqualTo("mpeg");
        assertThat(new Audio("AA==", "x-wav").audioFormat()).isEqualTo("wav");
    }

    @Test
    void aFileFromAPathKeepsItsNameAndAnUnknownTypeIsOctetStream() throws IOException {
        File pdf = File.fromPath(Files.write(dir.resolve("a.pdf"), new byte[] {'%', 'P', 'D', 'F', '-'}));
        File blob = File.fromPath(Files.write(dir.resolve("blob.bin9"), new byte[] {1}));

        assertThat(pdf).isEqualTo(new File("data:application/pdf;base64,JVBERi0=", null, "a.pdf"));
        assertThat(blob.fileData()).startsWith("data:application/octet-stream;base64,");
        assertThat(File.fromFileId("file-1", null).part()).isEqualTo(ContentPart.File.ofId("file-1", null));
        assertThatThrownBy(() -> new File("JVBERi0=", null, null)).hasMessageContaining("data: URI");
        assertThatThrownBy(() -> new File(null, null, "a.pdf")).hasMessageContaining("data").hasMessageContaining("id");
    }

    @Test
    void valuesReadDspysJsonShapes() {
        assertThat(Image.fromJson(Map.of("url", "https://example.com/a.jpg"))).isEqualTo(Image.fromUrl("https://example.com/a.jpg"));
        assertThat(Audio.fromJson(Map.of("data", "UklGRg==", "audio_format", "wav"))).isEqualTo(new Audio("UklGRg==", "wav"));
        assertThat(Audio.fromJson("data:audio/x-wav;base64,UklGRg==")).isEqualTo(new Audio("UklGRg==", "wav"));
        assertThat(File.fromJson(Map.of("file_data", "data:application/pdf;base64,JVBERi0=", "filename", "a.pdf")))
                .isEqualTo(new File("data:application/pdf;base64,JVBERi0=", null, "a.pdf"));
        assertThat(Document.fromJson(Map.of("data", "The Nile.", "title", "Nile")))
                .isEqualTo(Document.of("The Nile.", "Nile"));
        assertThat(Document.fromJson("Plain text.")).isEqualTo(Document.of("Plain text."));
        assertThatThrownBy(() -> Audio.fromJson(Map.of("data", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audio_format");
    }

    @Test
    void valuesReadTheMarkerStringsDspySavesInDemos() {
        for (Media media : List.of(Image.fromUrl("https://example.com/a.jpg"), new Audio("UklGRg==", "wav"),
                new File("data:application/pdf;base64,JVBERi0=", "file-1", "a.pdf"),
                new Document("Text \"quoted\".", "T", "text/plain", "ctx"))) {
            String saved = ContentMarkers.wrap(List.of(media.part()));
            Media read = switch (media) {
                case Image i -> Image.fromJson(saved);
                case Audio a -> Audio.fromJson(saved);
                case File f -> File.fromJson(saved);
                case Document d -> Document.fromJson(saved);
            };
            assertThat(read).isEqualTo(media);
        }
        assertThat(ContentMarkers.wrap(List.of(Image.fromUrl("https://example.com/a.jpg").part()))).isEqualTo(
                "<<CUSTOM-TYPE-START-IDENTIFIER>>[{\"type\": \"image_url\", \"image_url\": "
                        + "{\"url\": \"https://example.com/a.jpg\"}}]<<CUSTOM-TYPE-END-IDENTIFIER>>");
    }

    @Test
    void aDocumentIsTextOrPdfOnlyAndAPdfFileIsBase64() throws IOException {
        Document pdf = Document.fromPath(Files.write(dir.resolve("r.pdf"), new byte[] {'%', 'P', 'D', 'F', '-'}));
        Document text = Document.fromPath(Files.writeString(dir.resolve("notes.txt"), "Hello é"));

        assertThat(pdf).isEqualTo(new Document("JVBERi0=", "r.pdf", "application/pdf", null));
        assertThat(text).isEqualTo(new Document("Hello é", "notes.txt", "text/plain", null));
        assertThat(text.withContext("From the wiki.").part())
                .isEqualTo(new ContentPart.Document("Hello é", "text/plain", "notes.txt", "From the wiki."));
        assertThatThrownBy(() -> new Document("x", null, "text/html", null)).hasMessageContaining("text/html");
    }
}
