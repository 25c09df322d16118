package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a signature, demos and inputs into LM messages, and the LM's reply back into typed output
 * values. The prompt format is a contract: each adapter's text matches DSPy 3.3.1's byte for byte,
 * and changing it is a breaking change (caches and saved programs depend on it).
 *
 * <p>An adapter owns its call: {@link #call} prepares the request, formats the messages, calls
 * the LM and parses each whole choice (text, tool calls, reasoning), retrying once with the
 * {@linkplain #fallback() fallback} adapter as DSPy does (see {@link ChatAdapter}). {@link #format}
 * and {@link #parse(Signature, String)} stay public for tests and optimizers.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Adapter {

    /** The adapter's name as DSPy prints it in errors, e.g. {@code ChatAdapter}. */
    String name();

    /**
     * The system message for a signature: field lists, the structure the LM must follow, and the
     * instructions.
     */
    String formatSystemMessage(Signature signature);

    /**
     * All messages of a call: the system message, demos as user/assistant pairs (incomplete demos
     * first), history turns, and the final user message with the inputs and the output reminder.
     *
     * @param signature the signature
     * @param demos few-shot examples; demos with neither an input nor an output are dropped
     * @param inputs the call's inputs by field name
     * @return the messages in order
     */
    List<Message> format(Signature signature, List<Example> demos, Map<String, ?> inputs);

    /**
     * The content of one user message holding {@code values} for the inputs of {@code signature},
     * with no prefix and no output reminder: DSPy's {@code format_user_message_content(signature,
     * inputs)}. Inputs absent from {@code values} are left out. {@link dev.dspy4j.module.ReAct}
     * renders its trajectory with it. The default writes ChatAdapter's {@code [[ ## name ## ]]}
     * sections, as DSPy's ChatAdapter (and JSONAdapter, which inherits it) does.
     *
     * @param signature the fields to write, in order (only its inputs are read)
     * @param values the values by field name
     * @return the text, stripped
     */
    default String formatUserMessageContent(Signature signature, Map<String, ?> values) {
        return ChatTurns.INSTANCE.userContent(signature, values, "", false);
    }

    /**
     * How this adapter writes one input value into the user message, without the field's header or
     * tags: DSPy's {@code format_field_value} (a {@code str} as given, a list for a {@code str}
     * field as a numbered list, other lists, maps and records as JSON, anything else as Python's
     * {@code str()}). Values of media and custom types come back as content-part markers.
     * {@link dev.dspy4j.export.PromptExport} fills its templates with it, so that they render
     * exactly what this adapter sends.
     *
     * @param field the input field
     * @param value the value, possibly {@code null} ({@code None})
     * @return the text that stands for the value in the prompt
     */
    default String formatInputValue(Field field, @Nullable Object value) {
        return AdapterText.formatValue(field.type(), value);
    }

    /**
     * The request to send, given the formatted request and what the LM supports: e.g. JSON mode
     * or structured outputs ({@link dev.dspy4j.lm.ResponseFormat}), or tools left out when native
     * function calling is off. The default returns {@code request} unchanged.
     *
     * @param signature the signature
     * @param request the formatted messages with the caller's options
     * @param capabilities what the LM supports
     * @return the request to send
     */
    default LmRequest prepare(Signature signature, LmRequest request, LmCapabilities capabilities) {
        return request;
    }

    /**
     * The request for one call: the messages of {@link #format} with the request's options, made
     * ready for the LM by {@link #prepare}. {@link ChatAdapter} and {@link JsonAdapter} also apply
     * native function calling here: when it is on, the signature has a {@code Tool}/{@code list[Tool]}
     * input and a {@code ToolCalls} output, and the LM {@linkplain LmCapabilities#functionCalling()
     * supports it}, both fields leave the prompt and the tools are offered in the request.
     *
     * @param request the signature, demos, inputs and options
     * @param capabilities what the LM supports
     * @return the request to send
     * @throws dev.dspy4j.signature.SignatureException if native function calling is on and the
     *     signature has a {@code ToolCalls} output but no tool input
     */
    default LmRequest formatRequest(AdapterRequest request, LmCapabilities capabilities) {
        Signature signature = request.signature();
        return prepare(signature, new LmRequest(format(signature, request.demos(), request.inputs()), request.options()),
                capabilities);
    }

    /**
     * Parses one completion into output values by field name, in output order, with defaults
     * filled in for missing optional outputs.
     *
     * @throws AdapterParseException carrying the completion if it does not yield every output
     */
    Map<String, Object> parse(Signature signature, String completion);

    /**
     * Parses one whole choice: its text, and for adapters that use them its tool calls and
     * reasoning. The default parses the text with {@link #parse(Signature, String)}.
     *
     * @param signature the signature
     * @param choice the completion
     * @param context the call's context (adapters that call an LM to parse, such as
     *     {@link TwoStepAdapter}, call it through this)
     * @return the outputs by field name, in output order
     * @throws AdapterParseException carrying the completion if it does not yield every output
     */
    default Map<String, Object> parse(Signature signature, Choice choice, CallContext context) {
        return parse(signature, choice.text());
    }

    /**
     * Parses one whole choice of the call made for {@code request}: what {@link #call} uses, so
     * that parsing sees the call's options (e.g. a {@code reasoning_effort} set to Python's
     * {@code None}, which keeps a {@code Reasoning} output in the prompt). The default parses with
     * {@link #parse(Signature, Choice, CallContext)}.
     *
     * @param request the signature, demos, inputs and options of the call
     * @param choice the completion
     * @param context the call's context
     * @return the outputs by field name, in output order
     * @throws AdapterParseException carrying the completion if it does not yield every output
     */
    default Map<String, Object> parse(AdapterRequest request, Choice choice, CallContext context) {
        return parse(request.signature(), choice, context);
    }

    /**
     * Makes the whole call: prepare, format, call the LM, parse every choice, with DSPy's
     * fallback to {@link #fallback()} when anything but the LM fails (listeners are told). If the
     * fallback fails too, its error carries the first failure as a suppressed exception.
     *
     * @param request the signature, demos, inputs and options
     * @param context the LM to call, listeners and span
     * @return the outputs of every choice, in order
     * @throws AdapterParseException if the reply cannot be parsed (by the fallback too)
     * @throws dev.dspy4j.lm.LmException if the LM fails
     */
    default List<Map<String, Object>> call(AdapterRequest request, CallContext context) {
        return AdapterCalls.run(this, request, context);
    }

    /**
     * The adapter to retry with when parsing (or formatting) fails, or {@code null} for none.
     * {@link ChatAdapter} falls back to {@link JsonAdapter} unless told not to, as DSPy does.
     */
    default @Nullable Adapter fallback() {
        return null;
    }
}
