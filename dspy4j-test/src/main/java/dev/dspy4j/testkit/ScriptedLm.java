package dev.dspy4j.testkit;

import dev.dspy4j.DspyException;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An offline, deterministic LM for tests: answers from a script and records every request.
 *
 * <pre>{@code
 * ScriptedLm lm = ScriptedLm.replying("[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]");
 * Predict.of("question -> answer").call(Map.of("question", "Capital of France?"), DspyContext.of(lm));
 * assertThat(lm.lastRequest().messages()).hasSize(2);
 * }</pre>
 *
 * <p>Thread-safe: concurrent calls each take the next scripted reply and are all recorded.
 */
public final class ScriptedLm implements Lm {

    private final Function<LmRequest, LmResponse> script;
    private final String model;
    private final LmCapabilities capabilities;
    private final List<LmRequest> requests = Collections.synchronizedList(new ArrayList<>());

    private ScriptedLm(Function<LmRequest, LmResponse> script, String model, LmCapabilities capabilities) {
        this.script = script;
        this.model = model;
        this.capabilities = capabilities;
    }

    /**
     * An LM that returns these completions in order, one per call, and fails clearly when they run
     * out.
     */
    public static ScriptedLm replying(String... completions) {
        List<String> script = List.of(completions);
        AtomicInteger next = new AtomicInteger();
        return new ScriptedLm(request -> {
            int index = next.getAndIncrement();
            if (index >= script.size()) {
                throw new DspyException("ScriptedLm has no reply left: call " + (index + 1) + " but only "
                        + script.size() + " scripted. Add replies to the script.");
            }
            return LmResponse.of(script.get(index));
        }, "scripted", LmCapabilities.NONE);
    }

    /** An LM that computes each completion from the request. */
    public static ScriptedLm answering(Function<LmRequest, String> completion) {
        Objects.requireNonNull(completion, "completion");
        return new ScriptedLm(request -> LmResponse.of(completion.apply(request)), "scripted", LmCapabilities.NONE);
    }

    /** An LM that computes each full response (several choices, usage) from the request. */
    public static ScriptedLm responding(Function<LmRequest, LmResponse> response) {
        return new ScriptedLm(Objects.requireNonNull(response, "response"), "scripted", LmCapabilities.NONE);
    }

    /**
     * An LM that always answers with these output values in ChatAdapter's format
     * ({@code [[ ## name ## ]]} sections and the completed marker), like DSPy's {@code DummyLM}.
     */
    public static ScriptedLm withOutputs(Map<String, ?> outputs) {
        String text = chatCompletion(outputs);
        return answering(request -> text);
    }

    /** The ChatAdapter-format completion carrying these output values ({@code String.valueOf} each). */
    public static String chatCompletion(Map<String, ?> outputs) {
        StringBuilder out = new StringBuilder();
        outputs.forEach((name, value) -> out.append("[[ ## ").append(name).append(" ## ]]\n")
                .append(value).append("\n\n"));
        return out.append("[[ ## completed ## ]]").toString();
    }

    /** This LM reporting another model name. */
    public ScriptedLm withModel(String newModel) {
        return new ScriptedLm(script, Objects.requireNonNull(newModel, "model"), capabilities);
    }

    /** This LM reporting other capabilities. */
    public ScriptedLm withCapabilities(LmCapabilities newCapabilities) {
        return new ScriptedLm(script, model, Objects.requireNonNull(newCapabilities, "capabilities"));
    }

    @Override
    public LmResponse call(LmRequest request) {
        requests.add(request);
        return script.apply(request);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public LmCapabilities capabilities() {
        return capabilities;
    }

    /** Every request received, in arrival order. */
    public List<LmRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /**
     * The most recent request.
     *
     * @throws IllegalStateException if there was none
     */
    public LmRequest lastRequest() {
        synchronized (requests) {
            if (requests.isEmpty()) {
                throw new IllegalStateException("ScriptedLm has received no request yet.");
            }
            return requests.get(requests.size() - 1);
        }
    }

    /** How many calls were made. */
    public int callCount() {
        return requests.size();
    }

    @Override
    public String toString() {
        return "ScriptedLm(" + model + ", " + callCount() + " calls)";
    }
}
