package dev.dspy4j.media;

import dev.dspy4j.internal.content.ContentMarkers;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.signature.CustomType;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.SpecialFieldType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A file input (a PDF, a text file, ...): DSPy's {@code dspy.File}. Inline data as a
 * {@code data:} URI, or the id of a file uploaded to the provider before, with an optional file
 * name. There is no URL form (OpenAI's file parts take data or an id): download the bytes and use
 * {@link #fromBytes}.
 *
 * <p>In a prompt a file becomes a {@code file} content part; Anthropic's client sends it as a
 * {@code document} block. Immutable.
 *
 * @param fileData the bytes as {@code data:<media type>;base64,<data>}, or {@code null}
 * @param fileId the provider's id of an uploaded file, or {@code null}
 * @param filename the file's name, or {@code null}
 */
@SpecialFieldType(FieldType.SpecialType.Kind.FILE)
public record File(@Nullable String fileData, @Nullable String fileId, @Nullable String filename) implements Media {

    /** The field type of files, for adapters and for {@link dev.dspy4j.signature.TypeRegistry}s. */
    public static final CustomType<File> TYPE = new MediaType<>("File", File.class, "", File::fromJson,
            Map.of("file_data", "File Data", "file_id", "File Id", "filename", "Filename"), List.of());

    /**
     * A file.
     *
     * @throws IllegalArgumentException if neither data nor id is set, or the data is not a
     *     {@code data:} URI
     */
    public File {
        if (fileData == null && fileId == null) {
            throw new IllegalArgumentException("A file needs data (a data: URI) or a provider file id; both are null");
        }
        if (fileData != null && !MediaFiles.isDataUri(fileData)) {
            throw new IllegalArgumentException("A file's data must be a data: URI (data:<type>;base64,...), got "
                    + MediaFiles.abbreviate(fileData) + "; read a local file with File.fromPath()");
        }
    }

    /**
     * A file from disk, named after it, with the media type from its extension
     * ({@code application/octet-stream} when unknown).
     *
     * @throws IllegalArgumentException if the file is missing or larger than {@link Media#MAX_FILE_BYTES}
     */
    public static File fromPath(Path path) {
        String name = MediaFiles.fileName(path);
        String mediaType = MediaFiles.guessType(path);
        return fromBytes(MediaFiles.read(path, "File"), name,
                mediaType == null ? "application/octet-stream" : mediaType);
    }

    /** A file from its bytes, with a name (or {@code null}) and media type. */
    public static File fromBytes(byte[] data, @Nullable String filename, String mediaType) {
        Objects.requireNonNull(mediaType, "mediaType");
        return new File(MediaFiles.dataUri(data, mediaType), null, filename);
    }

    /** A file uploaded to the provider before, by its id, with a name (or {@code null}). */
    public static File fromFileId(String fileId, @Nullable String filename) {
        return new File(null, Objects.requireNonNull(fileId, "fileId"), filename);
    }

    /**
     * A file from the shapes DSPy reads and writes: {@code {"file_data": ..., "file_id": ...,
     * "filename": ...}} (any of them), a {@code data:} URI, or the marker string DSPy saves in demos.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static File fromJson(Object value) {
        if (value instanceof File file) {
            return file;
        }
        if (value instanceof Map<?, ?> map
                && (map.containsKey("file_data") || map.containsKey("file_id") || map.containsKey("filename"))) {
            return new File(string(map.get("file_data")), string(map.get("file_id")), string(map.get("filename")));
        }
        if (value instanceof String text) {
            List<ContentPart> parts = ContentMarkers.parts(text);
            if (parts != null && parts.size() == 1 && parts.get(0) instanceof ContentPart.File file) {
                return new File(file.dataUri(), file.fileId(), file.filename());
            }
            if (text.startsWith("data:")) {
                return new File(text, null, null);
            }
        }
        throw new IllegalArgumentException("A file must be {\"file_data\": \"data:...\", \"file_id\": ..., "
                + "\"filename\": ...} or a data: URI, not " + MediaFiles.describe(value));
    }

    private static @Nullable String string(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    @Override
    public ContentPart.File part() {
        return new ContentPart.File(fileId, fileData, filename);
    }

    @Override
    public String toString() {
        String shown = filename != null ? filename
                : fileId != null ? fileId : MediaFiles.abbreviate(Objects.requireNonNullElse(fileData, ""));
        return "File[" + shown + "]";
    }
}
