package dev.dspy4j.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads media files with a size bound, and guesses media types from file names as Python's mimetypes does. */
final class MediaFiles {

    /** Extensions to media types, as Python's {@code mimetypes.guess_type} gives them on Linux. */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"), Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/vnd.microsoft.icon"), Map.entry("heic", "image/heic"),
            Map.entry("wav", "audio/x-wav"), Map.entry("mp3", "audio/mpeg"), Map.entry("ogg", "audio/ogg"),
            Map.entry("flac", "audio/flac"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"),
            Map.entry("weba", "audio/webm"), Map.entry("aiff", "audio/x-aiff"),
            Map.entry("pdf", "application/pdf"), Map.entry("txt", "text/plain"), Map.entry("md", "text/markdown"),
            Map.entry("csv", "text/csv"), Map.entry("html", "text/html"), Map.entry("htm", "text/html"),
            Map.entry("json", "application/json"), Map.entry("xml", "text/xml"));

    private MediaFiles() {}

    /**
     * The bytes of a file no larger than {@link Media#MAX_FILE_BYTES}.
     *
     * @throws IllegalArgumentException if the file is missing, not a regular file, or too large
     * @throws UncheckedIOException if it cannot be read
     */
    static byte[] read(Path path, String what) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(what + " file not found: " + path.toAbsolutePath());
        }
        try {
            long size = Files.size(path);
            if (size > Media.MAX_FILE_BYTES) {
                throw new IllegalArgumentException(what + " file " + path.toAbsolutePath() + " has " + size
                        + " bytes, more than the " + Media.MAX_FILE_BYTES + " (20 MiB) that dspy4j sends inline;"
                        + " shrink it, or pass it by URL or provider file id");
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + what.toLowerCase(Locale.ROOT) + " file "
                    + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The media type of a file: by its extension as Python's mimetypes knows it, else as the
     * platform probes it ({@link Files#probeContentType}), else {@code null}.
     */
    static @Nullable String guessType(Path path) {
        String byName = guessType(fileName(path));
        if (byName != null) {
            return byName;
        }
        try {
            return Files.probeContentType(path);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The media type of a file name by its extension, or {@code null} if unknown. */
    static @Nullable String guessType(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return null;
        }
        return TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** {@code data:<media type>;base64,<data>}. */
    static String dataUri(byte[] data, String mediaType) {
        return "data:" + mediaType + ";base64," + java.util.Base64.getEncoder().encodeToString(data);
    }

    /** Whether a text is a {@code data:} URI. */
    static boolean isDataUri(String text) {
        return text.regionMatches(true, 0, "data:", 0, 5) && text.indexOf(',') > 0;
    }

    /** A short form for logs and errors: a data URI without its payload, other text cut at 80 characters. */
    static String abbreviate(String text) {
        if (isDataUri(text)) {
            int comma = text.indexOf(',');
            return text.substring(0, comma + 1) + "<" + (text.length() - comma - 1) + " chars>";
        }
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** A value's kind for errors, without its content. */
    static String describe(@Nullable Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String s) {
            return "the string '" + abbreviate(s) + "'";
        }
        return "a " + value.getClass().getSimpleName();
    }

    static String fileName(Path path) {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }
}
