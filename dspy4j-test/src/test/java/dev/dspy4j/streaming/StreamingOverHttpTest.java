package dev.dspy4j.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.provider.AnthropicLm;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.Responder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Field streaming over real server-sent events from the loopback server. */
class StreamingOverHttpTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String CHAT = "[[ ## reasoning ## ]]\nFrance's capital is well known, and it is on the Seine.\n\n"
            + "[[ ## answer ## ]]\nParis is the capital of France.\n\n[[ ## completed ## ]]";

    static Lm openAi(FakeLmServer server) {
        return OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey("sk-test-key").baseUrl(server.baseUrl())
                .timeout(TIMEOUT).environment(Map.of()).build();
    }

    static Lm anthropic(FakeLmServer server) {
        return AnthropicLm.builder().model("anthropic/claude-3-5-haiku-latest").apiKey("sk-ant-test-key")
                .baseUrl(server.baseUrl()).timeout(TIMEOUT).environment(Map.of()).build();
    }

    @Test
    void openAiServerSentEventsStreamTheFieldsInChunks() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI).respondWith(Responder.fixed(CHAT))) {
            assertFieldsStream(openAi(server), DspyContext.of(openAi(server)));
            assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
        }
    }

    @Test
    void anthropicServerSentEventsStreamTheFieldsInChunks() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.ANTHROPIC).respondWith(Responder.fixed(CHAT))) {
            assertFieldsStream(anthropic(server), DspyContext.of(anthropic(server)));
            assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
        }
    }

    @Test
    void jsonFieldsStreamOverOpenAiServerSentEvents() {
        String json = "{\"reasoning\": \"It says \\\"Paris\\\" in the atlas.\", \"answer\": \"Paris, the \\\"city of light\\\"\"}";
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI).respondWith(Responder.fixed(json))) {
            List<StreamEvent> events = new ArrayList<>();

            Prediction prediction = Streaming.of(ChainOfThought.of("question -> answer"))
                    .listen(StreamListener.field("answer"))
                    .stream(StreamingTest.QUESTION, DspyContext.of(openAi(server)).withAdapter(JsonAdapter.DEFAULT),
                            events::add);

            assertThat(prediction.getString("answer")).isEqualTo("Paris, the \"city of light\"");
            assertThat(StreamingTest.join(StreamingTest.chunks(events, "answer")))
                    .isEqualTo(prediction.getString("answer"));
            assertThat(StreamingTest.chunks(events, "answer").size()).isGreaterThan(1);
        }
    }

    private static void assertFieldsStream(Lm lm, DspyContext context) {
        List<StreamEvent> events = new ArrayList<>();

        Prediction prediction = Streaming.of(ChainOfThought.of("question -> answer"))
                .listen(StreamListener.field("reasoning"), StreamListener.field("answer"))
                .stream(StreamingTest.QUESTION, context, events::add);

        for (String field : List.of("reasoning", "answer")) {
            List<StreamEvent.FieldChunk> chunks = StreamingTest.chunks(events, field);
            assertThat(chunks.size()).as("%s came in several chunks", field).isGreaterThan(2);
            assertThat(StreamingTest.join(chunks)).isEqualTo(prediction.getString(field));
        }
        assertThat(prediction.getString("answer")).isEqualTo("Paris is the capital of France.");
        assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Done(prediction));
    }

    @Test
    void closingTheProgramStreamClosesTheConnection() throws Exception {
        String longAnswer = "[[ ## answer ## ]]\n" + "word ".repeat(400).strip() + "\n\n[[ ## completed ## ]]";
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI).respondWith(Responder.fixed(longAnswer))
                .streamDelay(Duration.ofMillis(5))) {
            ProgramStream stream = Streaming.of(dev.dspy4j.module.Predict.of("question -> answer"))
                    .listen(StreamListener.field("answer"))
                    .stream(StreamingTest.QUESTION, DspyContext.of(openAi(server)));
            assertThat(stream.next()).isInstanceOf(StreamEvent.FieldChunk.class);
            assertThat(stream.next()).isInstanceOf(StreamEvent.FieldChunk.class);

            stream.close();

            RecordedRequest.Outcome outcome = server.lastRequest().outcome().get(5, TimeUnit.SECONDS);
            assertThat(outcome).as("the server saw the client go away before the stream ended")
                    .isEqualTo(RecordedRequest.Outcome.CLIENT_DISCONNECTED);
            assertThat(stream.hasNext()).isFalse();
        }
    }

    @Test
    void closingAnAnthropicProgramStreamClosesTheConnection() throws Exception {
        String longAnswer = "[[ ## answer ## ]]\n" + "word ".repeat(400).strip() + "\n\n[[ ## completed ## ]]";
        try (FakeLmServer server = FakeLmServer.start(Dialect.ANTHROPIC).respondWith(Responder.fixed(longAnswer))
                .streamDelay(Duration.ofMillis(5))) {
            try (ProgramStream stream = Streaming.of(dev.dspy4j.module.Predict.of("question -> answer"))
                    .listen(StreamListener.field("answer"))
                    .stream(StreamingTest.QUESTION, DspyContext.of(anthropic(server)))) {
                assertThat(stream.next()).isInstanceOf(StreamEvent.FieldChunk.class);
            }

            RecordedRequest.Outcome outcome = server.lastRequest().outcome().get(5, TimeUnit.SECONDS);
            assertThat(outcome).isEqualTo(RecordedRequest.Outcome.CLIENT_DISCONNECTED);
        }
    }
}
