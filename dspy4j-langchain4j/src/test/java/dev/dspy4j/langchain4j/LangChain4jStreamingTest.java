package dev.dspy4j.langchain4j;

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
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class LangChain4jStreamingTest {

    private static final LmRequest REQUEST = new LmRequest(List.of(Message.system("Answer briefly."),
            Message.user("Capital of France?")), LmOptions.NONE.withTemperature(0.0).withMaxTokens(50));

    @Test
    void streamsPartialsAndThinkingAsTheyArriveWithUsageAndFinishReasonOnTheResponse() {
        FakeStreamingModel model = new FakeStreamingModel((request, handler) -> {
            model(handler).thinking("Known fact.").text("Par").text("is");
            handler.onCompleteResponse(complete("Paris", "Known fact.", 12, 3));
        });

        List<StreamChunk> chunks = new ArrayList<>();
        LmResponse response;
        try (LmStream stream = LangChain4jLm.streaming(model, "openai/gpt-4o-mini").stream(REQUEST)) {
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                chunks.add(chunk);
            }
            response = stream.response();
        }

        assertThat(chunks).containsExactly(new StreamChunk(0, "", "Known fact."), new StreamChunk(0, "Par", ""),
                new StreamChunk(0, "is", ""));
        assertThat(response.choices().getFirst().text()).isEqualTo("Paris");
        assertThat(response.choices().getFirst().reasoningContent()).isEqualTo("Known fact.");
        assertThat(response.choices().getFirst().finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(new Usage(12, 3));
        assertThat(response.model()).isEqualTo("gpt-4o-mini-2024");
    }

    @Test
    void theStreamedRequestIsTheOneACallSends() {
        List<ChatRequest> called = new ArrayList<>();
        ChatModel chatModel = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                called.add(request);
                return complete("Paris", null, 1, 1);
            }
        };
        FakeStreamingModel streamingModel = new FakeStreamingModel(
                (request, handler) -> handler.onCompleteResponse(complete("Paris", null, 1, 1)));
        LangChain4jLm lm = LangChain4jLm.of(chatModel, "openai/gpt-4o-mini").withStreamingModel(streamingModel);

        lm.call(REQUEST);
        try (LmStream stream = lm.stream(REQUEST)) {
            while (stream.next() != null) {
                // read to the end
            }
        }

        ChatRequest streamed = streamingModel.requests.getFirst();
        assertThat(streamed.messages()).isEqualTo(called.getFirst().messages());
        assertThat(streamed.temperature()).isEqualTo(0.0);
        assertThat(streamed.maxOutputTokens()).isEqualTo(50);
    }

    @Test
    void anErrorMidStreamComesAfterTheChunksBeforeItAsDspysErrorKind() {
        FakeStreamingModel model = new FakeStreamingModel((request, handler) -> {
            model(handler).text("Par");
            handler.onError(new RateLimitException("slow down"));
        });

        try (LmStream stream = LangChain4jLm.streaming(model, "openai/gpt-4o-mini").stream(REQUEST)) {
            assertThat(stream.next()).isEqualTo(new StreamChunk(0, "Par", ""));
            assertThatThrownBy(stream::next).isInstanceOf(LmException.RateLimited.class)
                    .hasMessageContaining("slow down");
            assertThatThrownBy(stream::response).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the stream failed");
        }
    }

    @Test
    void aStreamThatNeverCompletesFailsAtTheStreamTimeoutAndCancelsTheCall() {
        FakeStreamingModel model = new FakeStreamingModel((request, handler) -> model(handler).text("Par"));
        LangChain4jLm lm = LangChain4jLm.streaming(model, "openai/gpt-4o-mini")
                .withStreamTimeout(Duration.ofMillis(200));

        try (LmStream stream = lm.stream(REQUEST)) {
            assertThat(stream.next()).isEqualTo(new StreamChunk(0, "Par", ""));
            assertThatThrownBy(stream::next).isInstanceOf(LmException.Timeout.class)
                    .hasMessageContaining("did not end within PT0.2S").hasMessageContaining("withStreamTimeout");
        }
        assertThat(model.handle.isCancelled()).isTrue();
    }

    @Test
    void closingBeforeTheEndCancelsTheCallAndIgnoresWhatFollows() throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        List<Throwable> lateFailures = new CopyOnWriteArrayList<>();
        FakeStreamingModel model = new FakeStreamingModel((request, handler) -> {
            model(handler).text("Par");
            try {
                closed.await(10, TimeUnit.SECONDS);
                model(handler).text("is"); // after close: dropped, no failure
                handler.onCompleteResponse(complete("Paris", null, 1, 1));
            } catch (InterruptedException | RuntimeException e) {
                lateFailures.add(e);
            }
        });

        LmStream stream = LangChain4jLm.streaming(model, "openai/gpt-4o-mini").stream(REQUEST);
        assertThat(stream.next()).isEqualTo(new StreamChunk(0, "Par", ""));
        assertThat(model.handle.isCancelled()).isFalse();
        stream.close();
        closed.countDown();

        assertThat(model.handle.isCancelled()).isTrue();
        assertThatThrownBy(stream::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(lateFailures).allSatisfy(e -> assertThat(e).isInstanceOf(InterruptedException.class));
    }

    @Test
    void anInterruptedReaderCancelsTheCall() {
        FakeStreamingModel model = new FakeStreamingModel((request, handler) -> model(handler).text("Par"));

        try (LmStream stream = LangChain4jLm.streaming(model, "openai/gpt-4o-mini").stream(REQUEST)) {
            assertThat(stream.next()).isEqualTo(new StreamChunk(0, "Par", ""));
            Thread.currentThread().interrupt();
            assertThatThrownBy(stream::next).isInstanceOf(LmException.class).hasMessageContaining("interrupted");
        } finally {
            Thread.interrupted(); // clear the flag for the next test
        }
        assertThat(model.handle.isCancelled()).isTrue();
    }

    @Test
    void aModelThatStreamsSynchronouslyBeyondTheBufferDoesNotBlockTheReader() {
        int partials = HandlerStream.CAPACITY * 4;
        FakeStreamingModel model = new FakeStreamingModel((request, handler) -> {
            Partials partial = model(handler);
            for (int i = 0; i < partials; i++) {
                partial.text("x");
            }
            handler.onCompleteResponse(complete("x".repeat(partials), null, 1, partials));
        });

        int read = 0;
        try (LmStream stream = LangChain4jLm.streaming(model, "openai/gpt-4o-mini").stream(REQUEST)) {
            while (stream.next() != null) {
                read++;
            }
            assertThat(stream.response().usage()).isEqualTo(new Usage(1, partials));
        }
        assertThat(read).isEqualTo(partials);
    }

    @Test
    void aStreamingOnlyLmCallsByReadingTheStreamToItsEnd() {
        FakeStreamingModel model = new FakeStreamingModel((request, handler) -> {
            model(handler).text("Par").text("is");
            handler.onCompleteResponse(complete("Paris", null, 7, 2));
        });

        LmResponse response = LangChain4jLm.streaming(model, "openai/gpt-4o-mini").call(REQUEST);

        assertThat(response.choices().getFirst().text()).isEqualTo("Paris");
        assertThat(response.usage()).isEqualTo(new Usage(7, 2));
    }

    @Test
    void fieldStreamingOverTheBridgeYieldsChunksThatConcatenateToTheParsedAnswer() {
        String completion = "[[ ## answer ## ]]\nParis is the capital of France.\n\n[[ ## completed ## ]]";
        FakeStreamingModel model = new FakeStreamingModel((request, handler) -> {
            Partials partial = model(handler);
            for (int i = 0; i < completion.length(); i += 4) {
                partial.text(completion.substring(i, Math.min(completion.length(), i + 4)));
            }
            handler.onCompleteResponse(complete(completion, null, 30, 12));
        });
        List<StreamEvent.FieldChunk> chunks = new ArrayList<>();

        Prediction prediction = Streaming.of(Predict.of("question -> answer"))
                .listen(StreamListener.field("answer"))
                .stream(Map.of("question", "Capital of France?"),
                        DspyContext.of(LangChain4jLm.streaming(model, "openai/gpt-4o-mini")), event -> {
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

    private static ChatResponse complete(String text, String thinking, int input, int output) {
        return ChatResponse.builder().aiMessage(AiMessage.builder().text(text).thinking(thinking).build())
                .tokenUsage(new TokenUsage(input, output)).finishReason(FinishReason.STOP)
                .modelName("gpt-4o-mini-2024").build();
    }

    private static Partials model(StreamingChatResponseHandler handler) {
        return new Partials(handler);
    }

    /** Sends partials as langchain4j's providers do, with the model's cancellable handle. */
    private record Partials(StreamingChatResponseHandler handler) {
        Partials text(String text) {
            handler.onPartialResponse(new PartialResponse(text), new PartialResponseContext(FakeStreamingModel.current()));
            return this;
        }

        Partials thinking(String text) {
            handler.onPartialThinking(new PartialThinking(text), new PartialThinkingContext(FakeStreamingModel.current()));
            return this;
        }
    }

    /** A handle that records cancellation, as a provider's connection would. */
    private static final class FakeHandle implements StreamingHandle {
        private volatile boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    /** A langchain4j streaming model that runs a script against the handler and records each request. */
    private static final class FakeStreamingModel implements StreamingChatModel {
        private static final ThreadLocal<FakeHandle> CURRENT = new ThreadLocal<>();
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
        final FakeHandle handle = new FakeHandle();
        private final BiConsumer<ChatRequest, StreamingChatResponseHandler> script;

        FakeStreamingModel(BiConsumer<ChatRequest, StreamingChatResponseHandler> script) {
            this.script = script;
        }

        static FakeHandle current() {
            return CURRENT.get();
        }

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            requests.add(request);
            CURRENT.set(handle);
            try {
                script.accept(request, handler);
            } finally {
                CURRENT.remove();
            }
        }
    }
}
