package dev.dspy4j.bench;

import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.TypedModule;
import dev.dspy4j.trace.DspyListener;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Framework overhead of one program call: everything dspy4j does around the LM (checking inputs,
 * formatting the prompt, parsing the reply, building the prediction), measured with an LM that
 * answers instantly from memory. No cache, no listeners, one thread.
 *
 * <p>Each LM returns one fixed, valid completion for its signature, built once (a real client
 * builds its response from the wire; that cost belongs to the client, not to the framework).
 * {@link #checkReplies()} runs every benchmark once before measuring and fails the run if a reply
 * does not give the expected outputs from a single LM call: a silent adapter fallback would double
 * the work measured.
 *
 * <p>Python DSPy 3.3.1 spends about 470 µs per {@code Predict} call on the same machine and the
 * Rust port DSRs reports about 2 µs; see {@code docs/performance.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class CallOverheadBenchmark {

    /** The typed signature's inputs. */
    public record Review(String product, String text) {}

    /** The typed signature's outputs: an enum, an int and a double. */
    public record Rating(Sentiment sentiment, int stars, double confidence) {}

    /** A closed set of labels; the prompt asks the LM for one of their names. */
    public enum Sentiment { POSITIVE, NEGATIVE, NEUTRAL }

    static final String CHAT_ANSWER = """
            [[ ## answer ## ]]
            Paris

            [[ ## completed ## ]]""";

    static final String CHAT_REASONING_ANSWER = """
            [[ ## reasoning ## ]]
            France's capital and largest city is Paris.

            [[ ## answer ## ]]
            Paris

            [[ ## completed ## ]]""";

    static final String CHAT_RATING = """
            [[ ## sentiment ## ]]
            POSITIVE

            [[ ## stars ## ]]
            4

            [[ ## confidence ## ]]
            0.93

            [[ ## completed ## ]]""";

    static final String JSON_ANSWER = "{\"answer\": \"Paris\"}";

    private final Map<String, Object> question = Map.of("question", "What is the capital of France?");
    private final Review review = new Review("Trail shoes", "Comfortable from the first run, but the laces are short.");

    private final Predict predict = Predict.of("question -> answer");
    private final TypedModule<Review, Rating> rate = Predict.typed(Review.class, Rating.class);
    private final ChainOfThought chainOfThought = ChainOfThought.of("question -> answer");

    private DspyContext chat;
    private DspyContext json;
    private DspyContext chatRating;
    private DspyContext chatReasoning;
    private DspyContext chatIntercepted;
    private DspyContext chatObserved;

    @Setup
    public void checkReplies() {
        // first run every benchmark once against counting LMs, then measure with plain ones
        CountingLm chatLm = new CountingLm(CHAT_ANSWER);
        CountingLm jsonLm = new CountingLm(JSON_ANSWER);
        CountingLm ratingLm = new CountingLm(CHAT_RATING);
        CountingLm reasoningLm = new CountingLm(CHAT_REASONING_ANSWER);
        useContexts(chatLm, jsonLm, ratingLm, reasoningLm);

        expect("predictChat", "Paris", predictChat().getString("answer"), chatLm);
        expect("predictJson", "Paris", predictJson().getString("answer"), jsonLm);
        CountingLm viaInterceptor = new CountingLm(CHAT_ANSWER);
        useContexts(viaInterceptor, jsonLm, ratingLm, reasoningLm);
        expect("predictChatThroughContextInterceptor", "Paris",
                predictChatThroughContextInterceptor().getString("answer"), viaInterceptor);
        CountingLm viaListener = new CountingLm(CHAT_ANSWER);
        useContexts(viaListener, jsonLm, ratingLm, reasoningLm);
        expect("predictChatWithListener", "Paris", predictChatWithListener().getString("answer"), viaListener);
        expect("typedPredictChat", new Rating(Sentiment.POSITIVE, 4, 0.93), typedPredictChat(), ratingLm);
        Prediction reasoned = chainOfThoughtChat();
        expect("chainOfThoughtChat", "Paris", reasoned.getString("answer"), reasoningLm);
        expect("chainOfThoughtChat", "France's capital and largest city is Paris.",
                reasoned.getString(ChainOfThought.REASONING), reasoningLm);

        useContexts(instant(CHAT_ANSWER), instant(JSON_ANSWER), instant(CHAT_RATING), instant(CHAT_REASONING_ANSWER));
    }

    /** Case 1: the shorthand predictor with the default ChatAdapter. */
    @Benchmark
    public Prediction predictChat() {
        return predict.call(question, chat);
    }

    /** Case 2: a typed predictor with two inputs and three typed outputs. */
    @Benchmark
    public Rating typedPredictChat() {
        return rate.call(review, chatRating);
    }

    /** Case 3: chain of thought (an extra {@code reasoning} output) with the ChatAdapter. */
    @Benchmark
    public Prediction chainOfThoughtChat() {
        return chainOfThought.call(question, chatReasoning);
    }

    /** Case 4, for reference: case 1 with the JsonAdapter. */
    @Benchmark
    public Prediction predictJson() {
        return predict.call(question, json);
    }

    /**
     * Case 5: case 1 with one pass-through interceptor on the context, which puts the call on the
     * observed path (combined chain, call details) without listeners.
     */
    @Benchmark
    public Prediction predictChatThroughContextInterceptor() {
        return predict.call(question, chatIntercepted);
    }

    /** Case 6: case 1 with one listener that ignores everything: spans and events are built. */
    @Benchmark
    public Prediction predictChatWithListener() {
        return predict.call(question, chatObserved);
    }

    private void useContexts(Lm chatLm, Lm jsonLm, Lm ratingLm, Lm reasoningLm) {
        chat = DspyContext.of(chatLm);
        chatIntercepted = chat.withInterceptors((request, chain) -> chain.proceed(request));
        chatObserved = chat.withListener(new DspyListener() { });
        json = DspyContext.of(jsonLm).withAdapter(JsonAdapter.DEFAULT);
        chatRating = DspyContext.of(ratingLm);
        chatReasoning = DspyContext.of(reasoningLm);
    }

    /** An LM that returns {@code completion} at once. */
    private static Lm instant(String completion) {
        LmResponse response = LmResponse.of(completion);
        return request -> response;
    }

    /**
     * Fails the run unless the call gave {@code wanted} with exactly one LM call: a second call
     * means the adapter fell back, so the canned reply does not fit it.
     */
    private static void expect(String benchmark, Object wanted, Object got, CountingLm lm) {
        if (!Objects.equals(wanted, got) || lm.calls() != 1) {
            throw new IllegalStateException(benchmark + ": expected " + wanted + " from one LM call but got " + got
                    + " from " + lm.calls() + "; the canned reply no longer fits the adapter's format.");
        }
    }

    /** An instant LM that counts its calls; used only to check the replies before measuring. */
    private static final class CountingLm implements Lm {
        private final LmResponse response;
        private final AtomicInteger calls = new AtomicInteger();

        CountingLm(String completion) {
            this.response = LmResponse.of(completion);
        }

        @Override
        public LmResponse call(LmRequest request) {
            calls.incrementAndGet();
            return response;
        }

        int calls() {
            return calls.get();
        }
    }
}
