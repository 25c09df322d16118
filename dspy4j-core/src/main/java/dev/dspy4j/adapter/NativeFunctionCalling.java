package dev.dspy4j.adapter;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.SignatureException;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.tool.ToolCalls;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * DSPy's native function calling (its {@code use_native_function_calling}), shared by
 * {@link ChatAdapter} and {@link JsonAdapter}: when a signature has a {@code Tool} or
 * {@code list[Tool]} input and a {@code ToolCalls} output and the LM supports function calling,
 * both fields leave the prompt, the tools go in the request as {@link ToolSpec}s, and the reply's
 * tool calls fill the {@code ToolCalls} output. When the adapter has it off, the caller's tools,
 * tool choice and {@code parallel_tool_calls} are removed from the request instead.
 *
 * <p>Stateless and thread-safe.
 */
final class NativeFunctionCalling {

    private static final Object PROMPT_SIGNATURE = new Object();

    private NativeFunctionCalling() {}

    /** The first input of type {@code Tool} or {@code list[Tool]}, or {@code null}. */
    static @Nullable Field toolInput(Signature signature) {
        for (Field field : signature.inputs()) {
            FieldType type = field.type();
            if (isTool(type) || (type instanceof FieldType.ListType list && isTool(list.element()))) {
                return field;
            }
        }
        return null;
    }

    /** The first output of type {@code ToolCalls}, or {@code null}. */
    static @Nullable Field toolCallsOutput(Signature signature) {
        for (Field field : signature.outputs()) {
            if (JsonSchemas.isToolCalls(field.type())) {
                return field;
            }
        }
        return null;
    }

    private static boolean isTool(FieldType type) {
        return type instanceof FieldType.SpecialType s && s.kind() == FieldType.SpecialType.Kind.TOOL;
    }

    /**
     * Whether a call goes through native function calling: the adapter has it on, the signature
     * has a tool input and a {@code ToolCalls} output, and the LM supports function calling.
     *
     * @throws SignatureException if it is on and the signature has a {@code ToolCalls} output but
     *     no tool input, as DSPy refuses it
     */
    static boolean applies(boolean enabled, Signature signature, LmCapabilities capabilities) {
        if (!enabled) {
            return false;
        }
        Field output = toolCallsOutput(signature);
        if (output == null) {
            return false;
        }
        if (toolInput(signature) == null) {
            throw new SignatureException("The output field '" + output.name() + "' of type ToolCalls receives the"
                    + " LM's native tool calls, but the signature has no input field of type Tool or list[Tool] with"
                    + " the tools to offer. Add one (e.g. `tools: list[Tool]`), or turn native function calling off"
                    + " (withNativeFunctionCalling(false)) to have the tool calls written as text.");
        }
        return capabilities.functionCalling();
    }

    /** The signature the prompt shows under native function calling: without the tool fields. */
    static Signature promptSignature(Signature signature) {
        return signature.memo(PROMPT_SIGNATURE, s -> s.delete(Objects.requireNonNull(toolCallsOutput(s)).name())
                .delete(Objects.requireNonNull(toolInput(s)).name()));
    }

    /**
     * The request with the tools of the call's tool input offered natively (replacing tools the
     * caller set), and {@code parallel_tool_calls} when the adapter sets it and the caller did not.
     *
     * @throws IllegalArgumentException if the tool input's value is not a {@code Tool} or a list of them
     */
    static LmRequest withTools(LmRequest request, Signature signature, Map<String, ?> inputs,
                               @Nullable Boolean parallelToolCalls) {
        Field field = Objects.requireNonNull(toolInput(signature), "tool input");
        Object value = inputs.get(field.name());
        List<ToolSpec> specs = new ArrayList<>();
        if (value instanceof Tool tool) {
            specs.add(tool.toSpec());
        } else if (value instanceof Collection<?> tools) {
            for (Object tool : tools) {
                if (!(tool instanceof Tool t)) {
                    throw notTools(field, value);
                }
                specs.add(t.toSpec());
            }
        } else {
            throw notTools(field, value);
        }
        LmOptions options = request.options();
        if (options.extra().containsKey("tools")) {
            options = options.withExtra("tools", null);
        }
        if (parallelToolCalls != null && options.extra().get("parallel_tool_calls") == null) {
            options = options.withExtra("parallel_tool_calls", parallelToolCalls);
        }
        return request.withTools(specs).withOptions(options);
    }

    private static IllegalArgumentException notTools(Field field, @Nullable Object value) {
        return new IllegalArgumentException("The input '" + field.name() + "' must be a Tool or a list of Tools for"
                + " native function calling, not " + (value == null ? "missing" : value.getClass().getName()) + ".");
    }

    /**
     * The request without the caller's tools, tool choice and {@code parallel_tool_calls} (typed,
     * or given as extra options), as DSPy removes them when native function calling is off.
     */
    static LmRequest withoutToolOptions(LmRequest request) {
        LmRequest out = request;
        if (!out.tools().isEmpty() || !(out.toolChoice() instanceof ToolChoice.Auto)) {
            out = out.withTools(List.of()).withToolChoice(ToolChoice.AUTO);
        }
        Map<String, Object> extra = out.options().extra();
        if (extra.containsKey("tools") || extra.containsKey("tool_choice") || extra.containsKey("parallel_tool_calls")) {
            out = out.withOptions(out.options().withExtra("tools", null).withExtra("tool_choice", null)
                    .withExtra("parallel_tool_calls", null));
        }
        return out;
    }

    /**
     * Parses one choice as DSPy's adapters do: the text for the fields the prompt asked for, and,
     * when the LM called tools and the signature has a {@code ToolCalls} output, those calls for it.
     * With tool calls, a text that cannot be parsed yields no fields; every output missing then is
     * {@code null} (or its default).
     *
     * @param adapter the adapter whose text parsing to use
     * @param signature the call's signature
     * @param prompt the signature the prompt showed ({@code signature} unless native calling applied)
     * @param choice the completion
     * @return the outputs of {@code signature}, in order
     * @throws AdapterParseException if there is neither text nor a usable tool call, or the text
     *     cannot be parsed and there are no tool calls
     */
    static Map<String, Object> parse(Adapter adapter, Signature signature, Signature prompt, Choice choice) {
        Field output = toolCallsOutput(signature);
        boolean calls = output != null && !choice.toolCalls().isEmpty();
        String text = choice.text();
        if (!calls && text.isEmpty()) {
            throw new AdapterParseException(adapter.name(), signature, choice.toString(), null,
                    "The LM returned an empty or null response.");
        }
        if (!calls && prompt == signature) {
            return adapter.parse(signature, text);
        }
        Map<String, Object> parsed;
        if (!calls) {
            parsed = adapter.parse(prompt, text);
        } else if (!text.isEmpty() && !prompt.outputs().isEmpty()) {
            try {
                parsed = adapter.parse(prompt, text);
            } catch (AdapterParseException e) {
                parsed = Map.of();
            }
        } else {
            parsed = Map.of();
        }
        Map<String, Object> out = NativeResponseTypes.complete(signature, parsed);
        if (calls && output != null) {
            out.put(output.name(), ToolCalls.fromLm(choice.toolCalls()));
        }
        return out;
    }
}
