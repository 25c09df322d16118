package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * DSPy's default adapter: every field is a section headed by a marker line
 * {@code [[ ## name ## ]]}, and the reply ends with {@code [[ ## completed ## ]]}.
 *
 * <pre>{@code
 * [[ ## question ## ]]
 * What is 2+2?
 *
 * Respond with the corresponding output fields, starting with the field `[[ ## answer ## ]]`, ...
 * }</pre>
 *
 * <p>Parsing reads each marker's section (the first occurrence of an output wins, unknown names
 * are ignored), converts it with DSPy's {@code parse_value}, fills missing optional outputs and
 * requires every output to be present.
 *
 * <p>As in DSPy, a failed call is retried once with {@link JsonAdapter} (see {@link #fallback()}),
 * unless it was made with {@link #withoutFallback()} or {@code withJsonFallback(false)}.
 *
 * <p>Immutable and thread-safe. The system message is rendered once per signature and memoized
 * on it.
 */
public final class ChatAdapter implements Adapter {

    /** The default: JSON fallback on, native function calling off (DSPy's defaults). */
    public static final ChatAdapter DEFAULT = new ChatAdapter(true, false);

    private static final Object SYSTEM_MESSAGE = new Object();
    private static final Object SYSTEM_MESSAGE_OBJECT = new Object();

    private final boolean jsonFallback;
    private final boolean nativeFunctionCalling;

    private ChatAdapter(boolean jsonFallback, boolean nativeFunctionCalling) {
        this.jsonFallback = jsonFallback;
        this.nativeFunctionCalling = nativeFunctionCalling;
    }

    private static final ChatAdapter WITHOUT_FALLBACK = new ChatAdapter(false, false);

    /**
     * The default adapter without the JSON fallback (DSPy's
     * {@code ChatAdapter(use_json_adapter_fallback=False)}): a parse failure is reported instead
     * of retried.
     */
    public static ChatAdapter withoutFallback() {
        return WITHOUT_FALLBACK;
    }

    /** This adapter with the JSON fallback on or off (DSPy's {@code use_json_adapter_fallback}). */
    public ChatAdapter withJsonFallback(boolean enabled) {
        return enabled == jsonFallback ? this : new ChatAdapter(enabled, nativeFunctionCalling);
    }

    /**
     * This adapter with native function calling on or off (DSPy's
     * {@code use_native_function_calling}, off by default). When off, the request's tools and tool
     * choice (and a {@code parallel_tool_calls} option) are removed. The JSON fallback inherits the setting.
     */
    public ChatAdapter withNativeFunctionCalling(boolean enabled) {
        return new ChatAdapter(jsonFallback, enabled);
    }

    /** Whether a failed call is retried with {@link JsonAdapter}. */
    public boolean usesJsonFallback() {
        return jsonFallback;
    }

    /** Whether native function calling is on. */
    public boolean nativeFunctionCalling() {
        return nativeFunctionCalling;
    }

    @Override
    public String name() {
        return "ChatAdapter";
    }

    @Override
    public String formatSystemMessage(Signature signature) {
        return signature.memo(SYSTEM_MESSAGE, ChatAdapter::renderSystemMessage);
    }

    private static String renderSystemMessage(Signature signature) {
        String structure = PythonText.strip(joinBlocks(
                "All interactions will be structured in the following way, with the appropriate values filled in.",
                ChatTurns.placeholderSections(signature.inputs()),
                ChatTurns.placeholderSections(signature.outputs()),
                "[[ ## completed ## ]]\n"));
        return AdapterText.inputOutputDescriptions(signature) + "\n" + structure + "\n"
                + AdapterText.taskDescription(signature);
    }

    static String joinBlocks(String... blocks) {
        return String.join("\n\n", blocks);
    }

    @Override
    public List<Message> format(Signature signature, List<Example> demos, Map<String, ?> inputs) {
        return Conversation.format(signature, signature.memo(SYSTEM_MESSAGE_OBJECT,
                s -> Message.system(formatSystemMessage(s))), demos, inputs, ChatTurns.INSTANCE);
    }

    /** Leaves out the request's tools (and tool choice) unless native function calling is on, as DSPy does. */
    @Override
    public LmRequest prepare(Signature signature, LmRequest request, LmCapabilities capabilities) {
        return withoutTools(request, nativeFunctionCalling);
    }

    static LmRequest withoutTools(LmRequest request, boolean nativeFunctionCalling) {
        if (nativeFunctionCalling) {
            return request;
        }
        LmRequest out = request;
        if (!out.tools().isEmpty() || !(out.toolChoice() instanceof ToolChoice.Auto)) {
            out = out.withTools(List.of()).withToolChoice(ToolChoice.AUTO);
        }
        if (out.options().extra().containsKey("parallel_tool_calls")) {
            out = out.withOptions(out.options().withExtra("parallel_tool_calls", null));
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * @throws AdapterParseException with DSPy's message if a section cannot be converted to its
     *     field's type ({@code Failed to parse field k with value v from the LM response. Error
     *     message: e}) or a required output is missing
     */
    @Override
    public Map<String, Object> parse(Signature signature, String completion) {
        Map<String, Object> fields = new LinkedHashMap<>(signature.outputs().size() * 2);
        for (Map.Entry<String, String> section : MarkerSections.read(completion, signature).entrySet()) {
            Field field = signature.field(section.getKey());
            try {
                fields.put(section.getKey(), ValueParser.parseValue(section.getValue(), field.type()));
            } catch (RuntimeException e) {
                throw new AdapterParseException(name(), signature, completion, null,
                        "Failed to parse field " + section.getKey() + " with value " + section.getValue()
                                + " from the LM response. Error message: " + e.getMessage());
            }
        }
        return requireAllOutputs(name(), signature, completion, fields);
    }

    static Map<String, Object> requireAllOutputs(String adapter, Signature signature, String completion,
                                                 Map<String, Object> parsed) {
        Map<String, Object> completed = AdapterText.withOutputDefaults(signature, parsed);
        if (completed.size() != signature.outputs().size()) {
            throw new AdapterParseException(adapter, signature, completion, completed, null);
        }
        return completed;
    }

    /**
     * {@link JsonAdapter} with the same native-function-calling setting, as DSPy falls back, or
     * {@code null} when the fallback is off.
     */
    @Override
    public @Nullable Adapter fallback() {
        if (!jsonFallback) {
            return null;
        }
        return nativeFunctionCalling ? JsonAdapter.DEFAULT : JsonAdapter.WITHOUT_NATIVE_FUNCTION_CALLING;
    }

    @Override
    public String toString() {
        return "ChatAdapter(use_json_adapter_fallback=" + (jsonFallback ? "True" : "False")
                + ", use_native_function_calling=" + (nativeFunctionCalling ? "True" : "False") + ")";
    }
}
