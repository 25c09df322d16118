package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.internal.python.JsonRepair;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * <p>Immutable and thread-safe.
 */
public final class JsonAdapter implements Adapter {

    /** The default: native function calling on, as in DSPy. */
    public static final JsonAdapter DEFAULT = new JsonAdapter(true);

    /** Native function calling off: what {@link ChatAdapter#DEFAULT} falls back to. */
    static final JsonAdapter WITHOUT_NATIVE_FUNCTION_CALLING = new JsonAdapter(false);

    private static final Object SYSTEM_MESSAGE = new Object();
    private static final Object SYSTEM_MESSAGE_OBJECT = new Object();

    private final boolean nativeFunctionCalling;

    private JsonAdapter(boolean nativeFunctionCalling) {
        this.nativeFunctionCalling = nativeFunctionCalling;
    }

    /** This adapter with native function calling on or off (DSPy's {@code use_native_function_calling}). */
    public JsonAdapter withNativeFunctionCalling(boolean enabled) {
        return enabled ? DEFAULT : WITHOUT_NATIVE_FUNCTION_CALLING;
    }

    /** Whether native function calling is on. */
    public boolean nativeFunctionCalling() {
        return nativeFunctionCalling;
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
                s -> Message.system(formatSystemMessage(s))), demos, inputs, JsonTurns.JSON_INSTANCE);
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
        return "JSONAdapter(use_native_function_calling=" + (nativeFunctionCalling ? "True" : "False") + ")";
    }
}
