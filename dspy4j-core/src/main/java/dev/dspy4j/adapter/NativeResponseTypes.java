package dev.dspy4j.adapter;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.signature.Citations;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DSPy's native response types ({@code Reasoning} and {@code Citations}, its default
 * {@code native_response_types}), shared by {@link ChatAdapter}, {@link JsonAdapter},
 * {@link XmlAdapter} and {@link TwoStepAdapter} (whose main LM is the one that matters): an output of such a type leaves the prompt when the LM produces it natively,
 * and is filled from the reply's reasoning content or citations.
 *
 * <ul>
 *   <li>{@code Reasoning}: when the LM {@linkplain LmCapabilities#reasoning() reasons natively} and
 *       the call's {@code reasoning_effort} is not Python's {@code None}
 *       ({@link LmOptions#withExtraNone}), the field leaves the prompt and, unless the call sets it,
 *       {@code reasoning_effort="low"} is sent. (The LM's own default {@code reasoning_effort} counts
 *       as set by the call: {@link Adapter#call} copies it from the LM's saved state.)</li>
 *   <li>{@code Citations}: when the LM returns {@linkplain LmCapabilities#citations() native
 *       citations} (DSPy: an {@code anthropic/} model), the field leaves the prompt.</li>
 * </ul>
 *
 * <p>Whether or not a field left the prompt, a reply's reasoning content fills every
 * {@code Reasoning} output and its citations every {@code Citations} output, replacing what the
 * text said, as DSPy does. A field that left the prompt and gets nothing from the reply is
 * {@code null}.
 *
 * <p>Stateless and thread-safe.
 */
final class NativeResponseTypes {

    /** The {@code reasoning_effort} DSPy turns native reasoning on with. */
    static final String DEFAULT_EFFORT = "low";

    private static final Object WITHOUT_REASONING = new Object();
    private static final Object WITHOUT_CITATIONS = new Object();

    private NativeResponseTypes() {}

    static boolean isReasoning(FieldType type) {
        return type instanceof FieldType.SpecialType s && s.kind() == FieldType.SpecialType.Kind.REASONING;
    }

    private static boolean hasOutput(Signature signature, boolean reasoning) {
        for (Field field : signature.outputs()) {
            if (reasoning ? isReasoning(field.type()) : TypeDescriptions.isCitations(field.type())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the call uses native reasoning for the signature's {@code Reasoning} outputs. */
    static boolean reasoningApplies(Signature signature, LmOptions options, LmCapabilities capabilities) {
        return capabilities.reasoning() && hasOutput(signature, true)
                && options.extra().get("reasoning_effort") != LmOptions.ExplicitNone.VALUE;
    }

    /** Whether the call uses native citations for the signature's {@code Citations} outputs. */
    static boolean citationsApply(Signature signature, LmCapabilities capabilities) {
        return capabilities.citations() && hasOutput(signature, false);
    }

    /** Whether any native response type applies to the call. */
    static boolean applies(Signature signature, LmOptions options, LmCapabilities capabilities) {
        return reasoningApplies(signature, options, capabilities) || citationsApply(signature, capabilities);
    }

    /** The signature the prompt shows: without the outputs that the LM produces natively. */
    static Signature promptSignature(Signature signature, LmOptions options, LmCapabilities capabilities) {
        Signature out = signature;
        if (reasoningApplies(signature, options, capabilities)) {
            out = out.memo(WITHOUT_REASONING, s -> without(s, true));
        }
        if (citationsApply(signature, capabilities)) {
            out = out.memo(WITHOUT_CITATIONS, s -> without(s, false));
        }
        return out;
    }

    private static Signature without(Signature signature, boolean reasoning) {
        Signature out = signature;
        for (Field field : signature.outputs()) {
            if (reasoning ? isReasoning(field.type()) : TypeDescriptions.isCitations(field.type())) {
                out = out.delete(field.name());
            }
        }
        return out;
    }

    /** The request with {@code reasoning_effort="low"} when native reasoning applies and the call set none. */
    static LmRequest withReasoningEffort(LmRequest request, Signature signature, LmCapabilities capabilities) {
        LmOptions options = request.options();
        if (!reasoningApplies(signature, options, capabilities) || options.hasExtra("reasoning_effort")) {
            return request;
        }
        return request.withOptions(options.withExtra("reasoning_effort", DEFAULT_EFFORT));
    }

    /**
     * The outputs of {@code signature} in order from those parsed for the prompt's signature:
     * defaults for missing optional outputs, {@code null} for the rest (those the LM produces
     * natively), as DSPy completes them.
     */
    static Map<String, Object> complete(Signature signature, Map<String, Object> parsed) {
        Map<String, Object> defaults = AdapterText.withOutputDefaults(signature, parsed);
        Map<String, Object> out = new LinkedHashMap<>(signature.outputs().size() * 2);
        for (Field field : signature.outputs()) {
            out.put(field.name(), defaults.get(field.name()));
        }
        return out;
    }

    /**
     * The parsed outputs with the reply's reasoning content in every {@code Reasoning} output and
     * its citations in every {@code Citations} output, when the reply has them.
     */
    static Map<String, Object> fill(Signature signature, Map<String, Object> parsed, Choice choice) {
        String reasoning = choice.reasoningContent();
        if (reasoning != null && reasoning.isEmpty()) {
            reasoning = null; // DSPy's LM keeps reasoning_content only when it is not empty
        }
        boolean citations = !choice.citations().isEmpty();
        if (reasoning == null && !citations) {
            return parsed;
        }
        Map<String, Object> out = null;
        for (Field field : signature.outputs()) {
            Object value = null;
            if (reasoning != null && isReasoning(field.type())) {
                value = reasoning;
            } else if (citations && TypeDescriptions.isCitations(field.type())) {
                value = new Citations(choice.citations());
            }
            if (value != null) {
                out = out == null ? new LinkedHashMap<>(parsed) : out;
                out.put(field.name(), value);
            }
        }
        return out == null ? parsed : out;
    }
}
