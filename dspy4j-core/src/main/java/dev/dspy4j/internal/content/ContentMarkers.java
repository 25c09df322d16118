package dev.dspy4j.internal.content;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.internal.python.JsonRepair;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.ContentPart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * DSPy's custom-type markers ({@code dspy/adapters/types/base_type.py}). A value that formats to
 * content parts is written into the prompt text as
 * {@code <<CUSTOM-TYPE-START-IDENTIFIER>>[...parts as JSON...]<<CUSTOM-TYPE-END-IDENTIFIER>>}
 * (inside a list or dict that JSON is itself a JSON string, so its quotes are escaped); once the
 * whole user message is written, {@link #split} cuts it into text parts around the content parts,
 * byte for byte as DSPy's {@code split_message_content_for_custom_types}. DSPy also saves such
 * values in demos as the marker string, which {@link #parts} reads back.
 *
 * <p>Stateless and thread-safe.
 */
public final class ContentMarkers {

    /** DSPy's {@code CUSTOM_TYPE_START_IDENTIFIER}. */
    public static final String START = "<<CUSTOM-TYPE-START-IDENTIFIER>>";
    /** DSPy's {@code CUSTOM_TYPE_END_IDENTIFIER}. */
    public static final String END = "<<CUSTOM-TYPE-END-IDENTIFIER>>";

    private ContentMarkers() {}

    /** DSPy's {@code serialize_model} of parts: the JSON of their OpenAI shapes between the markers. */
    public static String wrap(List<ContentPart> parts) {
        List<Object> shapes = new ArrayList<>(parts.size());
        for (ContentPart part : parts) {
            shapes.add(toMap(part));
        }
        return START + PythonValues.jsonDumps(shapes) + END;
    }

    private static final Object INVALID = new Object();

    private static @Nullable Object strictJson(String json) {
        try {
            return JsonTrees.readJava(json);
        } catch (RuntimeException e) { // Jackson's JacksonException: not JSON
            return INVALID;
        }
    }

    /** Whether a text holds a marker. */
    public static boolean contains(String text) {
        return text.contains(START);
    }

    /**
     * A user message's content as parts: the text itself when it holds no complete marker, else
     * the text between markers as text parts and each marker's parts in place, as DSPy splits it.
     *
     * @param content the message text
     * @return the parts, in order
     */
    public static List<ContentPart> split(String content) {
        int start = content.indexOf(START);
        if (start < 0) {
            return List.of(ContentPart.text(content));
        }
        List<ContentPart> out = new ArrayList<>();
        int lastEnd = 0;
        while (start >= 0) {
            int end = content.indexOf(END, start + START.length());
            if (end < 0) {
                break;
            }
            if (start > lastEnd) {
                out.add(ContentPart.text(content.substring(lastEnd, start)));
            }
            String inner = content.substring(start + START.length(), end).strip();
            List<ContentPart> parts = parse(inner);
            if (parts != null) {
                out.addAll(parts);
            } else {
                out.add(ContentPart.text(inner)); // DSPy's fallback: the raw text when it is not JSON
            }
            lastEnd = end + END.length();
            start = content.indexOf(START, lastEnd);
        }
        if (lastEnd == 0) {
            return List.of(ContentPart.text(content));
        }
        if (lastEnd < content.length()) {
            out.add(ContentPart.text(content.substring(lastEnd)));
        }
        return out;
    }

    /**
     * The parts of a text that is exactly one marker (as DSPy saves a media value in a demo), or
     * {@code null} if it is not one.
     */
    public static @Nullable List<ContentPart> parts(String text) {
        String t = text.strip();
        if (!t.startsWith(START) || !t.endsWith(END) || t.indexOf(START, 1) >= 0) {
            return null;
        }
        return parse(t.substring(START.length(), t.length() - END.length()).strip());
    }

    /** The marker's JSON, tried as DSPy tries it: JSON, doubly quoted JSON, repaired JSON. */
    private static @Nullable List<ContentPart> parse(String json) {
        Object parsed = strictJson(json);
        if (parsed == INVALID) {
            Object unquoted = strictJson("\"" + json + "\"");
            parsed = unquoted instanceof String s ? strictJson(s) : INVALID;
        }
        if (parsed == INVALID) {
            parsed = JsonRepair.loads(json);
        }
        if (!(parsed instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        List<ContentPart> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)) {
                return null;
            }
            out.add(fromMap(map));
        }
        return out;
    }

    /**
     * A part in the shape DSPy's types format it (OpenAI's content parts; Anthropic's block for a
     * document).
     */
    public static Map<String, Object> toMap(ContentPart part) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (part) {
            case ContentPart.Text text -> {
                out.put("type", "text");
                out.put("text", text.text());
            }
            case ContentPart.Image image -> {
                out.put("type", "image_url");
                out.put("image_url", Map.of("url", image.url()));
            }
            case ContentPart.Audio audio -> {
                Map<String, Object> inner = new LinkedHashMap<>();
                inner.put("data", audio.base64Data());
                inner.put("format", audio.format());
                out.put("type", "input_audio");
                out.put("input_audio", inner);
            }
            case ContentPart.File file -> {
                Map<String, Object> inner = new LinkedHashMap<>();
                putIfSet(inner, "file_data", file.dataUri());
                putIfSet(inner, "file_id", file.fileId());
                putIfSet(inner, "filename", file.filename());
                out.put("type", "file");
                out.put("file", inner);
            }
            case ContentPart.Document document -> {
                Map<String, Object> source = new LinkedHashMap<>();
                source.put("type", "text");
                source.put("media_type", document.mediaType());
                source.put("data", document.data());
                out.put("type", "document");
                out.put("source", source);
                out.put("citations", Map.of("enabled", true));
                putIfSet(out, "title", document.title());
                putIfSet(out, "context", document.context());
            }
        }
        return out;
    }

    private static void putIfSet(Map<String, Object> out, String key, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            out.put(key, value);
        }
    }

    /**
     * A part from its DSPy shape ({@link #toMap}).
     *
     * @throws IllegalArgumentException for a shape that is not one of those
     */
    public static ContentPart fromMap(Map<?, ?> map) {
        Object type = map.get("type");
        try {
            return switch (String.valueOf(type)) {
                case "text" -> ContentPart.text(string(map, "text"));
                case "image_url" -> new ContentPart.Image(string(inner(map, "image_url"), "url"));
                case "input_audio" -> {
                    Map<?, ?> audio = inner(map, "input_audio");
                    yield new ContentPart.Audio(string(audio, "data"), string(audio, "format"));
                }
                case "file" -> {
                    Map<?, ?> file = inner(map, "file");
                    yield new ContentPart.File(optional(file, "file_id"), optional(file, "file_data"),
                            optional(file, "filename"));
                }
                case "document" -> {
                    Map<?, ?> source = inner(map, "source");
                    String mediaType = optional(source, "media_type");
                    yield new ContentPart.Document(string(source, "data"), mediaType == null ? "text/plain" : mediaType,
                            optional(map, "title"), optional(map, "context"));
                }
                default -> throw new IllegalArgumentException("unknown part type " + PythonValues.repr(type));
            };
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("A custom type's content part must be one of text, image_url, "
                    + "input_audio, file or document in DSPy's shape; cannot read " + PythonValues.jsonDumps(map)
                    + ": " + e.getMessage(), e);
        }
    }

    private static Map<?, ?> inner(Map<?, ?> map, String key) {
        if (map.get(key) instanceof Map<?, ?> inner) {
            return inner;
        }
        throw new IllegalArgumentException("'" + key + "' must be an object");
    }

    private static String string(Map<?, ?> map, String key) {
        if (map.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("'" + key + "' must be a string");
    }

    private static @Nullable String optional(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? null : String.valueOf(value);
    }
}
