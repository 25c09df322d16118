package dev.dspy4j.media;

import dev.dspy4j.internal.content.ContentMarkers;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.signature.CustomType;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.SpecialFieldType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A document the model may cite: DSPy's {@code dspy.experimental.Document}. Text (or base64 PDF
 * data) with an optional title and context.
 *
 * <p>In a prompt a document becomes Anthropic's {@code document} content block with citations
 * enabled, which is how DSPy writes it for every provider: Anthropic's client sends it as is (a
 * PDF as a base64 source); the OpenAI-compatible client passes the block through unchanged, which
 * proxies that route to Anthropic accept and OpenAI itself rejects as a bad request. The field's
 * description tells the LM what a document is. Pair it with a {@code Citations} output to get the
 * cited passages. Immutable.
 *
 * @param data the text (or, for {@code application/pdf}, the base64 data)
 * @param title the title used in citations, or {@code null}
 * @param mediaType {@code text/plain} (the default) or {@code application/pdf}
 * @param context information about the document that is not itself cited, or {@code null}
 */
@SpecialFieldType(FieldType.SpecialType.Kind.DOCUMENT)
public record Document(String data, @Nullable String title, String mediaType, @Nullable String context)
        implements Media {

    /** DSPy's {@code Document.description()}, shown under every field of this type. */
    public static final String DESCRIPTION = "A document containing text content that can be referenced and cited. "
            + "Include the full text content and optionally a title for proper referencing.";

    /** The field type of documents, for adapters and for {@link dev.dspy4j.signature.TypeRegistry}s. */
    public static final CustomType<Document> TYPE = new MediaType<>("Document", Document.class, DESCRIPTION,
            Document::fromJson, Map.of("data", "Data", "title", "Title", "media_type", "Media Type",
                    "context", "Context"), List.of("data"));

    /**
     * A document.
     *
     * @throws IllegalArgumentException if the media type is neither {@code text/plain} nor
     *     {@code application/pdf}
     */
    public Document {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mediaType, "mediaType");
        if (!mediaType.equals("text/plain") && !mediaType.equals("application/pdf")) {
            throw new IllegalArgumentException("A document's media type must be 'text/plain' or 'application/pdf', "
                    + "not '" + mediaType + "'");
        }
    }

    /** A plain-text document without a title. */
    public static Document of(String text) {
        return new Document(text, null, "text/plain", null);
    }

    /** A plain-text document with a title. */
    public static Document of(String text, String title) {
        return new Document(text, title, "text/plain", null);
    }

    /**
     * A document from a file: a {@code .pdf} as base64 PDF data, anything else read as UTF-8
     * text; titled with the file name.
     *
     * @throws IllegalArgumentException if the file is missing or larger than {@link Media#MAX_FILE_BYTES}
     */
    public static Document fromPath(Path path) {
        String name = MediaFiles.fileName(path);
        byte[] bytes = MediaFiles.read(path, "Document");
        if ("application/pdf".equals(MediaFiles.guessType(name))) {
            return new Document(Base64.getEncoder().encodeToString(bytes), name, "application/pdf", null);
        }
        return new Document(new String(bytes, StandardCharsets.UTF_8), name, "text/plain", null);
    }

    /** This document with a title. */
    public Document withTitle(@Nullable String newTitle) {
        return new Document(data, newTitle, mediaType, context);
    }

    /** This document with context. */
    public Document withContext(@Nullable String newContext) {
        return new Document(data, title, mediaType, newContext);
    }

    /**
     * A document from the shapes DSPy reads and writes: {@code {"data": ..., "title": ...,
     * "media_type": ..., "context": ...}}, a plain string (the text), or the marker string DSPy
     * saves in demos.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static Document fromJson(Object value) {
        if (value instanceof Document document) {
            return document;
        }
        if (value instanceof Map<?, ?> map && map.get("data") instanceof String data) {
            Object mediaType = map.get("media_type");
            return new Document(data, string(map.get("title")), mediaType == null ? "text/plain" : mediaType.toString(),
                    string(map.get("context")));
        }
        if (value instanceof String text) {
            List<ContentPart> parts = ContentMarkers.parts(text);
            if (parts != null && parts.size() == 1 && parts.get(0) instanceof ContentPart.Document d) {
                return new Document(d.data(), d.title(), d.mediaType(), d.context());
            }
            return of(text);
        }
        throw new IllegalArgumentException("A document must be {\"data\": \"...\", \"title\": ...} or a string, not "
                + MediaFiles.describe(value));
    }

    private static @Nullable String string(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    @Override
    public ContentPart.Document part() {
        return new ContentPart.Document(data, mediaType, title, context);
    }

    @Override
    public String toString() {
        return "Document[" + (title != null ? "'" + title + "', " : "") + data.length() + " chars]";
    }
}
