package dev.dspy4j.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.StreamChunk;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Predict;
import dev.dspy4j.streaming.StreamEvent;
import dev.dspy4j.streaming.StreamListener;
import dev.dspy4j.streaming.Streaming;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.Reply;
import dev.dspy4j.usage.UsageTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import reactor.core.publisher.Flux;

class SpringAiStreamingTest {

    private static final LmRequest REQUEST = new LmRequest(List.of(Message.system("Answer briefly."),
            Message.user("Capital of France?")), LmOptions.NONE.withTemperature(0.0).withMaxTokens(50));

    @Test
    void streamsEachResponsesTextAsItArrivesWithUsageAndFinishReasonOnTheResponse() {
        FakeStreamingModel model = new FakeStreamingModel(prompt -> Flux.just(delta("Par"), delta("is"),
                last("", "STOP", 12, 3)));

        List<String> chunks = new ArrayList<>();
        LmResponse response;
        try (LmStream stream = SpringAiLm.of(model, "openai/gpt-4o-mini").stream(REQUEST)) {
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                chunks.add(chunk.text());
            }
            response = stream.response();
        }

        assertThat(chunks).containsExactly("Par", "is");
        assertThat(response.choices()).hasSize(1);
        assertThat(response.choices().getFirst().text()).isEqualTo("Paris");
        assertThat(response.choices().getFirst().finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(new Usage(12, 3));
        assertThat(response.model()).isEqualTo("gpt-4o-mini-2024");
    }

