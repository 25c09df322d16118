package dev.dspy4j.lm;

import static dev.dspy4j.lm.OpenAiLmTest.KEY;
import static dev.dspy4j.lm.OpenAiLmTest.assertJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.provider.AnthropicLm;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AnthropicLmTest {

    static final String OK = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Paris"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":20,"output_tokens":4}}""";

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    static LmRequest request(LmOptions options) {
        return new LmRequest(List.of(Message.system("Be brief."), Message.system("Answer in English."),
                Message.user("Capital of France?"), Message.assistant("Paris."), Message.user("And Italy?")), options);
    }

    @Test
    void postsMessagesWithSystemSplitOutDefaultMaxTokensAndAnthropicHeaders() {
        server.respond(200, OK);

        LmResponse response = server.anthropic().call(request(LmOptions.NONE));

        LoopbackServer.Recorded sent = server.last();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo(KEY);
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("Authorization")).isNull();
        assertJson(sent.body(), """
                {"model":"claude-sonnet-4-5","max_tokens":4096,"system":"Be brief.\\n\\nAnswer in English.",
                 "messages":[{"role":"user","content":"Capital of France?"},{"role":"assistant","content":"Paris."},
                  {"role":"user","content":"And Italy?"}]}""");
        assertThat(response.text()).isEqualTo("Paris");
        assertThat(response.usage()).isEqualTo(new Usage(20, 4));
        assertThat(response.choices().get(0).finishReason()).isEqualTo("stop");
        assertThat(response.model()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void convertsOptionsAndTypedToolsButSendsNoSeedRolloutIdOrCache() {
        server.respond(200, OK);
        ToolSpec tool = new ToolSpec("search", "Search the web", Map.of("type", "object",
                "properties", Map.of("q", Map.of("type", "string"))));
        LmOptions options = LmOptions.NONE.withTemperature(0.2).withMaxTokens(1000).withStop(List.of("END"))
                .withSeed(7L).withRolloutId(3).withCache(false).withExtra("top_k", 5);

        server.anthropic().call(new LmRequest(List.of(Message.user("hi")), List.of(tool), ToolChoice.named("search"),
                ResponseFormat.TEXT, options));

        assertJson(server.last().body(), """
                {"model":"claude-sonnet-4-5","max_tokens":1000,"messages":[{"role":"user","content":"hi"}],
                 "temperature":0.2,"stop_sequences":["END"],
                 "tools":[{"name":"search","description":"Search the web",
                   "input_schema":{"type":"object","properties":{"q":{"type":"string"}}}}],
                 "tool_choice":{"type":"tool","name":"search"},"top_k":5}""");
    }

    @Test
    void mapsReasoningEffortToAThinkingBudget() {
        server.respond(200, OK);

        server.anthropic().call(new LmRequest(List.of(Message.user("hi")), List.of(), ToolChoice.REQUIRED,
                ResponseFormat.TEXT, LmOptions.NONE.withExtra("reasoning_effort", "medium")));

        assertJson(server.last().body(), """
                {"model":"claude-sonnet-4-5","max_tokens":6144,"messages":[{"role":"user","content":"hi"}],
                 "thinking":{"type":"enabled","budget_tokens":2048},"tool_choice":{"type":"any"}}""");
        assertThatThrownBy(() -> server.anthropic().call(new LmRequest(List.of(Message.user("hi")),
                LmOptions.NONE.withExtra("reasoning_effort", "high").withMaxTokens(1000))))
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("thinking budget");
    }

    @Test
    void parsesTextToolUseThinkingAndUsageWithCacheTokens() {
        server.respond(200, """
                {"model":"claude-sonnet-4-5","content":[{"type":"thinking","thinking":"Let me look.","signature":"x"},
                 {"type":"text","text":"Searching "},{"type":"text","text":"now."},
                 {"type":"tool_use","id":"toolu_1","name":"search","input":{"q":"Rome"}}],
                 "stop_reason":"tool_use",
                 "usage":{"input_tokens":10,"cache_read_input_tokens":5,"cache_creation_input_tokens":1,"output_tokens":9}}""");

        LmResponse response = server.anthropic().call(request(LmOptions.NONE));

        Choice choice = response.choices().get(0);
        assertThat(choice.text()).isEqualTo("Searching now.");
        assertThat(choice.reasoningContent()).isEqualTo("Let me look.");
        assertThat(choice.toolCalls()).containsExactly(ToolCall.parse("toolu_1", "search", "{\"q\":\"Rome\"}"));
        assertThat(choice.finishReason()).isEqualTo("tool_calls");
        assertThat(response.usage()).isEqualTo(new Usage(16, 9));
    }

    @Test
    void nGreaterThanOneMakesSequentialCallsAndSumsUsage() {
        AtomicInteger calls = new AtomicInteger();
        server.handler((request, exchange) -> LoopbackServer.reply(exchange, 200, """
                {"model":"claude","content":[{"type":"text","text":"answer %d"}],"stop_reason":"max_tokens",
                 "usage":{"input_tokens":10,"output_tokens":2}}""".formatted(calls.incrementAndGet())));

        LmResponse response = server.anthropic().call(request(LmOptions.NONE.withN(3)));

        assertThat(server.requests()).hasSize(3);
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.body()).doesNotContain("\"n\""));
        assertThat(response.choices()).extracting(Choice::text).containsExactly("answer 1", "answer 2", "answer 3");
        assertThat(response.choices()).extracting(Choice::finishReason).containsOnly("length");
        assertThat(response.usage()).isEqualTo(new Usage(30, 6));
    }

    @Test
    void rejectsResponseFormatAndNonAnthropicModelsClearly() {
        assertThatThrownBy(() -> server.anthropic().call(request(LmOptions.NONE).withResponseFormat(ResponseFormat.JSON_OBJECT)))
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("response_format");
        assertThatThrownBy(() -> AnthropicLm.builder().model("openai/gpt-4o").apiKey(KEY).build())
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("not an Anthropic model");
        assertThat(server.requests()).isEmpty();
        assertThat(server.anthropic().capabilities().supports("response_format")).isFalse();
        assertThat(server.anthropic().capabilities().functionCalling()).isTrue();
        assertThat(server.anthropic().capabilities().reasoning()).isTrue();
    }

    @Test
    void readsKeyAndBaseUrlFromTheEnvironmentAndNeverShowsTheKey() {
        server.respond(200, OK);
        AnthropicLm lm = AnthropicLm.builder().model("anthropic/claude-3-5-haiku-latest")
                .environment(Map.of("ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", server.base().toString()))
                .options(LmOptions.NONE.withMaxTokens(256)).build();

        lm.call(request(LmOptions.NONE));

        assertThat(server.last().header("x-api-key")).isEqualTo(KEY);
        assertThat(server.last().body()).contains("\"max_tokens\":256", "\"model\":\"claude-3-5-haiku-latest\"");
        assertThat(lm.toString()).doesNotContain(KEY);
        assertThat(lm.savedState()).containsEntry("model", "anthropic/claude-3-5-haiku-latest")
                .containsEntry("max_tokens", 256).doesNotContainKey("api_key");
        assertThatThrownBy(() -> AnthropicLm.builder().model("anthropic/claude-x").environment(Map.of()).build())
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("ANTHROPIC_API_KEY");
    }
}
