package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.CallInfo;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.lm.StreamChunk;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.LmHistory;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import dev.dspy4j.usage.UsageTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The v2 call path: context interceptors, call details, span events, streams, context inheritance. */
class CallPathTest {

    private static final Retry FAST_RETRY = Retry.builder().initialDelay(Duration.ofMillis(1))
            .maxDelay(Duration.ofMillis(2)).build();

    /** Two predictors in sequence, the second reading the first's answer. */
    static final class TwoStep extends Module {
        final Predict draft = Predict.of("question -> draft");
        final Predict polish = Predict.of("draft -> answer");

        @Override
        protected Prediction forward(Example inputs) {
            String draftText = draft.call(Map.of("question", inputs.get("question"))).getString("draft");
            return polish.call(Map.of("draft", draftText));
        }
    }

    @Test
    void aContextInterceptorSeesEveryCallIncludingAPredictorsOwnLmWithItsPath() {
        // given a program whose second predictor has its own LM, and an interceptor on the context
        ScriptedLm main = ScriptedLm.withOutputs(Map.of("draft", "d", "answer", "a"));
        ScriptedLm own = ScriptedLm.withOutputs(Map.of("answer", "from own lm")).withModel("openai/own");
        Module program = new TwoStep().mapState((path, s) -> path.equals("polish") ? s.withLm(own) : s);
        List<String> seen = new CopyOnWriteArrayList<>();
        LmInterceptor recorder = (request, chain) -> {
            seen.add(chain.call().predictorPath() + "@" + chain.lm().model() + "#" + chain.call().attempt());
            return chain.proceed(request);
        };

        // when it runs
        Prediction result = program.call(Map.of("question", "q"), DspyContext.of(main).withInterceptors(recorder));

        // then both calls went through the interceptor, each naming its predictor and LM
        assertThat(result.getString("answer")).isEqualTo("from own lm");
        assertThat(seen).containsExactly("draft@" + main.model() + "#1", "polish@openai/own#1");
        assertThat(own.callCount()).isEqualTo(1);
    }

    @Test
    void aBudgetOnTheContextRefusesAPredictorsOwnLm() {
        // given a budget of one call as a context interceptor, and a predictor with its own LM
        ScriptedLm own = ScriptedLm.withOutputs(Map.of("draft", "d", "answer", "a"));
        Module program = new TwoStep().withLm(own);
        AtomicInteger left = new AtomicInteger(1);
        LmInterceptor budget = (request, chain) -> {
            if (left.getAndDecrement() <= 0) {
                throw new LmException("budget of 1 LM call spent", false, null);
            }
            return chain.proceed(request);
        };

        // then the second call is refused although no context LM is set at all
        assertThatThrownBy(() -> program.call(Map.of("question", "q"), DspyContext.empty().withInterceptors(budget)))
                .isInstanceOf(LmException.class).hasMessageContaining("budget");
        assertThat(own.callCount()).isEqualTo(1);
    }

    @Test
    void listenerEventsFormOneTreeForATwoPredictorProgramWithARetry() {
        // given an LM whose first call fails with a retryable error, behind a retry
        AtomicInteger calls = new AtomicInteger();
        ScriptedLm scripted = ScriptedLm.withOutputs(Map.of("draft", "d", "answer", "a"));
        Lm flaky = request -> {
            if (calls.getAndIncrement() == 0) {
                throw new LmException.ServerError("overloaded", "test", 503, null);
            }
            return scripted.call(request);
        };
        Lm lm = flaky.withInterceptors(FAST_RETRY);
        Recorder recorder = new Recorder();

        // when a two-predictor program runs
        new TwoStep().call(Map.of("question", "q"), DspyContext.of(lm).withListener(recorder));

        // then every span started once and ended or failed once
        assertThat(recorder.starts).hasSize(recorder.ends.size() + recorder.failures.size());
        assertThat(recorder.ends.keySet()).doesNotContainAnyElementsOf(recorder.failures.keySet());
        // and the spans form a tree: module -> 2 predictors -> LM call -> attempts, parse under the predictor
        Span root = recorder.only(SpanKind.MODULE);
        assertThat(root.parentId()).isNull();
        assertThat(root.name()).isEqualTo("TwoStep");
        List<Span> predictors = recorder.children(root, SpanKind.PREDICTOR);
        assertThat(predictors).extracting(Span::name).containsExactly("draft", "polish");
        Span draftCall = recorder.children(predictors.get(0), SpanKind.LM_CALL).get(0);
        List<Span> attempts = recorder.children(draftCall, SpanKind.LM_ATTEMPT);
        assertThat(attempts).extracting(s -> s.attributes().get("dspy.lm.attempt")).containsExactly(1, 2);
        assertThat(recorder.failures).containsKey(attempts.get(0).id());
        assertThat(recorder.ends).containsKey(attempts.get(1).id());
        assertThat(recorder.children(predictors.get(0), SpanKind.ADAPTER_PARSE)).hasSize(1);
        Span polishCall = recorder.children(predictors.get(1), SpanKind.LM_CALL).get(0);
        assertThat(recorder.children(polishCall, SpanKind.LM_ATTEMPT)).hasSize(1);
        assertThat(recorder.ends.get(polishCall.id())).containsKey("gen_ai.usage.input_tokens");
        // and the data events still come, once per LM call and predictor call
        assertThat(recorder.lmCalls).hasValue(2);
        assertThat(recorder.predictions).hasValue(2);
    }

