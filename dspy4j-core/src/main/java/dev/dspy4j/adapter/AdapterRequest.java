package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One predictor call as an adapter receives it: the signature (with learned instructions), the
 * demos, the inputs and the generation options. The inputs map is neither copied nor wrapped
 * (this record is on every call's path): callers must not change it while the call runs, and
 * adapters must not change it at all.
 *
 * @param signature the signature
 * @param demos few-shot demos, in order
 * @param inputs the inputs by field name
 * @param options generation options, already merged (context, then predictor)
 */
public record AdapterRequest(Signature signature, List<Example> demos, Map<String, ?> inputs, LmOptions options) {

    public AdapterRequest {
        Objects.requireNonNull(signature, "signature");
        demos = List.copyOf(demos);
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
    }

    /** A request with no demos and no options. */
    public static AdapterRequest of(Signature signature, Map<String, ?> inputs) {
        return new AdapterRequest(signature, List.of(), inputs, LmOptions.NONE);
    }
}
