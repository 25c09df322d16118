package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;

/**
 * Turns a signature, demos and inputs into LM messages, and the LM's reply back into typed output
 * values. The prompt format is a contract: each adapter's text matches DSPy 3.3.1's byte for byte,
 * and changing it is a breaking change (caches and saved programs depend on it).
 *
 * <p>Implementations are immutable and thread-safe. Calls go through
 * {@link AdapterCall#run}, which adds DSPy's fallback (see {@link ChatAdapter}).
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
     * The options to send, given the caller's options and what the LM supports (e.g. JSON mode).
     * The default returns {@code options} unchanged.
     */
    default LmOptions prepareOptions(Signature signature, LmOptions options, LmCapabilities capabilities) {
        return options;
    }

    /**
     * Parses one completion into output values by field name, in output order, with defaults
     * filled in for missing optional outputs.
     *
     * @throws AdapterParseException carrying the completion if it does not yield every output
     */
    Map<String, Object> parse(Signature signature, String completion);

    /**
     * The adapter to retry with when parsing (or formatting) fails, or {@code null} for none.
     * {@link ChatAdapter} falls back to {@link JsonAdapter} unless told not to, as DSPy does.
     */
    default Adapter fallback() {
        return null;
    }
}
