package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * <p>Native function calling is off by default, so a {@link dev.dspy4j.tool.ToolCalls} output is
 * written and read as text; {@link #withNativeFunctionCalling(boolean)} turns it on.
 *
 * <p>Immutable and thread-safe. The system message is rendered once per signature and memoized
 * on it.
 */
public final class ChatAdapter implements Adapter {

    /** The default: JSON fallback on, native function calling off (DSPy's defaults). */
    public static final ChatAdapter DEFAULT = new ChatAdapter(true, false, null);

    private static final Object SYSTEM_MESSAGE = new Object();
    private static final Object SYSTEM_MESSAGE_OBJECT = new Object();

    private final boolean jsonFallback;
    private final boolean nativeFunctionCalling;
    private final @Nullable Boolean parallelToolCalls;

    private ChatAdapter(boolean jsonFallback, boolean nativeFunctionCalling, @Nullable Boolean parallelToolCalls) {
        this.jsonFallback = jsonFallback;
        this.nativeFunctionCalling = nativeFunctionCalling;
        this.parallelToolCalls = parallelToolCalls;
    }

    private static final ChatAdapter WITHOUT_FALLBACK = new ChatAdapter(false, false, null);

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
        return enabled == jsonFallback ? this : new ChatAdapter(enabled, nativeFunctionCalling, parallelToolCalls);
    }

    /**
     * This adapter with native function calling on or off (DSPy's
     * {@code use_native_function_calling}, off by default).
     *
     * <p>On: when a signature has a {@code Tool} or {@code list[Tool]} input and a
     * {@link dev.dspy4j.tool.ToolCalls} output and the LM reports
     * {@linkplain LmCapabilities#functionCalling() function calling}, both fields leave the prompt
     * (the instructions keep their text), the tools are offered natively, and the LM's tool calls
     * fill the output (see {@link #formatRequest}); otherwise the text protocol is used. History
     * tool turns are written as assistant tool calls and tool messages.
     *
     * <p>Off: the request's tools and tool choice, and a {@code parallel_tool_calls} option, are
     * removed. The JSON fallback inherits the setting.
     */
    public ChatAdapter withNativeFunctionCalling(boolean enabled) {
        return new ChatAdapter(jsonFallback, enabled, parallelToolCalls);
    }

    /**
     * This adapter asking the provider for parallel tool calls or not (DSPy's
     * {@code parallel_tool_calls}) whenever it offers tools natively, unless the call's options
     * set {@code parallel_tool_calls} themselves. Unset by default: the provider decides.
     */
    public ChatAdapter withParallelToolCalls(boolean parallel) {
        return new ChatAdapter(jsonFallback, nativeFunctionCalling, parallel);
    }

    /** Whether a failed call is retried with {@link JsonAdapter}. */
    public boolean usesJsonFallback() {
        return jsonFallback;
    }

    /** Whether native function calling is on. */
    public boolean nativeFunctionCalling() {
        return nativeFunctionCalling;
    }

    /** The {@code parallel_tool_calls} setting sent with native tools, if set. */
    public Optional<Boolean> parallelToolCalls() {
        return Optional.ofNullable(parallelToolCalls);
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
                s -> Message.system(formatSystemMessage(s))), demos, inputs, ChatTurns.INSTANCE, nativeFunctionCalling);
    }

    /**
     * {@inheritDoc} With native function calling on and applicable (see
     * {@link #withNativeFunctionCalling}), the prompt leaves out the tool input and the
     * {@code ToolCalls} output and the request offers the tools.
     *
     * @throws IllegalArgumentException if native calling applies and the tool input is not a
     *     {@code Tool} or a list of them
     */
    @Override
    public LmRequest formatRequest(AdapterRequest request, LmCapabilities capabilities) {
        return formatRequest(this, nativeFunctionCalling, parallelToolCalls, request, capabilities);
    }

    static LmRequest formatRequest(Adapter adapter, boolean nativeFunctionCalling, @Nullable Boolean parallelToolCalls,
                                   AdapterRequest request, LmCapabilities capabilities) {
        Signature signature = request.signature();
        boolean calling = NativeFunctionCalling.applies(nativeFunctionCalling, signature, capabilities);
        if (!calling && !NativeResponseTypes.applies(signature, request.options(), capabilities)) {
            return adapter.prepare(signature, new LmRequest(adapter.format(signature, request.demos(), request.inputs()),
                    request.options()), capabilities);
        }
        Signature prompt = NativeResponseTypes.promptSignature(
                calling ? NativeFunctionCalling.promptSignature(signature) : signature, request.options(), capabilities);
        LmRequest prepared = adapter.prepare(prompt, new LmRequest(adapter.format(prompt, request.demos(),
                request.inputs()), request.options()), capabilities);
        if (calling) {
            prepared = NativeFunctionCalling.withTools(prepared, signature, request.inputs(), parallelToolCalls);
        }
        return NativeResponseTypes.withReasoningEffort(prepared, signature, capabilities);
    }

    /** Leaves out the request's tools (and tool choice) unless native function calling is on, as DSPy does. */
    @Override
    public LmRequest prepare(Signature signature, LmRequest request, LmCapabilities capabilities) {
        return withoutTools(request, nativeFunctionCalling);
    }

    static LmRequest withoutTools(LmRequest request, boolean nativeFunctionCalling) {
        return nativeFunctionCalling ? request : NativeFunctionCalling.withoutToolOptions(request);
    }

    /**
     * {@inheritDoc} The LM's native tool calls fill the {@code ToolCalls} output (ids kept); the
     * text then gives the other outputs, and outputs it does not give are {@code null}.
     */
    @Override
    public Map<String, Object> parse(Signature signature, Choice choice, CallContext context) {
        return parseChoice(this, nativeFunctionCalling, signature, LmOptions.NONE, choice, context);
    }

    /**
     * {@inheritDoc} As {@link #parse(Signature, Choice, CallContext)}, with the native response
     * types decided by the call's options as {@link #formatRequest} decided them.
     */
    @Override
    public Map<String, Object> parse(AdapterRequest request, Choice choice, CallContext context) {
        return parseChoice(this, nativeFunctionCalling, request.signature(), request.options(), choice, context);
    }

    static Map<String, Object> parseChoice(Adapter adapter, boolean nativeFunctionCalling, Signature signature,
                                           LmOptions options, Choice choice, CallContext context) {
        LmCapabilities capabilities = context.lm().capabilities();
        Signature prompt = NativeFunctionCalling.applies(nativeFunctionCalling, signature, capabilities)
                ? NativeFunctionCalling.promptSignature(signature) : signature;
        prompt = NativeResponseTypes.promptSignature(prompt, options, capabilities);
        return NativeResponseTypes.fill(signature, NativeFunctionCalling.parse(adapter, signature, prompt, choice),
                choice);
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
        JsonAdapter json = nativeFunctionCalling ? JsonAdapter.DEFAULT : JsonAdapter.WITHOUT_NATIVE_FUNCTION_CALLING;
        return parallelToolCalls == null ? json : json.withParallelToolCalls(parallelToolCalls);
    }

    @Override
    public String toString() {
        return "ChatAdapter(use_json_adapter_fallback=" + (jsonFallback ? "True" : "False")
                + ", use_native_function_calling=" + (nativeFunctionCalling ? "True" : "False")
                + (parallelToolCalls == null ? "" : ", parallel_tool_calls=" + (parallelToolCalls ? "True" : "False"))
                + ")";
    }
}
