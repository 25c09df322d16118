package dev.dspy4j.export;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.provider.OpenAiLm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Writes an export as JSON (the versioned {@code dspy4j.prompt-export} format) and as Markdown. */
final class ExportWriters {

    private ExportWriters() {}

    static String json(PromptExport export) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", PromptExport.FORMAT);
        root.put("version", PromptExport.VERSION);
        root.put("placeholder_syntax", "{{name}}");
        Map<String, Object> predictors = new LinkedHashMap<>();
        export.predictors().forEach((path, predictor) -> predictors.put(path, predictorJson(predictor)));
        root.put("predictors", predictors);
        return PythonValues.jsonDumpsIndented(root) + "\n";
    }

    private static Map<String, Object> predictorJson(ExportedPredictor predictor) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("adapter", predictor.adapterName());
        out.put("signature", predictor.signature().shorthand());
        out.put("model", predictor.model());
        out.put("messages", messagesJson(predictor));
        out.put("user_template", predictor.userTemplate());
        List<Object> parts = new ArrayList<>();
        for (TemplatePart part : predictor.templateParts()) {
            parts.add(switch (part) {
                case TemplatePart.Text text -> Map.of("text", text.text());
                case TemplatePart.FieldValue value -> Map.of("field", value.name());
            });
        }
        out.put("user_template_parts", parts);
        List<Object> placeholders = new ArrayList<>();
        for (Placeholder placeholder : predictor.placeholders()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", placeholder.name());
            entry.put("token", placeholder.token());
            entry.put("type", placeholder.type());
            entry.put("optional", placeholder.optional());
            placeholders.add(entry);
        }
        out.put("placeholders", placeholders);
        out.put("options", predictor.options());
        return out;
    }

    /** The fixed messages in OpenAI's chat shape (role, content; content parts for media demos). */
    @SuppressWarnings("unchecked")
    private static List<Object> messagesJson(ExportedPredictor predictor) {
        Object messages = OpenAiLm.wireBody(LmRequest.of(predictor.messages())).get("messages");
        return (List<Object>) Objects.requireNonNull(JsonTrees.toJava(JsonTrees.toTree(messages)));
    }

    static String markdown(PromptExport export) {
        StringBuilder out = new StringBuilder(4096);
        out.append("# Prompt export\n\n")
                .append("Format `").append(PromptExport.FORMAT).append("`, version ").append(PromptExport.VERSION)
                .append(". Each predictor sends its messages in order, then the user template with every ")
                .append("`{{name}}` replaced by that input's formatted value.\n");
        export.predictors().forEach((path, predictor) -> predictorMarkdown(out, path, predictor));
        return out.toString();
    }

    private static void predictorMarkdown(StringBuilder out, String path, ExportedPredictor predictor) {
        out.append("\n## `").append(path).append("`\n\n");
        out.append("- Adapter: ").append(predictor.adapterName()).append('\n');
        out.append("- Signature: `").append(predictor.signature().shorthand()).append("`\n");
        if (predictor.model() != null) {
            out.append("- Model: `").append(predictor.model()).append("`\n");
        }
        out.append("- Placeholders:");
        if (predictor.placeholders().isEmpty()) {
            out.append(" none");
        }
        for (Placeholder placeholder : predictor.placeholders()) {
            out.append(' ').append('`').append(placeholder.token()).append("` (").append(placeholder.type())
                    .append(placeholder.optional() ? ", optional" : "").append(')');
        }
        out.append('\n');
        Map<String, @Nullable Object> options = predictor.options();
        if (!options.isEmpty()) {
            out.append("\n### Options\n\n");
            fenced(out, "json", PythonValues.jsonDumpsIndented(options));
        }
        List<Object> messages = messagesJson(predictor);
        for (int i = 0; i < messages.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> message = (Map<String, Object>) messages.get(i);
            out.append("\n### ").append(i + 1).append(". ").append(message.get("role")).append("\n\n");
            Object content = message.get("content");
            fenced(out, content instanceof String ? "text" : "json",
                    content instanceof String text ? text : PythonValues.jsonDumpsIndented(content));
        }
        out.append("\n### ").append(messages.size() + 1).append(". user (template)\n\n");
        fenced(out, "text", predictor.userTemplate());
    }

    /** A fenced block whose fence is longer than any run of backticks inside the text. */
    private static void fenced(StringBuilder out, String info, String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        out.append(fence).append(info).append('\n').append(text);
        if (!text.endsWith("\n")) {
            out.append('\n');
        }
        out.append(fence).append('\n');
    }
}
