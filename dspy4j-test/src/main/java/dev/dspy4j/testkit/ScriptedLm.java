package dev.dspy4j.testkit;

import dev.dspy4j.DspyException;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.StreamChunk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
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
    private final AtomicInteger streams = new AtomicInteger();
    private final long chunkSeed;
    private final int maxChunkLength;

    private ScriptedLm(Function<LmRequest, LmResponse> script, String model, LmCapabilities capabilities) {
        this(script, model, capabilities, 0L, 0);
    }

    private ScriptedLm(Function<LmRequest, LmResponse> script, String model, LmCapabilities capabilities,
                       long chunkSeed, int maxChunkLength) {
        this.script = script;
        this.model = model;
        this.capabilities = capabilities;
        this.chunkSeed = chunkSeed;
        this.maxChunkLength = maxChunkLength;
    }

    /**
     * This LM, streaming each reply in pieces of 1 to {@code maxChunkLength} characters whose
     * lengths a random generator seeded with {@code seed} picks (the same seed splits the same way).
     * Without this, a stream yields the whole reply as one chunk.
     *
     * @throws IllegalArgumentException if {@code maxChunkLength < 1}
     */
    public ScriptedLm streamingInChunks(long seed, int maxChunkLength) {
        if (maxChunkLength < 1) {
            throw new IllegalArgumentException("maxChunkLength must be >= 1, was " + maxChunkLength);
        }
        return new ScriptedLm(script, model, capabilities, seed, maxChunkLength);
    }

    @Override
    public LmStream stream(LmRequest request) {
        int index = streams.getAndIncrement();
        if (maxChunkLength == 0) {
            return Lm.super.stream(request);
        }
        LmResponse response = call(request);
        String text = response.choices().isEmpty() ? "" : response.choices().get(0).text();
        List<String> pieces = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(chunkSeed * 31 + index);
        for (int at = 0; at < text.length(); ) {
            int end = Math.min(text.length(), at + 1 + random.nextInt(maxChunkLength));
            pieces.add(text.substring(at, end));
            at = end;
        }
        Iterator<String> next = pieces.iterator();
        return new LmStream() {
            private boolean ended;

            @Override
            public StreamChunk next() {
                if (next.hasNext()) {
                    return new StreamChunk(0, next.next(), "");
                }
                ended = true;
                return null;
            }

            @Override
            public LmResponse response() {
                if (!ended) {
                    throw new IllegalStateException("The stream has not ended yet");
                }
                return response;
            }

            @Override
            public void close() {
                ended = true;
            }
        };
    }

    /** How many streaming calls were made. */
    public int streamCount() {
        return streams.get();
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
        return new ScriptedLm(script, Objects.requireNonNull(newModel, "model"), capabilities, chunkSeed,
                maxChunkLength);
    }

    /** This LM reporting other capabilities. */
    public ScriptedLm withCapabilities(LmCapabilities newCapabilities) {
        return new ScriptedLm(script, model, Objects.requireNonNull(newCapabilities, "capabilities"), chunkSeed,
                maxChunkLength);
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
