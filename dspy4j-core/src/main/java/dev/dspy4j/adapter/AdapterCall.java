package dev.dspy4j.adapter;

import dev.dspy4j.DspyException;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LM;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.trace.DspyListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One adapter-mediated LM call: prepare options, format, call the LM, parse every choice. If the
 * adapter fails for any reason other than the LM itself failing, and it has a
 * {@linkplain Adapter#fallback() fallback}, the whole call is made again with the fallback and
 * listeners are told ({@link DspyListener#onAdapterFallback}), as DSPy's ChatAdapter does.
 */
public final class AdapterCall {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterCall.class);

    private AdapterCall() {}

    /**
     * Runs the call.
     *
     * @param adapter the adapter to format and parse with
     * @param lm the LM
     * @param options generation options
     * @param signature the signature
     * @param demos few-shot demos
     * @param inputs the inputs by field name
     * @param listeners told of LM calls and fallbacks
     * @return the parsed outputs of every choice, in order
     * @throws AdapterParseException if the reply cannot be parsed (by the fallback too)
     * @throws LmException if the LM fails
     */
    public static List<Map<String, Object>> run(Adapter adapter, LM lm, LmOptions options, Signature signature,
                                                List<Example> demos, Map<String, ?> inputs,
                                                List<DspyListener> listeners) {
        try {
            return attempt(adapter, lm, options, signature, demos, inputs, listeners);
        } catch (LmException e) {
            throw e;
        } catch (DspyException e) {
            Adapter fallback = adapter.fallback();
            if (fallback == null) {
                throw e;
            }
            for (DspyListener listener : listeners) {
                try {
                    listener.onAdapterFallback(adapter.name(), fallback.name(), e);
                } catch (RuntimeException listenerFailure) {
                    LOG.warn("Listener {} failed in onAdapterFallback; ignoring it", listener, listenerFailure);
                }
            }
            LOG.debug("{} failed ({}); retrying the call with {}", adapter.name(), e.getClass().getSimpleName(),
                    fallback.name());
            return attempt(fallback, lm, options, signature, demos, inputs, listeners);
        }
    }

    private static List<Map<String, Object>> attempt(Adapter adapter, LM lm, LmOptions options, Signature signature,
                                                     List<Example> demos, Map<String, ?> inputs,
                                                     List<DspyListener> listeners) {
        LmOptions prepared = adapter.prepareOptions(signature, options, lm.capabilities());
        LmRequest request = new LmRequest(adapter.format(signature, demos, inputs), prepared);
        LmResponse response = lm.call(request);
        if (response == null || response.choices().isEmpty()) {
            throw new LmException("The LM " + lm.model() + " returned no choices; check the provider's response.",
                    false, null);
        }
        for (int i = 0; i < listeners.size(); i++) {
            try {
                listeners.get(i).onLmCall(lm, request, response);
            } catch (RuntimeException listenerFailure) {
                LOG.warn("Listener {} failed in onLmCall; ignoring it", listeners.get(i), listenerFailure);
            }
        }
        List<Choice> choices = response.choices();
        List<Map<String, Object>> outputs = new ArrayList<>(choices.size());
        for (Choice choice : choices) {
            String text = choice.text();
            if (text.isEmpty() && choice.toolCalls().isEmpty()) {
                throw new AdapterParseException(adapter.name(), signature, text, null,
                        "The LM returned an empty or null response.");
            }
            outputs.add(adapter.parse(signature, text));
        }
        return outputs;
    }
}
