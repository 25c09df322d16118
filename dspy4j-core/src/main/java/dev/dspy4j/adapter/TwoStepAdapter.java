package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * DSPy's {@code TwoStepAdapter}: the main LM answers a free-form prompt, then a second, usually
 * smaller, <em>extraction</em> LM pulls the typed outputs out of that answer. Useful with reasoning
 * models, which tend to do poorly with strict output formats.
 *
 * <p>Stage 1 ({@link #format}): a system message ({@code You are a helpful assistant that can
 * solve tasks based on user input.}, the input and output field lists, {@code Specific
 * instructions: ...}) and turns written as {@code name: value} blocks, with no output reminder.
 *
 * <p>Stage 2 ({@link #parse}): the main LM's text is given to {@link ChatAdapter#DEFAULT} as the
 * single input {@code text} of the signature {@code text -> <the outputs>}, whose instruction asks
 * to extract the fields verbatim; the extraction LM is called (with the JSON fallback of the chat
 * adapter) and its reply parsed. As in DSPy, this second stage has no demos and is not optimized.
 *
 * <p>Immutable and thread-safe, provided the extraction LM is.
 */
public final class TwoStepAdapter implements Adapter {

    private static final Object EXTRACTOR_SIGNATURE = new Object();
    private static final Object SYSTEM_MESSAGE_OBJECT = new Object();
    private static final Object SYSTEM_MESSAGE = new Object();
    private static final TurnWriter TURNS = new NameValueTurns();

    private final Lm extractionModel;

    private TwoStepAdapter(Lm extractionModel) {
        this.extractionModel = Objects.requireNonNull(extractionModel, "extractionModel");
    }

    /**
     * A two-step adapter that extracts outputs with {@code extractionModel}.
     *
     * @param extractionModel the LM of the second stage
     * @return the adapter
     * @throws NullPointerException if {@code extractionModel} is {@code null}
     */
    public static TwoStepAdapter of(Lm extractionModel) {
        return new TwoStepAdapter(extractionModel);
    }

    /** The LM of the second stage. */
    public Lm extractionModel() {
        return extractionModel;
    }

    /** {@code TwoStepAdapter}, as DSPy names it in errors. */
    @Override
    public String name() {
        return "TwoStepAdapter";
    }

    /** The free-form task description of stage 1. */
    @Override
    public String formatSystemMessage(Signature signature) {
        return signature.memo(SYSTEM_MESSAGE, TwoStepAdapter::taskDescription);
    }

    private static String taskDescription(Signature signature) {
        StringJoiner parts = new StringJoiner("\n");
        parts.add("You are a helpful assistant that can solve tasks based on user input.");
        parts.add("As input, you will be provided with:\n" + AdapterText.fieldDescriptions(signature.inputs()));
        parts.add("Your outputs must contain:\n" + AdapterText.fieldDescriptions(signature.outputs()));
        parts.add("You should lay out your outputs in detail so that your answer can be understood by another agent");
        if (!signature.instructions().isEmpty()) {
            parts.add("Specific instructions: " + signature.instructions());
        }
        return parts.toString();
    }

    /** Stage one writes each input as {@code name: value}, the value as Python's {@code str()}. */
    @Override
    public String formatInputValue(Field field, @Nullable Object value) {
        return PythonValues.str(CustomValues.strForm(field.type(), value));
    }

    /** The inputs as this adapter writes them in a user message (DSPy's {@code format_user_message_content}). */
    @Override
    public String formatUserMessageContent(Signature signature, Map<String, ?> values) {
        return TURNS.userContent(signature, values, "", false);
    }

    @Override
    public List<Message> format(Signature signature, List<Example> demos, Map<String, ?> inputs) {
        return Conversation.format(signature, signature.memo(SYSTEM_MESSAGE_OBJECT,
                s -> Message.system(formatSystemMessage(s))), demos, inputs, TURNS);
    }

    /**
     * Runs stage 2 outside any program: asks the extraction LM, called directly, to extract the
     * outputs from {@code completion}.
     *
     * @throws LmException if the extraction LM fails
     * @throws AdapterParseException ({@code Failed to parse response from the original completion:
     *     ...}) if the extraction reply cannot be parsed, by the chat adapter or its JSON fallback
     */
    @Override
    public Map<String, Object> parse(Signature signature, String completion) {
        return extract(signature, completion, CallContext.of(extractionModel));
    }

    /**
     * Runs stage 2 within the call: the extraction LM is called through the same interceptors and
     * listeners as the main LM (so budgets, usage and history see it).
     */
    @Override
    public Map<String, Object> parse(Signature signature, Choice choice, CallContext context) {
        return extract(signature, choice.text(), context.withLm(extractionModel));
    }

    /**
     * {@inheritDoc} A {@code Reasoning} or {@code Citations} output that the main LM produces
     * natively leaves stage 1's prompt (see {@link ChatAdapter#formatRequest}); stage 2 then
     * extracts only the other outputs.
     */
    @Override
    public LmRequest formatRequest(AdapterRequest request, LmCapabilities capabilities) {
        return ChatAdapter.formatRequest(this, false, null, request, capabilities);
    }

    /**
     * {@inheritDoc} Stage 2 extracts the outputs stage 1's prompt asked for; the main LM's native
     * reasoning content and citations fill their outputs, as DSPy does.
     */
    @Override
    public Map<String, Object> parse(AdapterRequest request, Choice choice, CallContext context) {
        Signature signature = request.signature();
        Signature prompt = NativeResponseTypes.promptSignature(signature, request.options(),
                context.lm().capabilities());
        Map<String, Object> parsed = extract(prompt, choice.text(), context.withLm(extractionModel));
        return NativeResponseTypes.fill(signature, prompt == signature ? parsed
                : NativeResponseTypes.complete(signature, parsed), choice);
    }

    private Map<String, Object> extract(Signature signature, String completion, CallContext context) {
        Signature extractor = extractorSignature(signature);
        try {
            List<Map<String, Object>> outputs = ChatAdapter.DEFAULT.call(
                    AdapterRequest.of(extractor, Map.of("text", completion)), context);
            return outputs.get(0);
        } catch (LmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AdapterParseException(name(), signature, completion, null,
                    "Failed to parse response from the original completion: " + e.getMessage());
        }
    }

    /**
     * The signature of stage 2: the input {@code text}, then the outputs of {@code signature}
     * unchanged, with the extraction instruction.
     */
    static Signature extractorSignature(Signature signature) {
        return signature.memo(EXTRACTOR_SIGNATURE, original -> {
            List<Field> fields = new ArrayList<>();
            fields.add(Field.input("text", FieldType.STR));
            fields.addAll(original.outputs());
            StringJoiner names = new StringJoiner(", ");
            original.outputs().forEach(field -> names.add("`" + field.name() + "`"));
            String instructions = "The input is a text that should contain all the necessary information to produce"
                    + " the fields " + names + ".             Your job is to extract the fields from the text"
                    + " verbatim. Extract precisely the appropriate value (content) for each field.";
            return Signature.of(instructions, fields);
        });
    }

    @Override
    public String toString() {
        return "TwoStepAdapter(extraction_model=" + extractionModel.model() + ")";
    }

    /** Stage 1's turns: {@code name: value} blocks, values as Python's {@code str()}. */
    private static final class NameValueTurns implements TurnWriter {
        @Override
        public String userContent(Signature signature, Map<String, ?> values, String prefix, boolean mainRequest) {
            StringJoiner parts = new StringJoiner("\n\n");
            parts.add(prefix);
            for (Field field : signature.inputs()) {
                if (values.containsKey(field.name())) {
                    parts.add(field.name() + ": " + PythonValues.str(CustomValues.strForm(field.type(), values.get(field.name()))));
                }
            }
            parts.add("");
            return PythonText.strip(parts.toString());
        }

        @Override
        public String assistantContent(Signature signature, Map<String, ?> values, @Nullable String missingFieldMessage) {
            StringJoiner parts = new StringJoiner("\n\n");
            for (Field field : signature.outputs()) {
                if (values.containsKey(field.name())) {
                    parts.add(field.name() + ": " + PythonValues.str(CustomValues.strForm(field.type(), values.get(field.name()))));
                }
            }
            return PythonText.strip(parts.toString());
        }
    }
}
