package dev.dspy4j.export;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.AdapterRequest;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.TwoStepAdapter;
import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds exports. The template is found by formatting the request with a sentinel string for each
 * input, then cutting the final user message at the sentinels: so the fixed text is exactly what
 * the adapter writes, whatever the adapter. A sentinel stands for an input's value only when the
 * adapter writes a string value of that field's type as given, which is checked per field.
 */
final class PromptExporter {

    /** Private-use characters around a sentinel: no adapter writes them, and no prompt has them. */
    private static final char OPEN = '\uE000';
    private static final char CLOSE = '\uE001';

    private PromptExporter() {}

    static PromptExport export(Module program, DspyContext context) {
        Adapter adapter = context.adapter();
        ProgramState state = program.state();
        Map<String, ExportedPredictor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Predict> entry : program.namedPredictors().entrySet()) {
            String path = entry.getKey();
            out.put(path, predictor(path, entry.getValue(), state.predictor(path), adapter, context));
        }
        return new PromptExport(out);
    }

    private static ExportedPredictor predictor(String path, Predict predict, PredictorState state, Adapter adapter,
                                               DspyContext context) {
        requireSupported(path, adapter);
        Signature signature = state.signature();
        Lm lm = state.lm() != null ? state.lm() : context.lm();
        LmCapabilities capabilities = lm != null ? lm.capabilities() : LmCapabilities.NONE;
        // as Predict merges them: the context's options, the predictor's over them, n > 1 warms up
        LmOptions options = context.options().overriddenBy(predict.options());
        if (options.nOrOne() > 1 && (options.temperature() == null || options.temperature() <= 0.15)) {
            options = options.withTemperature(0.7);
        }
        Map<String, Object> sentinels = new LinkedHashMap<>();
        List<Placeholder> placeholders = new ArrayList<>();
        for (Field field : signature.inputs()) {
            requireTextType(path, field, field.type(), 0);
            String sentinel = OPEN + field.name() + CLOSE;
            if (!adapter.formatInputValue(field, sentinel).equals(sentinel)) {
                throw new PromptExportException("Input '" + field.name() + "' (" + field.type().pythonName()
                        + ") of predictor '" + path + "' is not written as plain text by " + adapter.name()
                        + ", so it has no portable placeholder. Declare it as str, a number, a bool, a list, a dict "
                        + "or a record.");
            }
            sentinels.put(field.name(), sentinel);
            placeholders.add(new Placeholder(field.name(), field.type().pythonName(), field.type().isOptional()));
        }
        LmRequest prepared = adapter.formatRequest(new AdapterRequest(signature, state.demos(), sentinels, options),
                capabilities);
        List<Message> messages = prepared.messages();
        if (messages.isEmpty() || !(messages.get(messages.size() - 1) instanceof Message.UserMessage last)
                || !last.isTextOnly()) {
            throw new PromptExportException("Predictor '" + path + "' does not end its request with a text user "
                    + "message under " + adapter.name() + "; it cannot be exported as a template.");
        }
        List<Message> fixed = messages.subList(0, messages.size() - 1);
        for (Message message : fixed) {
            if (message.text().indexOf(OPEN) >= 0) {
                throw new PromptExportException("Predictor '" + path + "' writes its inputs outside the final user "
                        + "message under " + adapter.name() + "; it cannot be exported as a template.");
            }
        }
        List<TemplatePart> template = cut(path, last.text(), placeholders);
        return new ExportedPredictor(path, adapter, signature, lm != null ? lm.model() : null, placeholders, template,
                prepared.withMessages(fixed));
    }

    private static void requireSupported(String path, Adapter adapter) {
        if (adapter instanceof TwoStepAdapter) {
            throw new PromptExportException("Predictor '" + path + "' runs under TwoStepAdapter, which makes two "
                    + "LM calls, the second built from the first one's reply: there is no single request to export. "
                    + "Export under ChatAdapter, JSONAdapter or XMLAdapter (DspyContext.withAdapter).");
        }
        if (!(adapter instanceof ChatAdapter || adapter instanceof JsonAdapter || adapter instanceof XmlAdapter)) {
            throw new PromptExportException("Predictor '" + path + "' runs under " + adapter.name() + "; the prompt "
                    + "export supports ChatAdapter, JSONAdapter and XMLAdapter. Export under one of them.");
        }
    }

    /** Refuses input types whose values are not one text in the user message. */
    private static void requireTextType(String path, Field field, FieldType type, int depth) {
        @Nullable String refused = switch (type) {
            case FieldType.SpecialType s -> switch (s.kind()) {
                case HISTORY -> "History (its turns become messages of their own)";
                case TOOL -> "Tool (tools may be sent natively, outside the prompt)";
                case TOOL_CALLS -> "ToolCalls";
                case IMAGE, AUDIO, FILE, DOCUMENT -> s.kind() + " (media is sent as content parts, not text)";
                default -> null;
            };
            case FieldType.Custom c -> "the custom type " + c.type().name() + " (it may be sent as content parts)";
            case FieldType.ListType l -> {
                requireTextType(path, field, l.element(), depth + 1);
                yield null;
            }
            case FieldType.OptionalType o -> {
                requireTextType(path, field, o.inner(), depth + 1);
                yield null;
            }
            case FieldType.DictType d -> {
                requireTextType(path, field, d.key(), depth + 1);
                requireTextType(path, field, d.value(), depth + 1);
                yield null;
            }
            default -> null;
        };
        if (refused != null) {
            throw new PromptExportException("Input '" + field.name() + "' of predictor '" + path + "' is of type "
                    + field.type().pythonName() + ", which holds " + refused + "; the portable prompt export "
                    + "supports text inputs only. Call this predictor with dspy4j, or give it a text input instead.");
        }
    }

    /** The final user message cut at the sentinels, each of which must appear exactly once. */
    private static List<TemplatePart> cut(String path, String content, List<Placeholder> placeholders) {
        List<TemplatePart> parts = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        int at = 0;
        while (true) {
            int open = content.indexOf(OPEN, at);
            if (open < 0) {
                break;
            }
            int close = content.indexOf(CLOSE, open);
            if (close < 0) {
                throw new IllegalStateException("Unclosed export sentinel in the user message of " + path);
            }
            if (open > at) {
                parts.add(new TemplatePart.Text(content.substring(at, open)));
            }
            String name = content.substring(open + 1, close);
            seen.merge(name, 1, Integer::sum);
            parts.add(new TemplatePart.FieldValue(name));
            at = close + 1;
        }
        if (at < content.length()) {
            parts.add(new TemplatePart.Text(content.substring(at)));
        }
        for (Placeholder placeholder : placeholders) {
            Integer count = seen.get(placeholder.name());
            if (count == null || count != 1) {
                throw new PromptExportException("Input '" + placeholder.name() + "' of predictor '" + path + "' appears "
                        + (count == null ? "nowhere" : count + " times") + " in the final user message; the export "
                        + "needs each input exactly once there.");
            }
        }
        for (TemplatePart part : parts) {
            if (part instanceof TemplatePart.Text text) {
                for (Placeholder placeholder : placeholders) {
                    if (text.text().contains(placeholder.token())) {
                        throw new PromptExportException("The user message of predictor '" + path + "' contains the "
                                + "literal text " + placeholder.token() + ", which would read as a placeholder; "
                                + "it cannot be exported as a template.");
                    }
                }
            }
        }
        return parts;
    }
}
