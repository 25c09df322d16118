package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.internal.python.JsonRepair;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * DSPy's {@code JSONAdapter}: inputs as {@code [[ ## name ## ]]} sections, outputs as one JSON
 * object. The system message shows the object with a placeholder per output; demo replies are
 * indented JSON.
 *
 * <p>When the LM accepts {@code response_format}, {@link #prepare} asks for JSON: a
 * JSON-schema structured output (the schema pydantic generates for the outputs) when the LM supports
 * response schemas and no output is an open {@code dict} (or a {@code ToolCalls} without native
 * function calling), else {@code {"type": "json_object"}}.
 *
 * <p>Parsing reads the reply as DSPy's {@code json_repair} does, falling back to its first balanced
 * {@code {...}}; keeps the output keys; converts each with DSPy's {@code parse_value}; fills
 * missing optional outputs; and requires every output. There is no further fallback.
 *
 * <p>Native function calling is on by default, as in DSPy: a {@link dev.dspy4j.tool.ToolCalls}
 * output next to a tool input is filled from the LM's native tool calls when the LM supports them
 * (see {@link ChatAdapter#withNativeFunctionCalling(boolean)}), and written as text otherwise.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonAdapter implements Adapter {

    /** The default: native function calling on, as in DSPy. */
    public static final JsonAdapter DEFAULT = new JsonAdapter(true, null);

    /** Native function calling off: what {@link ChatAdapter#DEFAULT} falls back to. */
    static final JsonAdapter WITHOUT_NATIVE_FUNCTION_CALLING = new JsonAdapter(false, null);

    private static final Object SYSTEM_MESSAGE = new Object();
    private static final Object SYSTEM_MESSAGE_OBJECT = new Object();

    private final boolean nativeFunctionCalling;
    private final @Nullable Boolean parallelToolCalls;

    private JsonAdapter(boolean nativeFunctionCalling, @Nullable Boolean parallelToolCalls) {
        this.nativeFunctionCalling = nativeFunctionCalling;
        this.parallelToolCalls = parallelToolCalls;
    }

    /**
     * This adapter with native function calling on or off (DSPy's {@code use_native_function_calling},
     * on by default). See {@link ChatAdapter#withNativeFunctionCalling} for what it does.
     */
    public JsonAdapter withNativeFunctionCalling(boolean enabled) {
        if (parallelToolCalls == null) {
            return enabled ? DEFAULT : WITHOUT_NATIVE_FUNCTION_CALLING;
        }
        return new JsonAdapter(enabled, parallelToolCalls);
    }

    /**
     * This adapter asking the provider for parallel tool calls or not (DSPy's
     * {@code parallel_tool_calls}) whenever it offers tools natively, unless the call's options
     * set {@code parallel_tool_calls} themselves. Unset by default: the provider decides.
     */
    public JsonAdapter withParallelToolCalls(boolean parallel) {
        return new JsonAdapter(nativeFunctionCalling, parallel);
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
        return "JSONAdapter";
    }

    @Override
    public String formatSystemMessage(Signature signature) {
        return signature.memo(SYSTEM_MESSAGE, JsonAdapter::renderSystemMessage);
    }

    private static String renderSystemMessage(Signature signature) {
        String structure = PythonText.strip(ChatAdapter.joinBlocks(
                "All interactions will be structured in the following way, with the appropriate values filled in.",
                "Inputs will have the following structure:",
                ChatTurns.placeholderSections(signature.inputs()),
                "Outputs will be a JSON object with the following fields.",
                JsonTurns.outputPlaceholders(signature.outputs())));
        return AdapterText.inputOutputDescriptions(signature) + "\n" + structure + "\n"
                + AdapterText.taskDescription(signature);
    }

    @Override
    public List<Message> format(Signature signature, List<Example> demos, Map<String, ?> inputs) {
        return Conversation.format(signature, signature.memo(SYSTEM_MESSAGE_OBJECT,
                s -> Message.system(formatSystemMessage(s))), demos, inputs, JsonTurns.JSON_INSTANCE,
                nativeFunctionCalling);
    }

    /**
     * {@inheritDoc} With native function calling on and applicable (see
     * {@link ChatAdapter#withNativeFunctionCalling}), the prompt leaves out the tool input and the
     * {@code ToolCalls} output and the request offers the tools.
     *
     * @throws IllegalArgumentException if native calling applies and the tool input is not a
     *     {@code Tool} or a list of them
     */
    @Override
    public LmRequest formatRequest(AdapterRequest request, LmCapabilities capabilities) {
        return ChatAdapter.formatRequest(this, nativeFunctionCalling, parallelToolCalls, request, capabilities);
    }

    /**
     * {@inheritDoc} The LM's native tool calls fill the {@code ToolCalls} output (ids kept); the
     * text then gives the other outputs, and outputs it does not give are {@code null}.
     */
    @Override
    public Map<String, Object> parse(Signature signature, Choice choice, CallContext context) {
        return ChatAdapter.parseChoice(this, nativeFunctionCalling, signature, LmOptions.NONE, choice, context);
    }

    /** {@inheritDoc} As {@link ChatAdapter#parse(AdapterRequest, Choice, CallContext)}. */
    @Override
    public Map<String, Object> parse(AdapterRequest request, Choice choice, CallContext context) {
        return ChatAdapter.parseChoice(this, nativeFunctionCalling, request.signature(), request.options(), choice,
                context);
    }

    /**
     * Asks for JSON ({@link ResponseFormat}) when {@code capabilities} accept it (see the class
     * description), replacing any format the caller set; otherwise returns the request unchanged
     * (minus its tools when native function calling is off).
     */
    @Override
    public LmRequest prepare(Signature signature, LmRequest request, LmCapabilities capabilities) {
        LmRequest prepared = ChatAdapter.withoutTools(request, nativeFunctionCalling);
        if (!capabilities.supports("response_format")) {
            return prepared;
        }
        boolean openDict = false;
        boolean toolCalls = false;
        for (Field field : signature.outputs()) {
            openDict |= field.type() instanceof FieldType.DictType;
            toolCalls |= JsonSchemas.isToolCalls(field.type());
        }
        if (openDict || (!nativeFunctionCalling && toolCalls) || !capabilities.responseSchema()) {
            return prepared.withResponseFormat(ResponseFormat.JSON_OBJECT);
        }
        try {
            return prepared.withResponseFormat(JsonSchemas.structuredOutputFormat(signature, nativeFunctionCalling));
        } catch (RuntimeException e) {
            return prepared.withResponseFormat(ResponseFormat.JSON_OBJECT);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws AdapterParseException {@code LM response cannot be serialized to a JSON object.}
     *     when no JSON object can be read (the response reported is then the first {@code {...}}
     *     span if there was one); {@code Failed to parse field ...} when a value does not fit its
     *     type; or DSPy's missing-fields message
     */
    @Override
    public Map<String, Object> parse(Signature signature, String completion) {
        Object read = JsonRepair.loads(completion);
        if (!(read instanceof Map<?, ?>)) {
            String object = JsonRepair.firstBalancedObject(completion);
            if (object != null) {
                completion = object;
                read = JsonRepair.loads(object);
            }
        }
        if (!(read instanceof Map<?, ?> json)) {
            throw new AdapterParseException(name(), signature, completion, null,
                    "LM response cannot be serialized to a JSON object.");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : json.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (!signature.hasField(key) || signature.field(key).isInput()) {
                continue;
            }
            try {
                fields.put(key, ValueParser.parseValue(entry.getValue(), signature.field(key).type()));
            } catch (RuntimeException e) {
                throw new AdapterParseException(name(), signature, completion, null,
                        "Failed to parse field " + key + " with value " + PythonValues.str(entry.getValue())
                                + " from the LM response. Error message: " + e.getMessage());
            }
        }
        return ChatAdapter.requireAllOutputs(name(), signature, completion, fields);
    }

    @Override
    public String toString() {
        return "JSONAdapter(use_native_function_calling=" + (nativeFunctionCalling ? "True" : "False")
                + (parallelToolCalls == null ? "" : ", parallel_tool_calls=" + (parallelToolCalls ? "True" : "False"))
                + ")";
    }
}
