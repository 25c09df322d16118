package dev.dspy4j.signature;

import dev.dspy4j.lm.Citation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Passages of the input documents that a reply cites: the value of a
 * {@code dspy.experimental.Citations} output field ({@link FieldType.SpecialType.Kind#CITATIONS}).
 *
 * <p>With an LM that has {@linkplain dev.dspy4j.lm.LmCapabilities#citations() native citations}
 * (Anthropic) the field is left out of the prompt and filled from the citations the provider
 * returns; with any other LM it is an ordinary output that the LM writes as JSON (a list of
 * citations, or an object with a {@code citations} list), read by {@link #from(Object)}.
 *
 * <pre>{@code
 * record Answer(String answer, Citations citations) {}
 * }</pre>
 *
 * @param citations the citations, in reply order
 */
@SpecialFieldType(FieldType.SpecialType.Kind.CITATIONS)
public record Citations(List<Citation> citations) {

    /** No citations. */
    public static final Citations NONE = new Citations(List.of());

    public Citations {
        citations = List.copyOf(citations);
    }

    /**
     * Reads citations as DSPy's {@code Citations} validates a value: a {@code Citations}; a list of
     * citation objects (maps with at least {@code cited_text}, or {@link Citation}s); a map with a
     * {@code citations} list; or a single citation map.
     *
     * @param value the value, e.g. parsed JSON
     * @return the citations
     * @throws IllegalArgumentException if the value is none of these, or a citation lacks
     *     {@code cited_text}, {@code document_index}, {@code start_char_index} or
     *     {@code end_char_index}, or has a value of the wrong type
     */
    public static Citations from(@Nullable Object value) {
        if (value instanceof Citations c) {
            return c;
        }
        if (value instanceof Collection<?> items && items.stream().allMatch(i -> i instanceof Citation
                || (i instanceof Map<?, ?> m && m.containsKey("cited_text")))) {
            return new Citations(citationList(items));
        }
        if (value instanceof Map<?, ?> map) {
            if (map.get("citations") instanceof Collection<?> items) {
                return new Citations(citationList(items));
            }
            if (!map.containsKey("citations") && map.containsKey("cited_text")) {
                return new Citations(List.of(citation(map)));
            }
        }
        throw new IllegalArgumentException("Received invalid value for `Citations`: " + value);
    }

    private static List<Citation> citationList(Collection<?> items) {
        List<Citation> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item instanceof Citation c) {
                out.add(c);
            } else if (item instanceof Map<?, ?> map) {
                out.add(citation(map));
            } else {
                throw new IllegalArgumentException("A citation must be an object with cited_text, document_index,"
                        + " start_char_index and end_char_index, not " + item);
            }
        }
        return out;
    }

    private static Citation citation(Map<?, ?> map) {
        Object type = map.get("type");
        Object title = map.get("document_title");
        Object supported = map.get("supported_text");
        return new Citation(type == null ? Citation.CHAR_LOCATION : string(type, "type"),
                string(required(map, "cited_text"), "cited_text"), integer(required(map, "document_index"),
                "document_index"), title == null ? null : string(title, "document_title"),
                integer(required(map, "start_char_index"), "start_char_index"),
                integer(required(map, "end_char_index"), "end_char_index"),
                supported == null ? null : string(supported, "supported_text"));
    }

    private static Object required(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("A citation needs '" + key + "', but " + map + " has none");
        }
        return value;
    }

    private static String string(Object value, String key) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("A citation's '" + key + "' must be a string, not " + value);
    }

    private static long integer(Object value, String key) {
        if (value instanceof Number n && (n instanceof Long || n instanceof Integer || n instanceof Short
                || n instanceof java.math.BigInteger || n.doubleValue() == Math.rint(n.doubleValue()))) {
            return n.longValue();
        }
        if (value instanceof String s && s.strip().matches("-?\\d+")) {
            return Long.parseLong(s.strip());
        }
        throw new IllegalArgumentException("A citation's '" + key + "' must be an integer, not " + value);
    }

    /** The citations as DSPy's {@code Citations.format()} writes them: a list of {@link Citation#toMap()}. */
    public List<Map<String, Object>> toList() {
        List<Map<String, Object>> out = new ArrayList<>(citations.size());
        for (Citation citation : citations) {
            out.add(citation.toMap());
        }
        return out;
    }
}
