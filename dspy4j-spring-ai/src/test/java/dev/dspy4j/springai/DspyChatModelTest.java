package dev.dspy4j.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.StreamChunk;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.testkit.ScriptedLm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

class DspyChatModelTest {

    private static final Prompt PROMPT = new Prompt(List.of(new SystemMessage("Answer briefly."),
            new UserMessage("Capital of France?")), ToolCallingChatOptions.builder().temperature(0.0).maxTokens(50).build());
    private static final String ANSWER = "Paris is the capital of France.";

    private static ScriptedLm scripted(List<LmRequest> seen) {
        return ScriptedLm.responding(request -> {
            seen.add(request);
            return new LmResponse(List.of(new Choice(ANSWER, List.of(), null, "stop")), new Usage(12, 7),
                    "gpt-4o-mini", false);
        }).streamingInChunks(3, 5);
    }

    @Test
    void aCallMapsThePromptToTheLmAndItsResponseBack() {
        List<LmRequest> seen = new CopyOnWriteArrayList<>();

        ChatResponse response = DspyChatModel.of(scripted(seen)).call(PROMPT);

        assertThat(response.getResult().getOutput().getText()).isEqualTo(ANSWER);
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(12);
        assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(7);
        assertThat(seen.getFirst().messages()).containsExactly(Message.system("Answer briefly."),
                Message.user("Capital of France?"));
        assertThat(seen.getFirst().options().temperature()).isEqualTo(0.0);
        assertThat(seen.getFirst().options().maxTokens()).isEqualTo(50);
    }

    @Test
    void aStreamEmitsEachChunkThenTheFinishReasonAndUsage() {
        List<ChatResponse> responses = DspyChatModel.of(scripted(new ArrayList<>())).stream(PROMPT)
                .collectList().block(Duration.ofSeconds(10));

        assertThat(responses).hasSizeGreaterThan(2);
        StringBuilder text = new StringBuilder();
        responses.forEach(response -> text.append(response.getResult().getOutput().getText()));
        assertThat(text).hasToString(ANSWER);
        ChatResponse last = responses.getLast();
        assertThat(last.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(last.getMetadata().getUsage().getCompletionTokens()).isEqualTo(7);
    }

    @Test
    void theViewAndTheBridgeRoundTripTheSameChunks() {
        List<String> direct = read(scripted(new ArrayList<>()));
        SpringAiLm roundTrip = SpringAiLm.of(DspyChatModel.of(scripted(new ArrayList<>())), "scripted");

        List<String> bridged = read(roundTrip);

        assertThat(bridged).hasSizeGreaterThan(1).isEqualTo(direct);
    }

    @Test
    void cancellingTheSubscriptionClosesTheLmStream() throws Exception {
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

        ChatResponse first = DspyChatModel.of(endless).stream(PROMPT).take(1).blockFirst(Duration.ofSeconds(10));

        assertThat(first.getResult().getOutput().getText()).isEqualTo("Par");
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anLmFailureIsTheFluxsErrorAsDspysKind() {
        Lm limited = request -> {
            throw new LmException.RateLimited("slow down", "test", 429, null, null);
        };

        assertThatThrownBy(() -> DspyChatModel.of(limited).stream(PROMPT).blockLast(Duration.ofSeconds(10)))
                .isInstanceOf(LmException.RateLimited.class);
        assertThatThrownBy(() -> DspyChatModel.of(limited).call(PROMPT)).isInstanceOf(LmException.RateLimited.class);
    }

    private static List<String> read(Lm lm) {
        List<String> chunks = new ArrayList<>();
        try (LmStream stream = lm.stream(new LmRequest(List.of(Message.system("Answer briefly."),
                Message.user("Capital of France?")), LmOptions.NONE))) {
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                chunks.add(chunk.text());
            }
        }
        return chunks;
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
