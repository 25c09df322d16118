package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.provider.OpenAiLm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

class OpenAiLmTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "sk-canary-0123456789abcdef";
    static final String OK = """
            {"id":"chatcmpl-1","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,
             "message":{"role":"assistant","content":"Paris"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}""";

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    static void assertJson(String actual, String expected) {
        assertThat(JSON.readTree(actual)).isEqualTo(JSON.readTree(expected));
    }

    static LmRequest request(LmOptions options) {
        return new LmRequest(List.of(Message.system("Be brief."), Message.user("Capital of France?")), options);
    }

    @Test
    void postsChatCompletionsWithBearerKeyAndTheWireModel() {
        server.respond(200, OK);

        LmResponse response = server.openAi("openai/gpt-4o-mini").call(request(LmOptions.NONE));

        LoopbackServer.Recorded sent = server.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertJson(sent.body(), """
                {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"Capital of France?"}]}""");
        assertThat(response.text()).isEqualTo("Paris");
        assertThat(response.usage()).isEqualTo(new Usage(12, 3));
        assertThat(response.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(response.cacheHit()).isFalse();
    }

    @Test
    void sendsEveryOptionByWireNameAndExtrasVerbatimButNeverRolloutIdOrCache() {
        server.respond(200, OK);
        LmOptions defaults = LmOptions.NONE.withTemperature(0.0).withMaxTokens(500).withExtra("top_p", 0.9);
        LmOptions options = LmOptions.NONE.withN(2).withStop(List.of("\n\n")).withSeed(42L)
                .withRolloutId(7).withCache(false).withMaxTokens(800);
        OpenAiLm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(KEY).baseUrl(server.v1())
                .options(defaults).build();

        lm.call(request(options).withResponseFormat(ResponseFormat.JSON_OBJECT)
                .withTools(List.of(new ToolSpec("search", "", Map.of("type", "object"))))
                .withToolChoice(ToolChoice.REQUIRED));

        assertJson(server.last().body(), """
                {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"Capital of France?"}],
                 "temperature":0.0,"max_tokens":800,"n":2,"stop":["\\n\\n"],"seed":42,
                 "response_format":{"type":"json_object"},"top_p":0.9,
                 "tools":[{"type":"function","function":{"name":"search","description":"","parameters":{"type":"object"}}}],
                 "tool_choice":"required"}""");
        assertThat(server.last().body()).doesNotContain("rollout").doesNotContain("cache");
    }

    @Test
    void reasoningModelsGetMaxCompletionTokens() {
        server.respond(200, OK);

        server.openAi("openai/o3-mini").call(request(LmOptions.NONE.withMaxTokens(20_000).withTemperature(1.0)
                .withExtra("reasoning_effort", "low")));

        assertJson(server.last().body(), """
                {"model":"o3-mini","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"Capital of France?"}],
                 "temperature":1.0,"max_completion_tokens":20000,"reasoning_effort":"low"}""");
    }

    @Test
    void reasoningModelsRejectLowTemperatureOrFewTokensAtBuildAndAtCall() {
        assertThatThrownBy(() -> OpenAiLm.builder().model("openai/gpt-5").apiKey(KEY).baseUrl(server.v1())
                .options(LmOptions.NONE.withTemperature(0.7)).build())
                .isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("temperature 0.7").hasMessageContaining("16000");
        OpenAiLm lm = server.openAi("openai/o1");
        assertThatThrownBy(() -> lm.call(request(LmOptions.NONE.withMaxTokens(1000))))
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("max tokens 1000");
        assertThat(server.requests()).isEmpty();
        server.respond(200, OK);
        server.openAi("openai/gpt-5-chat-latest").call(request(LmOptions.NONE.withTemperature(0.0).withMaxTokens(100)));
        assertThat(server.last().body()).contains("\"max_tokens\":100");
    }

    @Test
    void parsesToolCallsReasoningAndSeveralChoicesInIndexOrder() {
        server.respond(200, """
                {"model":"m","choices":[
                 {"index":1,"message":{"role":"assistant","content":"second"},"finish_reason":"length"},
                 {"index":0,"message":{"role":"assistant","content":null,"reasoning_content":"think",
                  "tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"search","arguments":"{\\"q\\": \\"Paris\\"}"}}]},
                  "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":7}}""");

        LmResponse response = server.openAi("openai/gpt-4o").call(request(LmOptions.NONE.withN(2)));

        assertThat(response.choices()).hasSize(2);
        Choice first = response.choices().get(0);
        assertThat(first.text()).isEmpty();
        assertThat(first.reasoningContent()).isEqualTo("think");
        assertThat(first.finishReason()).isEqualTo("tool_calls");
        assertThat(first.toolCalls()).containsExactly(ToolCall.parse("call_1", "search", "{\"q\": \"Paris\"}"));
        assertThat(response.choices().get(1)).isEqualTo(new Choice("second", List.of(), null, "length"));
        assertThat(response.usage()).isEqualTo(new Usage(5, 7));
    }

    @Test
    void readsReasoningFromTheReasoningFieldAndTextFromContentParts() {
        server.respond(200, """
                {"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],
                 "reasoning":"why"}}]}""");

        LmResponse response = server.openAi("openrouter/deepseek/deepseek-r1").call(request(LmOptions.NONE));

        assertThat(response.text()).isEqualTo("ab");
        assertThat(response.choices().get(0).reasoningContent()).isEqualTo("why");
        assertThat(response.usage()).isEqualTo(Usage.ZERO);
        assertThat(server.last().body()).contains("\"model\":\"deepseek/deepseek-r1\"");
    }

    @Test
    void azureUsesTheDeploymentPathApiVersionAndApiKeyHeader() {
        server.respond(200, OK);
        OpenAiLm lm = OpenAiLm.builder().model("azure/my-gpt4o")
                .environment(Map.of("AZURE_API_KEY", KEY, "AZURE_API_BASE", server.base().toString(),
                        "AZURE_API_VERSION", "2024-06-01"))
                .build();

        lm.call(request(LmOptions.NONE));

        LoopbackServer.Recorded sent = server.last();
        assertThat(sent.path()).isEqualTo("/openai/deployments/my-gpt4o/chat/completions");
        assertThat(sent.query()).isEqualTo("api-version=2024-06-01");
        assertThat(sent.header("api-key")).isEqualTo(KEY);
        assertThat(sent.header("Authorization")).isNull();
    }

    @Test
    void userHeadersAreSentAndReplaceDefaults() {
        server.respond(200, OK);
        OpenAiLm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(KEY).baseUrl(server.v1())
                .header("Authorization", "Bearer proxy-token").header("HTTP-Referer", "https://example.org").build();

        lm.call(request(LmOptions.NONE));

        assertThat(server.last().headers().get("Authorization")).containsExactly("Bearer proxy-token");
        assertThat(server.last().header("HTTP-Referer")).isEqualTo("https://example.org");
    }

    @Test
    void capabilitiesFollowTheModelTable() {
        assertThat(server.openAi("openai/gpt-4o-mini").capabilities())
                .satisfies(c -> assertThat(c.functionCalling()).isTrue())
                .satisfies(c -> assertThat(c.responseSchema()).isTrue())
                .satisfies(c -> assertThat(c.reasoning()).isFalse())
                .satisfies(c -> assertThat(c.supportedParams()).contains("response_format", "tools", "tool_choice"));
        assertThat(server.openAi("openai/o4-mini").capabilities().reasoning()).isTrue();
        assertThat(server.openAi("openai/gpt-3.5-turbo").capabilities().responseSchema()).isFalse();
        LmCapabilities local = server.openAi("ollama_chat/llama3.2").capabilities();
        assertThat(local.functionCalling()).isFalse();
        assertThat(local.responseSchema()).isFalse();
        assertThat(local.supports("response_format")).isTrue();
        assertThat(server.openAi("gemini/gemini-2.5-flash").capabilities().reasoning()).isTrue();
    }

    @Test
    void savedStateHoldsModelAndDefaultsButNoKeyOrUrlAndToStringHidesTheKey() {
        OpenAiLm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(KEY).baseUrl(server.v1())
                .header("X-Secret", "hidden-value").options(LmOptions.NONE.withTemperature(0.5).withMaxTokens(100))
                .build();

        assertThat(lm.savedState()).containsExactly(Map.entry("model", "openai/gpt-4o-mini"),
                Map.entry("model_type", "chat"), Map.entry("temperature", 0.5), Map.entry("max_tokens", 100));
        assertThat(lm.toString()).isEqualTo("OpenAiLm[openai/gpt-4o-mini]").doesNotContain(KEY);
        assertThat(lm.savedState().toString()).doesNotContain(KEY, "127.0.0.1", "hidden-value");
        assertThat(lm.model()).isEqualTo("openai/gpt-4o-mini");
        assertThat(lm.provider()).isEqualTo("openai");
    }

    @Test
    void worksBehindInterceptorsAndReusesOneClientAcrossThreads() throws Exception {
        server.respond(200, OK);
        Lm lm = server.openAi("openai/gpt-4o-mini").withInterceptors((request, chain) -> chain.proceed(request));
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 50; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                if (lm.call(request(LmOptions.NONE)).text().equals("Paris")) {
                    ok.incrementAndGet();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(ok).hasValue(50);
        assertThat(lm.model()).isEqualTo("openai/gpt-4o-mini");
    }
}
