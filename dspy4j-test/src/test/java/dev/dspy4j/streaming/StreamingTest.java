package dev.dspy4j.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ReAct;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.tool.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamingTest {

    static final Map<String, Object> QUESTION = Map.of("question", "What is the capital of France?");

    static final String CHAT = """
            [[ ## reasoning ## ]]
              The question asks for a capital.\s\s
            A line with [[ ## not a marker ## ]] inside, and [[ brackets.
            [[ ## notes ## ]] would be a marker, but not at line start here? no: \\[[ kept.

            [[ ## answer ## ]] Paris
            is the capital.\t

            [[ ## completed ## ]]""";

    static final String JSON = "{\"reasoning\": \"He said \\\"the \\\\\\\"answer\\\": no\\\"\\nthen \\u00e9\\u00e8 ok \","
            + " \"answer\": \"Paris, \\\"the\\\" city\"}";

    static final String XML = "<reasoning>\n  Think about a &lt; b &amp;&amp; c &#233; and &lt;/reason here.  \n</reasoning>\n<answer> Paris </answer>";

    // ---- chunks concatenate to the parsed fields, for random chunk splits -------------------

    @Test
    void chatChunksConcatenateToTheParsedFieldsWhateverTheSplit() {
        assertChunksConcatenateToParsedFields(ChatAdapter.DEFAULT, CHAT);
    }

    @Test
    void jsonChunksConcatenateToTheUnescapedFieldsWhateverTheSplit() {
        assertChunksConcatenateToParsedFields(JsonAdapter.DEFAULT, JSON);
    }

    @Test
    void xmlChunksConcatenateToTheParsedFieldsWhateverTheSplit() {
        assertChunksConcatenateToParsedFields(XmlAdapter.DEFAULT, XML);
    }

    private static void assertChunksConcatenateToParsedFields(Adapter adapter, String completion) {
        Prediction expected = ChainOfThought.of("question -> answer")
                .call(QUESTION, DspyContext.of(ScriptedLm.answering(r -> completion)).withAdapter(adapter));
        for (long seed = 0; seed < 60; seed++) {
            ScriptedLm lm = ScriptedLm.answering(r -> completion).streamingInChunks(seed, 1 + (int) (seed % 9));
            List<StreamEvent> events = new ArrayList<>();

            Prediction prediction = Streaming.of(ChainOfThought.of("question -> answer"))
                    .listen(StreamListener.field("reasoning"), StreamListener.field("answer"))
                    .stream(QUESTION, DspyContext.of(lm).withAdapter(adapter), events::add);

            assertThat(prediction.toMap()).as("seed %d", seed).isEqualTo(expected.toMap());
            for (String field : List.of("reasoning", "answer")) {
                List<StreamEvent.FieldChunk> chunks = chunks(events, field);
                assertThat(join(chunks)).as("field %s, seed %d", field, seed).isEqualTo(expected.getString(field));
                assertThat(chunks).filteredOn(StreamEvent.FieldChunk::last).hasSize(1);
                assertThat(chunks.get(chunks.size() - 1).last()).isTrue();
                assertThat(chunks).allSatisfy(c -> assertThat(c.predictorPath()).isEqualTo("predict"));
            }
            assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Done(prediction));
        }
    }

    @Test
    void jsonFieldsOfOtherTypesStreamTheirJsonTextAndNestedKeysDoNotMatch() {
        String completion = "{\"notes\": {\"answer\": \"decoy\", \"list\": [1, \"}\"]},"
                + " \"score\": 42 , \"answer\": \"Paris\"}";
        for (long seed = 0; seed < 30; seed++) {
            ScriptedLm lm = ScriptedLm.answering(r -> completion).streamingInChunks(seed, 1 + (int) (seed % 5));
            List<StreamEvent> events = new ArrayList<>();

            Prediction prediction = Streaming.of(Predict.of("question -> notes: dict[str, Any], score: int, answer"))
                    .listen(StreamListener.field("score"), StreamListener.field("answer"))
                    .stream(QUESTION, DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT), events::add);

            assertThat(join(chunks(events, "score"))).as("seed %d", seed).isEqualTo("42");
            assertThat(prediction.get("score")).isEqualTo(42L);
            assertThat(join(chunks(events, "answer"))).as("seed %d", seed).isEqualTo("Paris");
        }
    }

    @Test
    void streamsTheFieldBeforeTheLmCallEnds() {
        ScriptedLm lm = ScriptedLm.answering(r -> CHAT).streamingInChunks(7, 3);
        List<StreamEvent> events = new ArrayList<>();

        Streaming.of(ChainOfThought.of("question -> answer")).listen(StreamListener.field("answer"))
                .stream(QUESTION, DspyContext.of(lm), events::add);

        assertThat(chunks(events, "answer").size()).as("several chunks").isGreaterThan(2);
        assertThat(chunks(events, "reasoning")).as("not listened").isEmpty();
    }

    // ---- nested modules, predictor paths, reuse ----------------------------------------------

    static final class TwoSteps extends Module {
        final Predict draft = Predict.of("question -> answer");
        final Predict polish = Predict.of("question, draft -> answer");

        @Override
        protected Prediction forward(Example in) {
            Prediction first = draft.call(Map.of("question", in.get("question")));
            return polish.call(Map.of("question", in.get("question"), "draft", first.getString("answer")));
        }
    }

    @Test
    void nestedPredictorsWithTheSameFieldAreToldApartByPath() {
        ScriptedLm lm = ScriptedLm.replying("[[ ## answer ## ]]\nparis\n\n[[ ## completed ## ]]",
                "[[ ## answer ## ]]\nParis.\n\n[[ ## completed ## ]]").streamingInChunks(1, 4);
        TwoSteps program = new TwoSteps();
        List<StreamEvent> events = new ArrayList<>();

        Prediction prediction = Streaming.of(program)
                .listen(StreamListener.field("answer").predictor("draft"),
                        StreamListener.field("answer").predictor(program.polish))
                .stream(QUESTION, DspyContext.of(lm), events::add);

        assertThat(join(chunks(events, "answer").stream().filter(c -> c.predictorPath().equals("draft")).toList()))
                .isEqualTo("paris");
        assertThat(join(chunks(events, "answer").stream().filter(c -> c.predictorPath().equals("polish")).toList()))
                .isEqualTo("Paris.");
        assertThat(prediction.getString("answer")).isEqualTo("Paris.");
    }

    @Test
    void onlyTheListenedPredictorStreamsItsCall() {
        ScriptedLm lm = ScriptedLm.replying("[[ ## answer ## ]]\nparis\n\n[[ ## completed ## ]]",
                "[[ ## answer ## ]]\nParis.\n\n[[ ## completed ## ]]").streamingInChunks(1, 4);
        List<StreamEvent> events = new ArrayList<>();

        Streaming.of(new TwoSteps()).listen(StreamListener.field("answer").predictor("polish"))
                .stream(QUESTION, DspyContext.of(lm), events::add);

        assertThat(lm.callCount()).isEqualTo(2);
        assertThat(lm.streamCount()).isEqualTo(1);
        assertThat(chunks(events, "answer")).allSatisfy(c -> assertThat(c.predictorPath()).isEqualTo("polish"));
    }

    @Test
    void aFieldOfSeveralPredictorsNeedsAPredictor() {
        Streaming streaming = Streaming.of(new TwoSteps()).listen(StreamListener.field("answer"));

        assertThatThrownBy(() -> streaming.stream(QUESTION, DspyContext.of(ScriptedLm.replying())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("several predictors [draft, polish]")
                .hasMessageContaining(".predictor(path)");
    }

    @Test
    void aFieldNoPredictorOutputsIsRefused() {
        Streaming streaming = Streaming.of(Predict.of("question -> answer")).listen(StreamListener.field("summary"));

        assertThatThrownBy(() -> streaming.stream(QUESTION, DspyContext.of(ScriptedLm.replying())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No predictor of the program outputs a field 'summary'");
    }

    static final class Twice extends Module {
        final Predict answer = Predict.of("question -> answer");

        @Override
        protected Prediction forward(Example in) {
            answer.call(Map.of("question", in.get("question")));
            return answer.call(Map.of("question", in.get("question")));
        }
    }

    @Test
    void aListenerStreamsOnlyTheFirstCallUnlessReuseIsAllowed() {
        String reply = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]";
        List<StreamEvent> once = new ArrayList<>();
        List<StreamEvent> reused = new ArrayList<>();

        Streaming.of(new Twice()).listen(StreamListener.field("answer"))
                .stream(QUESTION, DspyContext.of(ScriptedLm.answering(r -> reply).streamingInChunks(2, 3)), once::add);
        Streaming.of(new Twice()).listen(StreamListener.field("answer").allowReuse())
                .stream(QUESTION, DspyContext.of(ScriptedLm.answering(r -> reply).streamingInChunks(2, 3)),
                        reused::add);

        assertThat(chunks(once, "answer")).filteredOn(StreamEvent.FieldChunk::last).hasSize(1);
        assertThat(chunks(reused, "answer")).filteredOn(StreamEvent.FieldChunk::last).hasSize(2);
        assertThat(join(chunks(reused, "answer"))).isEqualTo("ParisParis");
    }

    // ---- cache, status messages, cancellation, timeouts ----------------------------------------

    @Test
    void aCachedResponseReplaysAsOneLastChunkPerField() {
        ScriptedLm scripted = ScriptedLm.answering(r -> CHAT).streamingInChunks(3, 2);
        Lm lm = scripted.withInterceptors(new CacheInterceptor(new MemoryCache(10)));
        Streaming streaming = Streaming.of(ChainOfThought.of("question -> answer"))
                .listen(StreamListener.field("reasoning"), StreamListener.field("answer"));
        Prediction first = streaming.stream(QUESTION, DspyContext.of(lm), e -> { });
        List<StreamEvent> events = new ArrayList<>();

        Prediction second = streaming.stream(QUESTION, DspyContext.of(lm), events::add);

        assertThat(scripted.callCount()).as("the second call was a cache hit").isEqualTo(1);
        assertThat(second.toMap()).isEqualTo(first.toMap());
        assertThat(chunks(events, "answer")).containsExactly(
                new StreamEvent.FieldChunk("predict", "answer", first.getString("answer"), true));
        assertThat(chunks(events, "reasoning")).containsExactly(
                new StreamEvent.FieldChunk("predict", "reasoning", first.getString("reasoning"), true));
    }

    static String step(String tool, String args) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("next_thought", "Use " + tool + ".");
        outputs.put("next_tool_name", tool);
        outputs.put("next_tool_args", args);
        return ScriptedLm.chatCompletion(outputs);
    }

    @Test
    void toolCallsInReActAreAnnouncedAsStatusMessages() {
        Tool search = Tool.ofSchema("search", "Look a city up.", Map.of("query", Map.of("type", "string")),
                args -> "Paris is the capital of France.");
        ScriptedLm lm = ScriptedLm.replying(step("search", "{\"query\": \"France\"}"), step("finish", "{}"),
                "[[ ## reasoning ## ]]\nFound it.\n\n[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]")
                .streamingInChunks(5, 4);
        List<StreamEvent> events = new ArrayList<>();

        Prediction prediction = Streaming.of(ReAct.of("question -> answer", List.of(search)))
                .listen(StreamListener.field("answer"))
                .stream(QUESTION, DspyContext.of(lm), events::add);

        assertThat(events).filteredOn(StreamEvent.Status.class::isInstance).containsExactly(
                new StreamEvent.Status("Calling tool search..."),
                new StreamEvent.Status("Tool calling finished! Querying the LLM with tool calling results..."),
                new StreamEvent.Status("Calling tool finish..."),
                new StreamEvent.Status("Tool calling finished! Querying the LLM with tool calling results..."));
        assertThat(join(chunks(events, "answer"))).isEqualTo("Paris").isEqualTo(prediction.getString("answer"));
    }

    @Test
    void statusMessagesComeFromTheConfiguredProvider() {
        List<StreamEvent> events = new ArrayList<>();
        StatusMessageProvider modules = new StatusMessageProvider() {
            @Override
            public String moduleStart(String moduleName) {
                return "start " + moduleName;
            }
        };

        Streaming.of(new TwoSteps()).statusMessages(modules).stream(QUESTION,
                DspyContext.of(ScriptedLm.withOutputs(Map.of("answer", "Paris"))), events::add);

        assertThat(events).filteredOn(StreamEvent.Status.class::isInstance)
                .extracting(e -> ((StreamEvent.Status) e).message()).contains("start TwoSteps");
    }

    @Test
    void closingTheStreamCancelsTheProgramCall() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch closedLm = new CountDownLatch(1);
        Lm blocking = new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                throw new AssertionError("streamed, not called");
            }

            @Override
            public LmStream stream(LmRequest request) {
                return new LmStream() {
                    private int sent;

                    @Override
                    public dev.dspy4j.lm.StreamChunk next() {
                        if (sent++ == 0) {
                            return new dev.dspy4j.lm.StreamChunk(0, "[[ ## answer ## ]]\nPar", "");
                        }
                        try {
                            released.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new LmException.Transport("interrupted", null, e);
                        }
                        throw new LmException.Transport("closed", null, null);
                    }

                    @Override
                    public LmResponse response() {
                        throw new IllegalStateException();
                    }

                    @Override
                    public void close() {
                        closedLm.countDown();
                        released.countDown();
                    }
                };
            }
        };
        ProgramStream stream = Streaming.of(Predict.of("question -> answer")).listen(StreamListener.field("answer"))
                .stream(QUESTION, DspyContext.of(blocking));
        assertThat(stream.next()).isEqualTo(new StreamEvent.FieldChunk("self", "answer", "Par", false));

        stream.close();

        assertThat(closedLm.await(10, TimeUnit.SECONDS)).as("the LM stream was closed").isTrue();
        assertThat(stream.hasNext()).as("a closed stream has no more events").isFalse();
    }

    @Test
    void streamAsyncDeliversTheEventsAndCompletesWithThePrediction() throws Exception {
        ScriptedLm lm = ScriptedLm.answering(r -> CHAT).streamingInChunks(9, 5);
        List<StreamEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());

        Prediction prediction = Streaming.of(ChainOfThought.of("question -> answer"))
                .listen(StreamListener.field("answer"))
                .streamAsync(QUESTION, DspyContext.of(lm), events::add).get(30, TimeUnit.SECONDS);

        assertThat(join(chunks(events, "answer"))).isEqualTo(prediction.getString("answer"));
        assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Done(prediction));
    }

    @Test
    void interruptingTheConsumerCancelsTheCall() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Lm silent = request -> {
            try {
                never.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new CancellationException("interrupted");
        };
        ProgramStream stream = Streaming.of(Predict.of("question -> answer")).stream(QUESTION, DspyContext.of(silent));
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread consumer = Thread.ofVirtual().start(() -> {
            try {
                stream.next();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });

        consumer.interrupt();
        consumer.join(Duration.ofSeconds(30));

        assertThat(failure.get()).isInstanceOf(CancellationException.class)
                .hasMessageContaining("closed by its consumer");
        assertThat(stream.hasNext()).isFalse();
        never.countDown();
    }

    @Test
    void aStreamThatFallsSilentTimesOut() {
        CountDownLatch never = new CountDownLatch(1);
        Lm silent = request -> {
            try {
                never.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new CancellationException("interrupted");
        };
        ProgramStream stream = Streaming.of(Predict.of("question -> answer")).idleTimeout(Duration.ofMillis(100))
                .stream(QUESTION, DspyContext.of(silent));

        assertThatThrownBy(stream::next).isInstanceOf(LmException.Timeout.class)
                .hasMessageContaining("idleTimeout");
        never.countDown();
    }

    @Test
    void aFailingProgramFailsTheStreamWithItsError() {
        try (ProgramStream stream = Streaming.of(Predict.of("question -> answer"))
                .stream(QUESTION, DspyContext.of(ScriptedLm.replying()))) {
            assertThatThrownBy(stream::prediction).hasMessageContaining("ScriptedLm has no reply left");
        }
    }

    static List<StreamEvent.FieldChunk> chunks(List<StreamEvent> events, String field) {
        return events.stream().filter(StreamEvent.FieldChunk.class::isInstance).map(StreamEvent.FieldChunk.class::cast)
                .filter(c -> c.field().equals(field)).toList();
    }

    static String join(List<StreamEvent.FieldChunk> chunks) {
        StringBuilder out = new StringBuilder();
        chunks.forEach(c -> out.append(c.chunk()));
        return out.toString();
    }
}