    @Test
    void aFailedPredictorCallEndsItsSpansAsFailed() {
        Lm broken = request -> {
            throw new LmException.Authentication("bad key", "test", 401, null);
        };
        Recorder recorder = new Recorder();

        assertThatThrownBy(() -> Predict.of("question -> answer").call(Map.of("question", "q"),
                DspyContext.of(broken).withListener(recorder))).isInstanceOf(LmException.Authentication.class);

        Span predictor = recorder.only(SpanKind.PREDICTOR);
        assertThat(predictor.name()).isEqualTo("self");
        assertThat(recorder.failures).containsKey(predictor.id());
        assertThat(recorder.failures).containsKey(recorder.only(SpanKind.LM_CALL).id());
        assertThat(recorder.ends).isEmpty();
    }

    @Test
    void aVirtualThreadStartedInForwardSeesTheCallersContext() throws Exception {
        // given a module that fans out to two virtual threads inside forward, with no wrapping
        ScriptedLm lm = ScriptedLm.withOutputs(Map.of("answer", "a"));
        Module fanOut = new Module() {
            final Predict first = Predict.of("question -> answer");
            final Predict second = Predict.of("question -> answer");

            @Override
            protected Prediction forward(Example inputs) {
                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<Prediction> a = threads.submit(() -> first.call(Map.of("question", "1")));
                    Future<Prediction> b = threads.submit(() -> second.call(Map.of("question", "2")));
                    return Prediction.of(Map.of("answer", a.get().getString("answer") + b.get().getString("answer")));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        // when it runs with an explicit context
        Prediction result = fanOut.call(Map.of("question", "q"), DspyContext.of(lm));

        // then both branches used the caller's LM
        assertThat(result.getString("answer")).isEqualTo("aa");
        assertThat(lm.callCount()).isEqualTo(2);
    }

    @Test
    void aStreamGoesThroughRetryUsageAndHistory() {
        // given a streaming LM whose first attempt fails before any text arrives
        AtomicInteger opened = new AtomicInteger();
        Lm streaming = new ChunkedLm(opened, List.of("Hel", "lo ", "world"));
        UsageTracker usage = UsageTracker.create();
        LmHistory history = LmHistory.create();
        Lm lm = streaming.withInterceptors(FAST_RETRY, usage, history);

        // when the stream is read to its end
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        try (LmStream stream = lm.stream(LmRequest.of(List.of(Message.user("hi"))))) {
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                text.append(chunk.text());
                chunks++;
            }
        }

        // then it was retried once, streamed chunk by chunk, counted with the final usage and kept whole
        assertThat(opened).hasValue(2);
        assertThat(chunks).isEqualTo(3);
        assertThat(text).hasToString("Hello world");
        assertThat(usage.snapshot().model("stream/model").orElseThrow().usage()).isEqualTo(new Usage(7, 3));
        assertThat(history.calls()).singleElement().satisfies(call -> assertThat(call.text()).isEqualTo("Hello world"));
    }

    @Test
    void anLmWithoutNativeStreamingStreamsItsWholeReplyAsOneChunk() {
        Lm plain = request -> LmResponse.of("whole");
        try (LmStream stream = plain.withInterceptors((request, chain) -> chain.proceed(request))
                .stream(LmRequest.of(List.of(Message.user("hi"))))) {
            assertThat(stream.next().text()).isEqualTo("whole");
            assertThat(stream.next()).isNull();
            assertThat(stream.response().text()).isEqualTo("whole");
        }
    }

    @Test
    void whenTheJsonFallbackFailsTooItsErrorKeepsTheFirstFailure() {
        ScriptedLm lm = ScriptedLm.replying("no markers here", "still not json");
        Recorder recorder = new Recorder();
        java.util.List<String> fallbacks = new java.util.ArrayList<>();
        DspyListener fallbackWatcher = new DspyListener() {
            @Override
            public void onAdapterFallback(String from, String to, dev.dspy4j.DspyException cause) {
                fallbacks.add(from + "->" + to);
            }
        };

        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> Predict.of("question -> answer: int")
                .call(Map.of("question", "q"), DspyContext.of(lm).withListener(recorder).withListener(fallbackWatcher)));

        assertThat(error).isInstanceOf(dev.dspy4j.adapter.AdapterParseException.class);
        assertThat(((dev.dspy4j.adapter.AdapterParseException) error).adapterName()).isEqualTo("JSONAdapter");
        assertThat(error.getSuppressed()).singleElement()
                .isInstanceOfSatisfying(dev.dspy4j.adapter.AdapterParseException.class,
                        first -> assertThat(first.adapterName()).isEqualTo("ChatAdapter"));
        assertThat(fallbacks).containsExactly("ChatAdapter->JSONAdapter");
        assertThat(lm.callCount()).isEqualTo(2);
    }

