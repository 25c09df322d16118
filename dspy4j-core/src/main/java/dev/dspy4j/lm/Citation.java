package dev.dspy4j.lm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One passage of a source document that a reply cites: what a provider's citations API returns
 * (Anthropic's {@code citations} on a text block), and the items of DSPy's
 * {@code dspy.experimental.Citations} output type.
 *
 * <p>For {@code char_location} citations (text documents) the indexes are character offsets into
 * the document, end exclusive. Anthropic's other location types keep their own units:
 * {@code page_location} (PDF pages, end exclusive) and {@code content_block_location} (content
 * blocks); {@link #type()} says which.
 *
 * @param type the location type, {@code char_location} unless the provider says otherwise
 * @param citedText the cited passage, verbatim from the document
 * @param documentIndex the position of the document among the request's documents, from 0
 * @param documentTitle the document's title, or {@code null}
 * @param startCharIndex where the passage starts in the document
 * @param endCharIndex where it ends (exclusive)
 * @param supportedText the reply text the passage supports, or {@code null} (Anthropic does not
 *     return it; an LM writing citations as text may)
 */
public record Citation(String type, String citedText, long documentIndex, @Nullable String documentTitle,
                       long startCharIndex, long endCharIndex, @Nullable String supportedText) {

    /** DSPy's default location type. */
    public static final String CHAR_LOCATION = "char_location";

    public Citation {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(citedText, "citedText");
    }

    /** A {@code char_location} citation without supported text. */
    public static Citation of(String citedText, long documentIndex, @Nullable String documentTitle,
                              long startCharIndex, long endCharIndex) {
        return new Citation(CHAR_LOCATION, citedText, documentIndex, documentTitle, startCharIndex, endCharIndex,
                null);
    }

    /**
     * The citation as DSPy's {@code Citation.format()} writes it: {@code type}, {@code cited_text},
     * {@code document_index}, {@code start_char_index}, {@code end_char_index}, then
     * {@code document_title} and {@code supported_text} when they are set and not empty.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        out.put("cited_text", citedText);
        out.put("document_index", documentIndex);
        out.put("start_char_index", startCharIndex);
        out.put("end_char_index", endCharIndex);
        if (documentTitle != null && !documentTitle.isEmpty()) {
            out.put("document_title", documentTitle);
        }
        if (supportedText != null && !supportedText.isEmpty()) {
            out.put("supported_text", supportedText);
        }
        return out;
    }
}
