package dev.dspy4j.adapter;

import dev.dspy4j.DspyException;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Adapter#call}: prepare the request, format, call the LM, parse every choice; and, if the
 * adapter fails for any reason other than the LM itself failing, the whole call once more with its
 * {@linkplain Adapter#fallback() fallback}, as DSPy's ChatAdapter does.
 */
final class AdapterCalls {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterCalls.class);

    private AdapterCalls() {}

    static List<Map<String, Object>> run(Adapter adapter, AdapterRequest request, CallContext context) {
        try {
            return attempt(adapter, request, context);
        } catch (LmException e) {
            throw e;
        } catch (DspyException first) {
            Adapter fallback = adapter.fallback();
            if (fallback == null) {
                throw first;
            }
            context.reportFallback(adapter.name(), fallback.name(), first);
            LOG.debug("{} failed ({}); retrying the call with {}", adapter.name(), first.getClass().getSimpleName(),
                    fallback.name());
            try {
                return attempt(fallback, request, context);
            } catch (RuntimeException second) {
                if (second != first) {
                    second.addSuppressed(first);
                }
                throw second;
            }
        }
    }

    private static List<Map<String, Object>> attempt(Adapter adapter, AdapterRequest call, CallContext context) {
        Lm lm = context.lm();
        AdapterRequest request = withLmReasoningEffort(call, lm);
        LmRequest prepared = adapter.formatRequest(request, lm.capabilities());
        LmResponse response = lm.call(prepared);
        if (response == null || response.choices().isEmpty()) {
            throw new LmException("The LM " + lm.model() + " returned no choices; check the provider's response.",
                    false, null);
        }
        List<Choice> choices = response.choices();
        warnIfTruncated(lm, prepared, choices);
        List<Map<String, Object>> outputs = new ArrayList<>(choices.size());
        for (Choice choice : choices) {
            if (choice.text().isEmpty() && choice.toolCalls().isEmpty()) {
                throw new AdapterParseException(adapter.name(), request.signature(), choice.text(), null,
                        "The LM returned an empty or null response.");
            }
            outputs.add(parseObserved(adapter, request, choice, context));
        }
        return outputs;
    }

    /**
     * The request with the LM's own default {@code reasoning_effort} (from its saved state) when
     * the signature has a {@code Reasoning} output and the call sets none: DSPy's
     * {@code Reasoning} type reads {@code lm.kwargs} after the call's kwargs, and so does
     * {@link NativeResponseTypes}. A saved {@code None} becomes {@link LmOptions.ExplicitNone}.
     */
    private static AdapterRequest withLmReasoningEffort(AdapterRequest request, Lm lm) {
        if (request.options().hasExtra("reasoning_effort") || !lm.capabilities().reasoning()
                || request.signature().outputs().stream().noneMatch(f -> NativeResponseTypes.isReasoning(f.type()))) {
            return request;
        }
        Map<String, Object> saved = lm.savedState();
        if (!saved.containsKey("reasoning_effort")) {
            return request;
        }
        Object effort = saved.get("reasoning_effort");
        LmOptions options = effort == null ? request.options().withExtraNone("reasoning_effort")
                : request.options().withExtra("reasoning_effort", effort);
        return new AdapterRequest(request.signature(), request.demos(), request.inputs(), options);
    }

    /**
     * DSPy's warning (its LM's {@code _check_truncation}), once per LM call however many choices were
     * cut off. As in DSPy, the call goes on: a truncated reply may still hold every output field, and
     * one that does not fails to parse with the adapter's usual error, which this warning explains.
     */
    private static void warnIfTruncated(Lm lm, LmRequest request, List<Choice> choices) {
        if (!LOG.isWarnEnabled() || !anyTruncated(choices)) {
            return;
        }
        Map<String, Object> saved = lm.savedState();
        Object maxTokens = request.options().maxTokens() != null ? request.options().maxTokens()
                : saved.getOrDefault("max_tokens", saved.get("max_completion_tokens"));
        Object temperature = request.options().temperature() != null ? request.options().temperature()
                : saved.get("temperature");
        LOG.warn("LM response was truncated due to exceeding max_tokens={}. You can inspect the latest LM "
                + "interactions with `inspectHistory()`. To avoid truncation, consider passing a larger max_tokens "
                + "when setting up the LM. You may also consider increasing the temperature (currently {}) if the "
                + "reason for truncation is repetition.", maxTokens == null ? "None" : maxTokens,
                temperature == null ? "None" : temperature);
    }

    private static boolean anyTruncated(List<Choice> choices) {
        for (int i = 0; i < choices.size(); i++) {   // on every call's path: no stream
            if ("length".equals(choices.get(i).finishReason())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> parseObserved(Adapter adapter, AdapterRequest request, Choice choice,
                                                     CallContext context) {
        if (context.listeners().isEmpty()) {
            return adapter.parse(request, choice, context);
        }
        ActiveSpan span = context.startSpan(SpanKind.ADAPTER_PARSE, adapter.name(),
                Map.of("dspy.adapter", adapter.name()));
        try {
            Map<String, Object> parsed = adapter.parse(request, choice,
                    new CallContext(context.lm(), context.listeners(), span.span(), context.router()));
            span.end(Map.of("dspy.parsed_fields", parsed.size()));
            return parsed;
        } catch (RuntimeException e) {
            span.fail(e);
            throw e;
        }
    }
}