    @Test
    void aDirectCallHasNoIdsAndFirstAttempt() {
        List<CallInfo> seen = new ArrayList<>();
        Lm lm = ((Lm) request -> LmResponse.of("x")).withInterceptors((request, chain) -> {
            seen.add(chain.call());
            return chain.proceed(request);
        });

        lm.call(LmRequest.of(List.of(Message.user("hi"))));

        assertThat(seen).containsExactly(CallInfo.DIRECT);
    }

    /** Streams its chunks; the first open fails with a retryable error before any chunk. */
    private static final class ChunkedLm implements Lm {
        private final AtomicInteger opened;
        private final List<String> chunks;

        ChunkedLm(AtomicInteger opened, List<String> chunks) {
            this.opened = opened;
            this.chunks = chunks;
        }

        @Override
        public LmResponse call(LmRequest request) {
            return LmResponse.of(String.join("", chunks));
        }

        @Override
        public LmStream stream(LmRequest request) {
            boolean failFirst = opened.getAndIncrement() == 0;
            return new LmStream() {
                int next;

                @Override
                public StreamChunk next() {
                    if (failFirst) {
                        throw new LmException.Transport("connection reset before the first chunk", "test", null);
                    }
                    return next < chunks.size() ? new StreamChunk(0, chunks.get(next++), "") : null;
                }

                @Override
                public LmResponse response() {
                    return new LmResponse(List.of(dev.dspy4j.lm.Choice.of(String.join("", chunks))), new Usage(7, 3),
                            null, false);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public String model() {
            return "stream/model";
        }
    }

    /** Records span events and data events. */
    static final class Recorder implements DspyListener {
        final List<Span> starts = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Map<String, Object>> ends = new ConcurrentHashMap<>();
        final Map<String, Throwable> failures = new ConcurrentHashMap<>();
        final AtomicInteger lmCalls = new AtomicInteger();
        final AtomicInteger predictions = new AtomicInteger();

        @Override
        public void onStart(Span span) {
            starts.add(span);
        }

        @Override
        public void onEnd(Span span, Map<String, Object> attributes) {
            assertThat(ends.put(span.id(), attributes)).as("ended twice: %s", span).isNull();
        }

        @Override
        public void onFailed(Span span, Throwable error) {
            assertThat(failures.put(span.id(), error)).as("failed twice: %s", span).isNull();
        }

        @Override
        public void onLmCall(Lm lm, LmRequest request, LmResponse response) {
            lmCalls.incrementAndGet();
        }

        @Override
        public void onPredict(dev.dspy4j.trace.PredictorCall call) {
            predictions.incrementAndGet();
        }

        Span only(SpanKind kind) {
            List<Span> found = starts.stream().filter(s -> s.kind() == kind).toList();
            assertThat(found).as("spans of kind %s", kind).hasSize(1);
            return found.get(0);
        }

        List<Span> children(Span parent, SpanKind kind) {
            return starts.stream().filter(s -> s.kind() == kind && parent.id().equals(s.parentId())).toList();
        }
    }
}
