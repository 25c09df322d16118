package dev.dspy4j.media;

import dev.dspy4j.internal.content.ContentMarkers;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.signature.CustomType;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.SpecialFieldType;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An audio input: DSPy's {@code dspy.Audio}, base64 data with its format ({@code wav},
 * {@code mpeg}, ...). Providers take audio inline only, so there is no URL form: download the
 * bytes yourself and use {@link #fromBytes}.
 *
 * <p>In a prompt audio becomes an {@code input_audio} content part. Anthropic's API takes no
 * audio; its client fails with {@link dev.dspy4j.lm.LmException.Configuration}. Immutable.
 *
 * @param data the audio bytes in base64
 * @param audioFormat the format, e.g. {@code wav} (an {@code x-} prefix is dropped, as DSPy does)
 */
@SpecialFieldType(FieldType.SpecialType.Kind.AUDIO)
public record Audio(String data, String audioFormat) implements Media {

    /** The field type of audio, for adapters and for {@link dev.dspy4j.signature.TypeRegistry}s. */
    public static final CustomType<Audio> TYPE = new MediaType<>("Audio", Audio.class, "", Audio::fromJson,
            Map.of("data", "Data", "audio_format", "Audio Format"), List.of("data", "audio_format"));

    /** Audio; the format loses an {@code x-} prefix ({@code x-wav} is {@code wav}). */
    public Audio {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(audioFormat, "audioFormat");
        audioFormat = audioFormat.startsWith("x-") ? audioFormat.substring(2) : audioFormat;
    }

    /**
     * Audio from a file; the format comes from the extension ({@code .wav} is {@code wav},
     * {@code .mp3} is {@code mpeg}, as Python's mimetypes names them).
     *
     * @throws IllegalArgumentException if the file is missing, larger than
     *     {@link Media#MAX_FILE_BYTES}, or its extension names no audio type
     */
    public static Audio fromPath(Path path) {
        String mediaType = MediaFiles.guessType(path);
        if (mediaType == null || !mediaType.startsWith("audio/")) {
            throw new IllegalArgumentException("Unsupported MIME type for audio: " + mediaType + " (file " + path
                    + "); use Audio.fromBytes(bytes, \"wav\") to name the format");
        }
        return fromBytes(MediaFiles.read(path, "Audio"), mediaType.substring("audio/".length()));
    }

    /** Audio from its bytes and format ({@code wav}, {@code mp3}, ...). */
    public static Audio fromBytes(byte[] data, String audioFormat) {
        return new Audio(Base64.getEncoder().encodeToString(data), audioFormat);
    }

    /**
     * Audio from the shapes DSPy reads and writes: {@code {"data": "...", "audio_format": "wav"}},
     * a {@code data:audio/<format>;base64,...} URI, or the marker string DSPy saves in demos.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static Audio fromJson(Object value) {
        if (value instanceof Audio audio) {
            return audio;
        }
        if (value instanceof Map<?, ?> map && map.get("data") instanceof String data
                && map.get("audio_format") instanceof String format) {
            return new Audio(data, format);
        }
        if (value instanceof String text) {
            List<ContentPart> parts = ContentMarkers.parts(text);
            if (parts != null && parts.size() == 1 && parts.get(0) instanceof ContentPart.Audio audio) {
                return new Audio(audio.base64Data(), audio.format());
            }
            if (text.startsWith("data:audio/")) {
                int comma = text.indexOf(',');
                int semicolon = text.indexOf(';');
                int end = semicolon > 0 && semicolon < comma ? semicolon : comma;
                if (comma > 0 && end > "data:audio/".length()) {
                    return new Audio(text.substring(comma + 1), text.substring("data:audio/".length(), end));
                }
                throw new IllegalArgumentException("Malformed audio data URI: " + MediaFiles.abbreviate(text));
            }
        }
        throw new IllegalArgumentException("Audio must be {\"data\": \"<base64>\", \"audio_format\": \"wav\"} or a "
                + "data:audio/... URI, not " + MediaFiles.describe(value));
    }

    @Override
    public ContentPart.Audio part() {
        return new ContentPart.Audio(data, audioFormat);
    }

    @Override
    public String toString() {
        return "Audio[" + audioFormat + ", " + data.length() + " base64 chars]";
    }
}
