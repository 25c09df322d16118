package dev.dspy4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.StreamChunk;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.testkit.ScriptedLm;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class DspyStreamingChatModelTest {

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .messages(SystemMessage.from("Answer briefly."), UserMessage.from("Capital of France?"))
            .temperature(0.0).maxOutputTokens(50).build();

    @Test
    void aDspyLmStreamsItsChunksToALangChain4jHandlerThenTheCompleteResponse() throws Exception {
        List<LmRequest> seen = new CopyOnWriteArrayList<>();
        ScriptedLm lm = ScriptedLm.responding(request -> {
            seen.add(request);
            return new LmResponse(List.of(new Choice("Paris is the capital of France.", List.of(), null, "stop")),
                    new Usage(12, 7), "gpt-4o-mini", false);
        }).streamingInChunks(3, 5);
        Recording handler = new Recording();

        DspyStreamingChatModel.of(lm).chat(REQUEST, handler);
        ChatResponse complete = handler.completed.get(10, TimeUnit.SECONDS);

        assertThat(handler.partials).hasSizeGreaterThan(2);
        assertThat(String.join("", handler.partials)).isEqualTo("Paris is the capital of France.");
        assertThat(complete.aiMessage().text()).isEqualTo("Paris is the capital of France.");
        assertThat(complete.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(complete.tokenUsage().inputTokenCount()).isEqualTo(12);
        assertThat(complete.tokenUsage().outputTokenCount()).isEqualTo(7);
        assertThat(seen.getFirst().messages()).containsExactly(Message.system("Answer briefly."),
                Message.user("Capital of France?"));
        assertThat(seen.getFirst().options().temperature()).isEqualTo(0.0);
        assertThat(seen.getFirst().options().maxTokens()).isEqualTo(50);
    }

    @Test
    void theViewAndTheBridgeRoundTripTheSameChunks() {
        // two LMs with one script and seed: the same chunks, one read directly and one through both bridges
        ScriptedLm lm = ScriptedLm.replying("Paris is the capital of France.").streamingInChunks(5, 4);
        ScriptedLm twin = ScriptedLm.replying("Paris is the capital of France.").streamingInChunks(5, 4);
        List<String> direct = new ArrayList<>();
        try (LmStream stream = twin.stream(DspyStreamingChatModel.toLmRequest(REQUEST))) {
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                direct.add(chunk.text());
            }
        }
        List<String> bridged = new ArrayList<>();

        Lm roundTrip = LangChain4jLm.streaming(DspyStreamingChatModel.of(lm), "scripted");
        try (LmStream stream = roundTrip.stream(DspyStreamingChatModel.toLmRequest(REQUEST))) {
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                bridged.add(chunk.text());
            }
            assertThat(stream.response().choices().getFirst().text()).isEqualTo("Paris is the capital of France.");
        }

        assertThat(bridged).hasSizeGreaterThan(1).isEqualTo(direct);
    }

    @Test
    void cancellingThroughTheHandleClosesTheDspyStream() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Lm endless = new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                throw new UnsupportedOperationException("streams only");
            }

            @Override
            public LmStream stream(LmRequest request) {
                return new EndlessStream(closed);
            }
        };
        Recording handler = new Recording() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                super.onPartialResponse(partial, context);
                context.streamingHandle().cancel();
            }
        };

        DspyStreamingChatModel.of(endless).chat(REQUEST, handler);

        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(handler.partials).containsExactly("Par");
        assertThat(handler.completed).isNotDone();
    }

    @Test
    void aFailingLmReachesTheHandlerAsDspysErrorKind() throws Exception {
        Lm limited = request -> {
            throw new LmException.RateLimited("slow down", "test", 429, null, null);
        };
        Recording handler = new Recording();

        DspyStreamingChatModel.of(limited).chat(REQUEST, handler);

        assertThat(handler.completed).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().isInstanceOf(LmException.RateLimited.class);
    }

    @Test
    void toolsToolChoiceAndAJsonSchemaFormatMapToTheLmRequest() {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Weather in Paris?"))
                .toolSpecifications(ToolSpecification.builder().name("weather").description("Looks up weather")
                        .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build())
                        .build())
                .toolChoice(dev.langchain4j.model.chat.request.ToolChoice.REQUIRED)
                .responseFormat(dev.langchain4j.model.chat.request.ResponseFormat.builder()
                        .type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder().name("forecast")
                                .rootElement(JsonObjectSchema.builder().addStringProperty("sky").build()).build())
                        .build())
                .build();

        LmRequest mapped = DspyStreamingChatModel.toLmRequest(request);

        assertThat(mapped.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("weather");
            assertThat(tool.parameters()).containsEntry("type", "object")
                    .containsEntry("properties", Map.of("city", Map.of("type", "string")))
                    .containsEntry("required", List.of("city"));
        });
        assertThat(mapped.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
        assertThat(mapped.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
                schema -> assertThat(schema.name()).isEqualTo("forecast"));
    }

    /** A handler that records partials and completes a future with the response or the error. */
    private static class Recording implements StreamingChatResponseHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> completed = new CompletableFuture<>();

        @Override
        public void onPartialResponse(String partial) {
            partials.add(partial);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            completed.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            completed.completeExceptionally(error);
        }
    }

    /** One chunk, then waits until closed, as a provider's stream that has not ended. */
    private static final class EndlessStream implements LmStream {
        private final CountDownLatch closed;
        private boolean first = true;

        EndlessStream(CountDownLatch closed) {
            this.closed = closed;
        }

        @Override
        public @Nullable StreamChunk next() {
            if (first) {
                first = false;
                return new StreamChunk(0, "Par", "");
            }
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("closed");
        }

        @Override
        public LmResponse response() {
            throw new IllegalStateException("not ended");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
