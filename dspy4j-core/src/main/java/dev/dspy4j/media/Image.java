package dev.dspy4j.media;

import dev.dspy4j.internal.content.ContentMarkers;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.signature.CustomType;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.SpecialFieldType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An image input: DSPy's {@code dspy.Image}. Held as DSPy holds it, by URL: a web address
 * ({@code https:}, {@code http:} or {@code gs:}), kept as an address and fetched by the provider,
 * or a {@code data:} URI carrying the bytes in base64.
 *
 * <pre>{@code
 * Image.fromPath(Path.of("cat.png"));                 // data:image/png;base64,...
 * Image.fromUrl("https://example.com/cat.png");       // sent as the address
 * Image.fromBytes(pngBytes, "image/png");
 * }</pre>
 *
 * <p>In a prompt an image becomes an {@code image_url} content part of the user message where its
 * value goes. Immutable.
 *
 * @param url the web address or {@code data:} URI
 */
@SpecialFieldType(FieldType.SpecialType.Kind.IMAGE)
public record Image(String url) implements Media {

    /** The field type of images, for adapters and for {@link dev.dspy4j.signature.TypeRegistry}s. */
    public static final CustomType<Image> TYPE = new MediaType<>("Image", Image.class, "", Image::fromJson,
            Map.of("url", "Url"), List.of("url"));

    /**
     * An image by URL.
     *
     * @throws IllegalArgumentException unless {@code url} is a {@code data:} URI or an
     *     {@code http:}, {@code https:} or {@code gs:} address with a host, as DSPy requires (a
     *     local file is read with {@link #fromPath})
     */
    public Image {
        Objects.requireNonNull(url, "url");
        url = url.strip();
        if (!url.startsWith("data:") && !isUrl(url)) {
            throw new IllegalArgumentException("Unrecognized image string: " + MediaFiles.abbreviate(url)
                    + ". An image is an http(s)/gs URL or a data: URI; read a local file with Image.fromPath()");
        }
    }

    /** An image the provider fetches from a web address ({@code https:}, {@code http:} or {@code gs:}). */
    public static Image fromUrl(String url) {
        return new Image(url);
    }

    /**
     * An image from a file, sent inline as a {@code data:} URI; the media type comes from the
     * file's extension.
     *
     * @throws IllegalArgumentException if the file is missing, larger than
     *     {@link Media#MAX_FILE_BYTES}, or has an extension that names no image type
     */
    public static Image fromPath(Path path) {
        String mediaType = MediaFiles.guessType(path);
        if (mediaType == null || !mediaType.startsWith("image/")) {
            throw new IllegalArgumentException("Could not determine the image type of " + path
                    + " from its extension; use Image.fromBytes(bytes, \"image/png\") to name it");
        }
        return fromBytes(MediaFiles.read(path, "Image"), mediaType);
    }

    /** An image from its bytes and media type ({@code image/png}, ...), sent inline as a {@code data:} URI. */
    public static Image fromBytes(byte[] data, String mediaType) {
        return new Image(MediaFiles.dataUri(data, mediaType));
    }

    /**
     * An image from the shapes DSPy reads and writes: {@code {"url": "..."}}, a URL or
     * {@code data:} URI string, or the marker string DSPy saves in demos.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static Image fromJson(Object value) {
        if (value instanceof Image image) {
            return image;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("url") instanceof String url) {
            return new Image(url);
        }
        if (value instanceof String text) {
            List<ContentPart> parts = ContentMarkers.parts(text);
            if (parts != null && parts.size() == 1 && parts.get(0) instanceof ContentPart.Image image) {
                return new Image(image.url());
            }
            return new Image(text);
        }
        throw new IllegalArgumentException("An image must be {\"url\": \"...\"} or a URL or data: URI string, not "
                + MediaFiles.describe(value));
    }

    /** Whether the bytes travel inline ({@code data:} URI) rather than by address. */
    public boolean inline() {
        return MediaFiles.isDataUri(url);
    }

    @Override
    public ContentPart.Image part() {
        return new ContentPart.Image(url);
    }

    @Override
    public String toString() {
        return "Image[" + MediaFiles.abbreviate(url) + "]";
    }

    private static boolean isUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return ("http".equals(scheme) || "https".equals(scheme) || "gs".equals(scheme))
                    && uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
