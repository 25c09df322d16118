package dev.dspy4j.adapter;

import dev.dspy4j.signature.FieldType;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt texts of DSPy's built-in custom types that carry one: the {@code Type description of
 * X: ...} line under a field whose type is or contains such a type ({@code Code}, {@code Citations}),
 * and the JSON schema DSPy's pydantic gives {@code Citations}.
 *
 * <p>Stateless and thread-safe.
 */
final class TypeDescriptions {

    /** DSPy's {@code Citations.description()}. */
    static final String CITATIONS = "Citations with quoted text and source references. Include the exact text being"
            + " cited and information about its source.";

    /**
     * The JSON schema of {@code dspy.experimental.Citations} as DSPy 3.3.1 writes it into the
     * output note, byte for byte (pydantic's schema, {@code type} keys first, with the class's
     * docstring as its description).
     */
    static final String CITATIONS_SCHEMA = "{\"type\": \"object\", \"$defs\": {\"Citation\": {\"type\": \"object\", \"description\": \"Individual "
            + "citation with character location information.\", \"properties\": {\"type\": {\"type\": "
            + "\"string\", \"default\": \"char_location\", \"title\": \"Type\"}, \"cited_text\": {\"type\": \"string\","
            + " \"title\": \"Cited Text\"}, \"document_index\": {\"type\": \"integer\", \"title\": \"Document "
            + "Index\"}, \"document_title\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": "
            + "null, \"title\": \"Document Title\"}, \"end_char_index\": {\"type\": \"integer\", \"title\": "
            + "\"End Char Index\"}, \"start_char_index\": {\"type\": \"integer\", \"title\": \"Start Char "
            + "Index\"}, \"supported_text\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": "
            + "null, \"title\": \"Supported Text\"}}, \"required\": [\"cited_text\", \"document_index\", "
            + "\"start_char_index\", \"end_char_index\"], \"title\": \"Citation\"}}, \"description\": \"Experimental: "
            + "This class may change or be removed in a future release without warning (introduced "
            + "in v3.0.4).\\n\\nCitations extracted from an LM response with source references.\\n\\n "
            + "   This type represents citations returned by language models that support\\n    "
            + "citation extraction, particularly Anthropic's Citations API through LiteLLM.\\n  "
            + "  Citations include the quoted text and source information.\\n\\n    Examples:\\n  "
            + "      ```python\\n        import os\\n        import dspy\\n        from dspy.signatures "
            + "import Signature\\n        from dspy.experimental import Citations, Document\\n   "
            + "     os.environ[\\\"ANTHROPIC_API_KEY\\\"] = \\\"YOUR_ANTHROPIC_API_KEY\\\"\\n\\n        class "
            + "AnswerWithSources(Signature):\\n            '''Answer questions using provided documents "
            + "with citations.'''\\n            documents: list[Document] = dspy.InputField()\\n "
            + "           question: str = dspy.InputField()\\n            answer: str = dspy.OutputField()\\n "
            + "           citations: Citations = dspy.OutputField()\\n\\n        # Create documents "
            + "to provide as sources\\n        docs = [\\n            Document(\\n                "
            + "data=\\\"The Earth orbits the Sun in an elliptical path.\\\",\\n                title=\\\"Basic "
            + "Astronomy Facts\\\"\\n            ),\\n            Document(\\n                data=\\\"Water "
            + "boils at 100°C at standard atmospheric pressure.\\\",\\n                title=\\\"Physics "
            + "Fundamentals\\\",\\n                metadata={\\\"author\\\": \\\"Dr. Smith\\\", \\\"year\\\": "
            + "2023}\\n            )\\n        ]\\n\\n        # Use with a model that supports citations "
            + "like Claude\\n        lm = dspy.LM(\\\"anthropic/claude-opus-4-1-20250805\\\")\\n     "
            + "   predictor = dspy.Predict(AnswerWithSources)\\n        result = predictor(documents=docs,"
            + " question=\\\"What temperature does water boil?\\\", lm=lm)\\n\\n        for citation "
            + "in result.citations.citations:\\n            print(citation.format())\\n        ```\\n "
            + "   \", \"properties\": {\"citations\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/Citation\"},"
            + " \"title\": \"Citations\"}}, \"required\": [\"citations\"], \"title\": \"Citations\"}";

    private TypeDescriptions() {}

    /** DSPy's {@code Code.description()} for a language. */
    static String code(String language) {
        return "Code represented in a string, specified in the `code` field. If this is an output field, the code "
                + "field should follow the markdown code block format, e.g. \n```"
                + language.toLowerCase(java.util.Locale.ROOT) + "\n{code}\n```\nProgramming language: " + language;
    }

    /**
     * The {@code \n    Type description of X: ...} lines for the custom types in {@code type} with a
     * description, in the order DSPy finds them (depth first, type arguments left to right).
     */
    static String lines(FieldType type) {
        List<FieldType> found = new ArrayList<>(2);
        collect(type, found);
        if (found.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (FieldType custom : found) {
            String description = switch (custom) {
                case FieldType.CodeType c -> code(c.language());
                default -> CITATIONS;
            };
            out.append("\n    Type description of ").append(custom.pythonName()).append(": ").append(description);
        }
        return out.toString();
    }

    private static void collect(FieldType type, List<FieldType> out) {
        switch (type) {
            case FieldType.CodeType c -> out.add(c);
            case FieldType.SpecialType s when s.kind() == FieldType.SpecialType.Kind.CITATIONS -> out.add(s);
            case FieldType.ListType l -> collect(l.element(), out);
            case FieldType.DictType d -> {
                collect(d.key(), out);
                collect(d.value(), out);
            }
            case FieldType.OptionalType o -> collect(o.inner(), out);
            default -> { }
        }
    }

    /** Whether the type is {@code Citations}. */
    static boolean isCitations(FieldType type) {
        return type instanceof FieldType.SpecialType s && s.kind() == FieldType.SpecialType.Kind.CITATIONS;
    }
}
