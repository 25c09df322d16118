package dev.dspy4j.lm;

import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One part of a message's content: text, an image, audio, a file or a citable document. A closed
 * set: providers
 * translate each kind into their own wire shape (OpenAI content parts, Anthropic blocks).
 *
 * <p>Media are held the way DSPy holds them, so prompts and cache keys match: an image is a URL
 * (an {@code https:} address or a {@code data:} URI carrying the bytes), audio is base64 data with
 * its format, a file is a provider file id or a {@code data:} URI, with an optional name, and a
 * document is text (or PDF data) with a title, in Anthropic's citations shape. Use the
 * {@code of*} factories to build them from bytes. All parts are immutable values.
 */
public sealed interface ContentPart {

    /** A text part. */
    static Text text(String text) {
        return new Text(text);
    }

    /**
     * Text.
     *
     * @param text the text, possibly empty
     */
    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An image, by URL: a web address or a {@code data:} URI.
     *
     * @param url the address; {@code data:<media type>;base64,<data>} for inline bytes
     */
    record Image(String url) implements ContentPart {
        public Image {
            Objects.requireNonNull(url, "url");
            if (url.isBlank()) {
                throw new IllegalArgumentException("An image needs a URL or data; got a blank URL");
            }
        }

        /** An image from its bytes, sent inline as a {@code data:} URI. */
        public static Image ofBytes(byte[] data, String mediaType) {
            return new Image(DataUris.encode(data, mediaType));
        }

        /** Whether the bytes travel inline ({@code data:} URI) rather than by address. */
        public boolean inline() {
            return DataUris.is(url);
        }

        /** The media type of inline bytes ({@code image/png}, ...), or {@code null} for a web address. */
        public @Nullable String mediaType() {
            return inline() ? DataUris.mediaType(url) : null;
        }

        /** The base64 data of inline bytes, or {@code null} for a web address. */
        public @Nullable String base64Data() {
            return inline() ? DataUris.data(url) : null;
        }

        @Override
        public String toString() {
            return "Image[" + DataUris.abbreviate(url) + "]";
        }
    }

    /**
     * Audio, inline.
     *
     * @param base64Data the audio bytes in base64
     * @param format the audio format as providers name it ({@code wav}, {@code mp3}, ...)
     */
    record Audio(String base64Data, String format) implements ContentPart {
        public Audio {
            Objects.requireNonNull(base64Data, "base64Data");
            Objects.requireNonNull(format, "format");
        }

        /** Audio from its bytes. */
        public static Audio ofBytes(byte[] data, String format) {
            return new Audio(Base64.getEncoder().encodeToString(data), format.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return "Audio[" + format + ", " + base64Data.length() + " base64 chars]";
        }
    }

    /**
     * A file: a provider's file id, or inline data as a {@code data:} URI, with an optional name.
     * At least one of {@code fileId} and {@code dataUri} is set.
     *
     * @param fileId the provider's id of an uploaded file, or {@code null}
     * @param dataUri the file's bytes as {@code data:<media type>;base64,<data>}, or {@code null}
     * @param filename the file's name, or {@code null}
     */
    record File(@Nullable String fileId, @Nullable String dataUri, @Nullable String filename) implements ContentPart {
        public File {
            if (fileId == null && dataUri == null) {
                throw new IllegalArgumentException("A file part needs a file id or data; both are null");
            }
            if (dataUri != null && !DataUris.is(dataUri)) {
                throw new IllegalArgumentException("A file's data must be a data: URI (data:<type>;base64,...), got "
                        + DataUris.abbreviate(dataUri));
            }
        }

        /** A file from its bytes. */
        public static File ofBytes(byte[] data, String mediaType, @Nullable String filename) {
            return new File(null, DataUris.encode(data, mediaType), filename);
        }

        /** A file uploaded to the provider before, by id. */
        public static File ofId(String fileId, @Nullable String filename) {
            return new File(Objects.requireNonNull(fileId, "fileId"), null, filename);
        }

        /** The media type of inline data, or {@code null}. */
        public @Nullable String mediaType() {
            return dataUri == null ? null : DataUris.mediaType(dataUri);
        }

        /** The base64 data of inline data, or {@code null}. */
        public @Nullable String base64Data() {
            return dataUri == null ? null : DataUris.data(dataUri);
        }

        @Override
        public String toString() {
            return "File[" + (filename != null ? filename : fileId != null ? fileId : DataUris.abbreviate(dataUri)) + "]";
        }
    }

    /**
     * A document the model may cite: DSPy's {@code dspy.experimental.Document}, sent as Anthropic's
     * {@code document} block with citations enabled. DSPy writes it in that shape for every
     * provider, so it is sent as is to OpenAI-compatible servers too (which pass it on, or reject
     * it with a bad-request error when they do not accept documents).
     *
     * @param data the document's text (or base64 data for {@code application/pdf})
     * @param mediaType {@code text/plain} or {@code application/pdf}
     * @param title the title shown in citations, or {@code null}
     * @param context context about the document that is not cited, or {@code null}
     */
    record Document(String data, String mediaType, @Nullable String title, @Nullable String context)
            implements ContentPart {
        public Document {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(mediaType, "mediaType");
        }

        @Override
        public String toString() {
            return "Document[" + (title != null ? "'" + title + "', " : "") + data.length() + " chars]";
        }
    }
}
