package dev.dspy4j.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Predict;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Fault;
import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.Reply;
import dev.dspy4j.usage.UsageTracker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

class SpringAiBridgeTest {

    private static final String PARIS = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]";

    private FakeLmServer server;
    private ChatModel chatModel;

    @BeforeEach
    void startServer() {
        server = FakeLmServer.start(Dialect.OPENAI);
        // Spring AI's real OpenAI model, pointed at the loopback server, its own retries off
        chatModel = OpenAiChatModel.builder().options(OpenAiChatOptions.builder().baseUrl(server.baseUrl().toString())
                .apiKey("sk-loopback").model("gpt-4o-mini").maxRetries(0).timeout(Duration.ofSeconds(10)).build())
                .build();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void predictThroughTheBridgeSendsTheSameMessagesAsDspysOwnClient() {
        server.respondWith(request -> Reply.text(PARIS).withUsage(12, 3));
        Predict qa = Predict.of("question -> answer");
        Map<String, String> inputs = Map.of("question", "What is the capital of France?");

        Prediction bridged = qa.call(inputs, DspyContext.of(SpringAiLm.of(chatModel, "openai/gpt-4o-mini")));
        RecordedRequest viaBridge = server.lastRequest();
        try (Lm direct = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey("sk-loopback")
                .baseUrl(server.baseUrl()).environment(Map.of()).build()) {
            qa.call(inputs, DspyContext.of(direct));
        }
        RecordedRequest viaDspy = server.lastRequest();

        assertThat(bridged.getString("answer")).isEqualTo("Paris");
        assertThat(viaBridge.json().get("messages")).isEqualTo(viaDspy.json().get("messages"));
        assertThat(viaBridge.json().get("messages").get(1).get("content").asString())
                .startsWith("[[ ## question ## ]]\nWhat is the capital of France?");
    }

    @Test
    void chainOfThoughtUsageIsCountedFromSpringAisUsage() {
        server.respondWith(request -> Reply.text("[[ ## reasoning ## ]]\nIt is the capital.\n\n" + PARIS)
                .withUsage(40, 9));
        UsageTracker usage = UsageTracker.create();
        Lm lm = SpringAiLm.of(chatModel, "openai/gpt-4o-mini").withInterceptors(usage);

        Prediction prediction = ChainOfThought.of("question -> answer")
                .call(Map.of("question", "Capital of France?"), DspyContext.of(lm));

        assertThat(prediction.getString("reasoning")).isEqualTo("It is the capital.");
        assertThat(prediction.getString("answer")).isEqualTo("Paris");
        assertThat(usage.snapshot().total().usage()).isEqualTo(new Usage(40, 9));
    }

    @Test
    void aRateLimitFromSpringAiIsRetriedByDspysRetry() {
        server.respondWith(request -> Reply.text(PARIS));
        server.faults().next(Fault.rateLimited(Duration.ofMillis(1)));
        Lm lm = SpringAiLm.of(chatModel, "openai/gpt-4o-mini").withInterceptors(
                Retry.builder().maxRetries(2).initialDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(5)).build());

        Prediction prediction = Predict.of("question -> answer")
                .call(Map.of("question", "Capital of France?"), DspyContext.of(lm));

        assertThat(prediction.getString("answer")).isEqualTo("Paris");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void providerFailuresBecomeDspysErrorKinds() {
        Lm lm = SpringAiLm.of(chatModel, "openai/gpt-4o-mini");

        server.faults().next(Fault.rateLimited(Duration.ofMillis(1)));
        assertThatThrownBy(() -> lm.call(LmRequest.of(List.of(Message.user("hi")))))
                .isInstanceOf(LmException.RateLimited.class);
        server.faults().next(Fault.unauthorized());
        assertThatThrownBy(() -> lm.call(LmRequest.of(List.of(Message.user("hi")))))
                .isInstanceOf(LmException.Authentication.class)
                .satisfies(e -> assertThat(((LmException) e).isRetryable()).isFalse());
        server.faults().next(Fault.serverError());
        assertThatThrownBy(() -> lm.call(LmRequest.of(List.of(Message.user("hi")))))
                .isInstanceOf(LmException.ServerError.class);
    }

    @Test
    void toolsToolCallsAndToolResultsRoundTrip() {
        server.respondWith(request -> Reply.toolCall("call_2", "weather", "{\"city\":\"Lyon\"}").withUsage(20, 5));
        ToolSpec weather = new ToolSpec("weather", "Weather in a city",
                Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")),
                        "required", List.of("city")));
        LmRequest request = new LmRequest(List.of(
                Message.user("Weather in Paris, then Lyon?"),
                Message.assistant("", List.of(ToolCall.of("call_1", "weather", Map.of("city", "Paris")))),
                Message.toolResult("call_1", "weather", "sunny")),
                List.of(weather), ToolChoice.AUTO, ResponseFormat.TEXT,
                LmOptions.NONE.withTemperature(0.0).withMaxTokens(100));

        LmResponse response = SpringAiLm.of(chatModel, "openai/gpt-4o-mini").call(request);

        assertThat(response.choices().get(0).toolCalls()).containsExactly(
                ToolCall.parse("call_2", "weather", "{\"city\":\"Lyon\"}"));
        assertThat(response.choices().get(0).finishReason()).isEqualTo("tool_calls");
        assertThat(response.usage()).isEqualTo(new Usage(20, 5));
        var sent = server.lastRequest().json();
        assertThat(sent.get("tools").get(0).get("function").get("parameters").get("properties").get("city")
                .get("type").asString()).isEqualTo("string");
        assertThat(sent.get("messages").get(1).get("tool_calls").get(0).get("function").get("arguments").asString())
                .isEqualTo("{\"city\":\"Paris\"}");
        assertThat(sent.get("messages").get(2).get("tool_call_id").asString()).isEqualTo("call_1");
        assertThat(sent.get("messages").get(2).get("content").asString()).isEqualTo("sunny");
        assertThat(sent.get("temperature").asDouble()).isZero();
    }

    @Test
    void whatDoesNotMapFailsClearlyInsteadOfBeingDropped() {
        Lm lm = SpringAiLm.of(chatModel, "openai/gpt-4o-mini");

        assertThatThrownBy(() -> lm.call(new LmRequest(List.of(Message.user("hi")), LmOptions.NONE.withN(3))))
                .isInstanceOf(LmException.BadRequest.class).hasMessageContaining("n=3");
        assertThatThrownBy(() -> lm.call(LmRequest.of(List.of(Message.user("hi")))
                .withResponseFormat(new ResponseFormat.JsonSchema("answer", Map.of("type", "object"), true))))
                .isInstanceOf(LmException.BadRequest.class).hasMessageContaining("JSON-schema");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void aProgramRunsAsASpringAiToolInsideChatClientsToolLoop() {
        // the outer model asks for the tool, then answers from its result; the program's own
        // requests (no tools, DSPy's chat format) get the program's answer
        server.respondWith(request -> {
            if (request.json().has("tools")) {
                var messages = request.json().get("messages");
                String lastRole = messages.get(messages.size() - 1).get("role").asString();
                return lastRole.equals("tool")
                        ? Reply.text("The program says: " + messages.get(messages.size() - 1).get("content").asString())
                        : Reply.toolCall("call_1", "capital", "{\"question\":\"Capital of France?\"}");
            }
            return Reply.text(PARIS);
        });
        DspyToolCallback tool = DspyToolCallback.of("capital", "Answers geography questions",
                Predict.of("question -> answer"), DspyContext.of(SpringAiLm.of(chatModel, "openai/gpt-4o-mini")));

        String answer = ChatClient.create(chatModel).prompt().user("What is the capital of France?")
                .toolCallbacks(tool).call().content();

        assertThat(answer).isEqualTo("The program says: {\"answer\":\"Paris\"}");
        var advertised = server.requests().get(0).json().get("tools").get(0).get("function");
        assertThat(advertised.get("name").asString()).isEqualTo("capital");
        assertThat(advertised.get("parameters").get("properties").get("question").get("type").asString())
                .isEqualTo("string");
        assertThat(advertised.get("parameters").get("required").get(0).asString()).isEqualTo("question");
        assertThat(server.requests().get(1).lastUserText()).startsWith("[[ ## question ## ]]\nCapital of France?");
    }

    @Test
    void aChainOfThoughtToolKeepsItsReasoningOutOfTheResultWhenGivenThePlainSignature() {
        server.respondWith(request -> Reply.text("[[ ## reasoning ## ]]\nKnown.\n\n" + PARIS));
        DspyToolCallback tool = DspyToolCallback.of("capital", "Answers geography questions",
                ChainOfThought.of("question -> answer"), Signature.parse("question -> answer"),
                DspyContext.of(SpringAiLm.of(chatModel, "m")));

        assertThat(tool.call("{\"question\":\"Capital of France?\"}")).isEqualTo("{\"answer\":\"Paris\"}");
        assertThatThrownBy(() -> tool.call("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON object");
    }
}
