package dev.dspy4j.streaming;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A program whose calls stream, as DSPy's {@code streamify}: the output fields the listeners name
 * arrive in chunks as the LM writes them (ChatAdapter, JSONAdapter and XMLAdapter formats), with
 * the predictor's path; status messages tell of tool calls; the final prediction comes last and
 * equals what {@code program.call} returns. A cached response replays as a stream: one chunk per
 * field, marked last.
 *
 * <pre>{@code
 * try (ProgramStream stream = Streaming.of(program)
 *         .listen(StreamListener.field("answer"))
 *         .stream(Map.of("question", "Why is the sky blue?"), context)) {
 *     while (stream.hasNext()) {
 *         switch (stream.next()) {
 *             case StreamEvent.FieldChunk chunk -> System.out.print(chunk.chunk());
 *             case StreamEvent.Status status -> System.out.println(status.message());
 *             case StreamEvent.Done done -> System.out.println(done.prediction());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Only the listened predictors' LM calls stream; the others call as usual. Immutable and
 * thread-safe: every {@code with} method returns a new instance, and one instance can stream many
 * calls at once.
 */
public final class Streaming {

    /** How long a stream waits for its next event before it gives up: 5 minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private final Module program;
    private final List<StreamListener> listeners;
    private final StatusMessageProvider statusMessages;
    private final Duration idleTimeout;

    private Streaming(Module program, List<StreamListener> listeners, StatusMessageProvider statusMessages,
                      Duration idleTimeout) {
        this.program = program;
        this.listeners = listeners;
        this.statusMessages = statusMessages;
        this.idleTimeout = idleTimeout;
    }

    /** {@code program}, streamable, with no listeners yet and DSPy's status messages. */
    public static Streaming of(Module program) {
        return new Streaming(Objects.requireNonNull(program, "program"), List.of(), StatusMessageProvider.DEFAULT,
                DEFAULT_IDLE_TIMEOUT);
    }

    /** This with more field listeners. */
    public Streaming listen(StreamListener... more) {
        List<StreamListener> all = new ArrayList<>(listeners);
        for (StreamListener listener : more) {
            all.add(Objects.requireNonNull(listener, "listener"));
        }
        return new Streaming(program, List.copyOf(all), statusMessages, idleTimeout);
    }

    /** This with other status messages (DSPy's by default). */
    public Streaming statusMessages(StatusMessageProvider provider) {
        return new Streaming(program, listeners, Objects.requireNonNull(provider, "provider"), idleTimeout);
    }

    /**
     * This with another idle timeout: how long the consumer waits for the next event.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Streaming idleTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + timeout);
        }
        return new Streaming(program, listeners, statusMessages, timeout);
    }

    /**
     * Starts the program on a virtual thread and returns its events.
     *
     * @param inputs the program's inputs
     * @param context the context to run it in (its LM, adapter, interceptors and listeners)
     * @return the stream; close it
     * @throws IllegalArgumentException if a listener names a field or predictor the program lacks,
     *     or a field several predictors output without saying which
     */
    public ProgramStream stream(Map<String, ?> inputs, DspyContext context) {
        Map<String, List<StreamListener>> byPath = resolve();
        ProgramStream stream = new ProgramStream(idleTimeout);
        DspyContext streaming = context
                .withInterceptors(new StreamingInterceptor(byPath, aliases(), formatOf(context.adapter()), stream))
                .withListener(new StatusListener(statusMessages, stream));
        Map<String, Object> copy = new LinkedHashMap<>(inputs);
        stream.start(() -> program.call(copy, streaming));
        return stream;
    }

    /**
     * Runs the program, handing each event to {@code consumer} on the calling thread, and returns
     * the prediction.
     *
     * @throws RuntimeException the program's failure, a timeout, or what {@code consumer} throws
     *     (which cancels the call)
     */
    public Prediction stream(Map<String, ?> inputs, DspyContext context, Consumer<? super StreamEvent> consumer) {
        try (ProgramStream stream = stream(inputs, context)) {
            Prediction result = null;
            while (stream.hasNext()) {
                StreamEvent event = stream.next();
                consumer.accept(event);
                if (event instanceof StreamEvent.Done done) {
                    result = done.prediction();
                }
            }
            if (result == null) {
                throw new IllegalStateException("The program stream ended without a prediction");
            }
            return result;
        }
    }

    /**
     * As {@link #stream(Map, DspyContext, Consumer)} on a virtual thread. Cancelling the future
     * does not stop the call; close the {@link ProgramStream} from {@link #stream(Map, DspyContext)}
     * for that.
     */
    public CompletableFuture<Prediction> streamAsync(Map<String, ?> inputs, DspyContext context,
                                                     Consumer<? super StreamEvent> consumer) {
        CompletableFuture<Prediction> future = new CompletableFuture<>();
        Thread.ofVirtual().name("dspy4j-stream-consumer").start(() -> {
            try {
                future.complete(stream(inputs, context, consumer));
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    private static FieldFormat formatOf(Adapter adapter) {
        if (adapter instanceof JsonAdapter) {
            return FieldFormat.JSON;
        }
        if (adapter instanceof XmlAdapter) {
            return FieldFormat.XML;
        }
        return FieldFormat.CHAT;
    }

    private Map<String, List<StreamListener>> resolve() {
        Map<String, Predict> predictors = program.namedPredictors();
        Map<String, List<StreamListener>> byPath = new LinkedHashMap<>();
        for (StreamListener listener : listeners) {
            String path = pathOf(listener, predictors);
            byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(listener);
        }
        if (predictors.size() == 1 && !predictors.containsKey("self")) {
            // a lone predictor called straight through (ChainOfThought.call) reports itself as "self"
            String only = predictors.keySet().iterator().next();
            List<StreamListener> listened = byPath.get(only);
            if (listened != null) {
                byPath.put("self", listened);
            }
        }
        return byPath;
    }

    private Map<String, String> aliases() {
        Map<String, Predict> predictors = program.namedPredictors();
        if (predictors.size() == 1 && !predictors.containsKey("self")) {
            return Map.of("self", predictors.keySet().iterator().next());
        }
        return Map.of();
    }

    private static String pathOf(StreamListener listener, Map<String, Predict> predictors) {
        String field = listener.field();
        if (listener.predictorPath() != null) {
            Predict predict = predictors.get(listener.predictorPath());
            if (predict == null) {
                throw new IllegalArgumentException("No predictor is at path '" + listener.predictorPath()
                        + "' in the program; its predictors are " + predictors.keySet());
            }
            return checked(listener.predictorPath(), predict, field);
        }
        if (listener.predict() != null) {
            for (Map.Entry<String, Predict> entry : predictors.entrySet()) {
                if (entry.getValue() == listener.predict()) {
                    return checked(entry.getKey(), entry.getValue(), field);
                }
            }
            throw new IllegalArgumentException("The predictor given for field '" + field
                    + "' is not part of the streamed program; its predictors are " + predictors.keySet());
        }
        List<String> matches = new ArrayList<>();
        predictors.forEach((path, predict) -> {
            if (predict.signature().hasField(field) && predict.signature().field(field).isOutput()) {
                matches.add(path);
            }
        });
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("No predictor of the program outputs a field '" + field
                    + "'; its predictors are " + predictors.keySet());
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("Field '" + field + "' is output by several predictors " + matches
                    + "; say which one with StreamListener.field(\"" + field + "\").predictor(path)");
        }
        return matches.get(0);
    }

    private static String checked(String path, Predict predict, String field) {
        if (!predict.signature().hasField(field) || !predict.signature().field(field).isOutput()) {
            throw new IllegalArgumentException("Predictor '" + path + "' has no output field '" + field
                    + "'; its outputs are " + predict.signature().outputs().stream().map(f -> f.name()).toList());
        }
        return path;
    }
}