    @Test
    void toolCallsStreamedInAResponseArriveOnTheAssembledResponse() {
        ChatResponse call = new ChatResponse(List.of(new Generation(AssistantMessage.builder().content("")
                .toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "weather",
                        "{\"city\":\"Paris\"}"))).build(),
                ChatGenerationMetadata.builder().finishReason("TOOL_CALLS").build())));
        FakeStreamingModel model = new FakeStreamingModel(prompt -> Flux.just(delta("Checking."), call));

        LmResponse response;
        try (LmStream stream = SpringAiLm.of(model, "openai/gpt-4o-mini").stream(REQUEST)) {
            assertThat(stream.next()).isEqualTo(new StreamChunk(0, "Checking.", ""));
            assertThat(stream.next()).isNull();
            response = stream.response();
        }

        assertThat(response.choices().getFirst().text()).isEqualTo("Checking.");
        assertThat(response.choices().getFirst().toolCalls()).singleElement().satisfies(toolCall -> {
            assertThat(toolCall.id()).isEqualTo("call_1");
            assertThat(toolCall.name()).isEqualTo("weather");
            assertThat(toolCall.argumentsJson()).isEqualTo("{\"city\":\"Paris\"}");
        });
        assertThat(response.choices().getFirst().finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void theStreamedPromptIsTheOneACallSends() {
        FakeStreamingModel model = new FakeStreamingModel(prompt -> Flux.just(last("Paris", "STOP", 1, 1)));
        SpringAiLm lm = SpringAiLm.of(model, "openai/gpt-4o-mini");

        lm.call(REQUEST);
        Prompt called = model.prompts.getLast();
        try (LmStream stream = lm.stream(REQUEST)) {
            while (stream.next() != null) {
                // read to the end
            }
        }
        Prompt streamed = model.prompts.getLast();

        assertThat(streamed.getInstructions()).isEqualTo(called.getInstructions());
        assertThat(streamed.getOptions().getTemperature()).isEqualTo(0.0);
        assertThat(streamed.getOptions().getMaxTokens()).isEqualTo(50);
    }

    @Test
    void anErrorMidStreamComesAfterTheChunksBeforeItAsDspysErrorKind() {
        FakeStreamingModel model = new FakeStreamingModel(prompt -> Flux.just(delta("Par"))
                .concatWith(Flux.error(new StatusException(429))));

        try (LmStream stream = SpringAiLm.of(model, "openai/gpt-4o-mini").stream(REQUEST)) {
            assertThat(stream.next()).isEqualTo(new StreamChunk(0, "Par", ""));
            assertThatThrownBy(stream::next).isInstanceOf(LmException.RateLimited.class)
                    .hasMessageContaining("Spring AI model failed");
            assertThatThrownBy(stream::response).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the stream failed");
        }
    }

    @Test
    void aStreamThatNeverEndsFailsAtTheStreamTimeoutAndIsCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        FakeStreamingModel model = new FakeStreamingModel(prompt -> Flux.just(delta("Par"))
                .concatWith(Flux.never()).doOnCancel(() -> cancelled.set(true)));
        SpringAiLm lm = SpringAiLm.of(model, "openai/gpt-4o-mini").withStreamTimeout(Duration.ofMillis(200));

        try (LmStream stream = lm.stream(REQUEST)) {
            assertThat(stream.next()).isEqualTo(new StreamChunk(0, "Par", ""));
            assertThatThrownBy(stream::next).isInstanceOf(LmException.Timeout.class)
                    .hasMessageContaining("did not end within PT0.2S").hasMessageContaining("withStreamTimeout");
        }
        assertThat(cancelled).isTrue();
    }

    @Test
    void closingBeforeTheEndCancelsTheSubscription() {
        AtomicBoolean cancelled = new AtomicBoolean();
        FakeStreamingModel model = new FakeStreamingModel(prompt -> Flux.just(delta("Par"), delta("is"))
                .concatWith(Flux.never()).doOnCancel(() -> cancelled.set(true)));

        LmStream stream = SpringAiLm.of(model, "openai/gpt-4o-mini").stream(REQUEST);
        assertThat(stream.next()).isEqualTo(new StreamChunk(0, "Par", ""));
        assertThat(cancelled).isFalse();
        stream.close();

        assertThat(cancelled).isTrue();
        assertThatThrownBy(stream::next).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void anInterruptedReaderCancelsTheSubscription() {
        AtomicBoolean cancelled = new AtomicBoolean();
        FakeStreamingModel model = new FakeStreamingModel(prompt -> Flux.<ChatResponse>never()
                .doOnCancel(() -> cancelled.set(true)));

        try (LmStream stream = SpringAiLm.of(model, "openai/gpt-4o-mini").stream(REQUEST)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(stream::next).isInstanceOf(LmException.class).hasMessageContaining("interrupted");
        } finally {
            Thread.interrupted(); // clear the flag for the next test
        }
        assertThat(cancelled).isTrue();
    }

    @Test
    void theSubscriptionRequestsABoundedWindowAheadOfTheReader() {
        AtomicInteger emitted = new AtomicInteger();
        FakeStreamingModel model = new FakeStreamingModel(prompt -> Flux.range(0, 1_000)
                .map(i -> delta("x")).doOnNext(r -> emitted.incrementAndGet()));

        try (LmStream stream = SpringAiLm.of(model, "openai/gpt-4o-mini").stream(REQUEST)) {
            stream.next();
            assertThat(emitted.get()).isLessThanOrEqualTo(FluxStream.WINDOW + 1);
            int read = 1;
            while (stream.next() != null) {
                read++;
            }
            assertThat(read).isEqualTo(1_000);
            assertThat(stream.response().choices().getFirst().text()).hasSize(1_000);
        }
    }

    @Test
    void aModelThatCannotStreamFailsWithDspysErrorKind() {
        FakeStreamingModel model = new FakeStreamingModel(prompt -> {
            throw new StatusException(401);
        });

        assertThatThrownBy(() -> SpringAiLm.of(model, "openai/gpt-4o-mini").stream(REQUEST))
                .isInstanceOf(LmException.Authentication.class);
    }

    @Test
    void fieldStreamingOverTheBridgeYieldsChunksThatConcatenateToTheParsedAnswer() {
        String completion = "[[ ## answer ## ]]\nParis is the capital of France.\n\n[[ ## completed ## ]]";
        FakeStreamingModel model = new FakeStreamingModel(prompt -> {
            List<ChatResponse> pieces = new ArrayList<>();
            for (int i = 0; i < completion.length(); i += 4) {
                pieces.add(delta(completion.substring(i, Math.min(completion.length(), i + 4))));
            }
            pieces.add(last("", "STOP", 30, 12));
            return Flux.fromIterable(pieces);
        });
        List<StreamEvent.FieldChunk> chunks = new ArrayList<>();

        Prediction prediction = Streaming.of(Predict.of("question -> answer"))
                .listen(StreamListener.field("answer"))
                .stream(Map.of("question", "Capital of France?"),
                        DspyContext.of(SpringAiLm.of(model, "openai/gpt-4o-mini")), event -> {
                            if (event instanceof StreamEvent.FieldChunk chunk) {
                                chunks.add(chunk);
                            }
                        });

        assertThat(prediction.getString("answer")).isEqualTo("Paris is the capital of France.");
        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks.stream().map(StreamEvent.FieldChunk::chunk).reduce("", String::concat))
                .isEqualTo("Paris is the capital of France.");
        assertThat(chunks.getLast().last()).isTrue();
    }

    @Test
    void springAisOpenAiModelStreamsFieldChunksFromTheLoopbackServerWithTheCallsMessagesAndUsage() {
        FakeLmServer server = FakeLmServer.start(Dialect.OPENAI);
        try {
            server.respondWith(request -> Reply.text("[[ ## answer ## ]]\nParis is the capital of France.\n\n"
                    + "[[ ## completed ## ]]").withUsage(30, 12));
            ChatModel openAi = OpenAiChatModel.builder().options(OpenAiChatOptions.builder()
                    .baseUrl(server.baseUrl().toString()).apiKey("sk-loopback").model("gpt-4o-mini").maxRetries(0)
                    .timeout(Duration.ofSeconds(10)).streamUsage(true).build()).build();
            UsageTracker usage = UsageTracker.create();
            DspyContext context = DspyContext.of(SpringAiLm.of(openAi, "openai/gpt-4o-mini").withInterceptors(usage));
            Map<String, String> inputs = Map.of("question", "Capital of France?");
            Predict qa = Predict.of("question -> answer");
            qa.call(inputs, context);
            RecordedRequest called = server.lastRequest();
            List<String> chunks = new ArrayList<>();

            Prediction prediction = Streaming.of(qa).listen(StreamListener.field("answer"))
                    .stream(inputs, context, event -> {
                        if (event instanceof StreamEvent.FieldChunk chunk) {
                            chunks.add(chunk.chunk());
                        }
                    });
            RecordedRequest streamed = server.lastRequest();

            assertThat(streamed.streaming()).isTrue();
            assertThat(streamed.json().get("messages")).isEqualTo(called.json().get("messages"));
            assertThat(prediction.getString("answer")).isEqualTo("Paris is the capital of France.");
            assertThat(chunks).hasSizeGreaterThan(2);
            assertThat(String.join("", chunks)).isEqualTo("Paris is the capital of France.");
            assertThat(usage.snapshot().total().usage()).isEqualTo(new Usage(60, 24));
        } finally {
            server.stop();
        }
    }

    @Test
    void closingAStreamFromSpringAisOpenAiModelDropsTheConnection() throws Exception {
        FakeLmServer server = FakeLmServer.start(Dialect.OPENAI);
        try {
            server.respondWith(request -> Reply.text("word ".repeat(200))).streamDelay(Duration.ofMillis(20));
            ChatModel openAi = OpenAiChatModel.builder().options(OpenAiChatOptions.builder()
                    .baseUrl(server.baseUrl().toString()).apiKey("sk-loopback").model("gpt-4o-mini").maxRetries(0)
                    .timeout(Duration.ofSeconds(10)).build()).build();

            try (LmStream stream = SpringAiLm.of(openAi, "openai/gpt-4o-mini").stream(REQUEST)) {
                assertThat(stream.next()).isNotNull();
            }

            assertThat(server.lastRequest().outcome().get(10, TimeUnit.SECONDS))
                    .isEqualTo(RecordedRequest.Outcome.CLIENT_DISCONNECTED);
        } finally {
            server.stop();
        }
    }

    private static ChatResponse delta(String text) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }

    private static ChatResponse last(String text, String finishReason, int promptTokens, int completionTokens) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text),
                ChatGenerationMetadata.builder().finishReason(finishReason).build())),
                ChatResponseMetadata.builder().model("gpt-4o-mini-2024")
                        .usage(new DefaultUsage(promptTokens, completionTokens)).build());
    }

    /** An HTTP failure as the provider SDKs report it: a {@code statusCode()} accessor. */
    static final class StatusException extends RuntimeException {
        private final int status;

        StatusException(int status) {
            super("HTTP " + status);
            this.status = status;
        }

        public int statusCode() {
            return status;
        }
    }

    /** A Spring AI chat model that streams what the test scripts and records each prompt. */
    private static final class FakeStreamingModel implements ChatModel {
        final List<Prompt> prompts = new ArrayList<>();
        private final Function<Prompt, Flux<ChatResponse>> script;

        FakeStreamingModel(Function<Prompt, Flux<ChatResponse>> script) {
            this.script = script;
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            prompts.add(prompt);
            return new ChatResponse(List.of(new Generation(new AssistantMessage("Paris"))));
        }

        @Override
        public Flux<ChatResponse> stream(Prompt prompt) {
            prompts.add(prompt);
            return script.apply(prompt);
        }
    }
}
