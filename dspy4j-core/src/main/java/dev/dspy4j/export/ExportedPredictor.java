package dev.dspy4j.export;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.internal.content.ContentMarkers;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One predictor of a {@link PromptExport}: the fixed messages it sends (system message, demos as
 * user/assistant turns), the final user message as a template with a {@code {{name}}} placeholder
 * per input field, and the options of its requests.
 *
 * <p>{@link #render} fills the template the way the predictor's adapter writes values, so that
 * the request equals, byte for byte, the one {@code Predict} sends for the same inputs.
 *
 * <p>Immutable and thread-safe.
 */
public final class ExportedPredictor {

    private final String path;
    private final Adapter adapter;
    private final Signature signature;
    private final @Nullable String model;
    private final List<Placeholder> placeholders;
    private final List<TemplatePart> template;
    private final LmRequest request;

    ExportedPredictor(String path, Adapter adapter, Signature signature, @Nullable String model,
                      List<Placeholder> placeholders, List<TemplatePart> template, LmRequest request) {
        this.path = Objects.requireNonNull(path, "path");
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.signature = Objects.requireNonNull(signature, "signature");
        this.model = model;
        this.placeholders = List.copyOf(placeholders);
        this.template = List.copyOf(template);
        this.request = Objects.requireNonNull(request, "request");
    }

    /** The predictor's path in its program, e.g. {@code self} or {@code generate_query[0].predict}. */
    public String path() {
        return path;
    }

    /** The adapter's name as DSPy prints it, e.g. {@code ChatAdapter}. */
    public String adapterName() {
        return adapter.name();
    }

    /** The signature the predictor runs with (learned instructions included). */
    public Signature signature() {
        return signature;
    }

    /** The model of the predictor's LM (its own, else the context's), or {@code null} if none was set. */
    public @Nullable String model() {
        return model;
    }

    /** The input fields, in signature order, each with its {@code {{name}}} placeholder. */
    public List<Placeholder> placeholders() {
        return placeholders;
    }

    /** The fixed messages that come before the final user message: system, then demo turns. */
    public List<Message> messages() {
        return request.messages();
    }

    /** The final user message's template as parts: literal text and field values, in order. */
    public List<TemplatePart> templateParts() {
        return template;
    }

    /**
     * The final user message's template as one string, each input's value written as
     * {@code {{name}}}. The literal text never contains {@code {{name}}} for an input's name (the
     * export refuses such a program), so a single left-to-right substitution is unambiguous.
     */
    public String userTemplate() {
        StringBuilder out = new StringBuilder();
        for (TemplatePart part : template) {
            switch (part) {
                case TemplatePart.Text text -> out.append(text.text());
                case TemplatePart.FieldValue value -> out.append("{{").append(value.name()).append("}}");
            }
        }
        return out.toString();
    }

    /**
     * The request options another stack must send, as OpenAI chat-completions parameters (wire
     * names, in the order dspy4j sends them): e.g. {@code temperature}, {@code max_tokens},
     * {@code n}, {@code response_format}, {@code tools}. Never an API key or a base URL.
     */
    public Map<String, @Nullable Object> options() {
        Map<String, Object> body = new LinkedHashMap<>(OpenAiLm.wireBody(request.withMessages(List.of())));
        body.remove("messages");
        Object plain = JsonTrees.toJava(JsonTrees.toTree(body));
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> out = (Map<String, @Nullable Object>) Objects.requireNonNull(plain);
        return out;
    }

    /**
     * Formats one input value as this predictor's adapter writes it into the prompt: a
     * {@code str} as given, a list for a {@code str} field as a numbered list, other lists, maps
     * and records as JSON with Python's separators, numbers, booleans and {@code null} as Python
     * prints them ({@code True}, {@code None}).
     *
     * @param name the input field's name
     * @param value the value
     * @return the text that replaces {@code {{name}}}
     * @throws PromptExportException if {@code name} is not an input, or the value would be sent as
     *     content parts (media) rather than text
     */
    public String formatValue(String name, @Nullable Object value) {
        Field field = signature.hasField(name) ? signature.field(name) : null;
        if (field == null || !field.isInput()) {
            throw new PromptExportException("Predictor '" + path + "' has no input field '" + name + "'; its inputs are "
                    + placeholders.stream().map(Placeholder::name).toList() + ".");
        }
        String text = adapter.formatInputValue(field, value);
        if (ContentMarkers.contains(text)) {
            throw new PromptExportException("Input '" + name + "' of predictor '" + path + "' holds media (an image, "
                    + "audio, a file or a document), which is sent as content parts, not text; the portable export "
                    + "renders text only. Call the program with dspy4j to send media.");
        }
        return text;
    }

    /**
     * The request this predictor sends for {@code inputs}: the fixed messages, the user template
     * filled with each input's {@linkplain #formatValue formatted value}, and the options.
     *
     * @param inputs a value for every input field ({@code null} allowed for optional ones, written
     *     {@code None}); other keys are ignored
     * @return the request, equal to what {@code Predict} sends for the same inputs
     * @throws PromptExportException if an input is missing or holds media
     */
    public LmRequest render(Map<String, ?> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        Map<String, String> values = new LinkedHashMap<>();
        for (Placeholder placeholder : placeholders) {
            if (!inputs.containsKey(placeholder.name())) {
                throw new PromptExportException("Missing input '" + placeholder.name() + "' to render predictor '"
                        + path + "'; got " + inputs.keySet() + ". The export's template has a placeholder for every "
                        + "input: pass a value for each (null for an optional input you leave out).");
            }
            values.put(placeholder.name(), formatValue(placeholder.name(), inputs.get(placeholder.name())));
        }
        StringBuilder user = new StringBuilder();
        for (TemplatePart part : template) {
            switch (part) {
                case TemplatePart.Text text -> user.append(text.text());
                case TemplatePart.FieldValue value -> user.append(values.get(value.name()));
            }
        }
        String content = user.toString();
        List<Message> messages = new ArrayList<>(request.messages().size() + 1);
        messages.addAll(request.messages());
        messages.add(ContentMarkers.contains(content) ? Message.user(ContentMarkers.split(content))
                : Message.user(content));
        return request.withMessages(messages);
    }

    /**
     * The request for {@code inputs} as an OpenAI-compatible chat-completions body, pretty-printed
     * JSON: {@code model} (when known), {@code messages}, then the {@linkplain #options() options}.
     *
     * @param inputs a value for every input field
     * @return the JSON text
     * @throws PromptExportException if an input is missing or holds media
     */
    public String renderJson(Map<String, ?> inputs) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (model != null) {
            body.put("model", model);
        }
        body.putAll(OpenAiLm.wireBody(render(inputs)));
        return PythonValues.jsonDumpsIndented(JsonTrees.toJava(JsonTrees.toTree(body)));
    }

    @Override
    public String toString() {
        return "ExportedPredictor(" + path + ", " + adapter.name() + ", " + signature.shorthand() + ")";
    }
}
