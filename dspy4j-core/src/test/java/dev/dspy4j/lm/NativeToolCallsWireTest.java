package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Predict;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.tool.ToolCalls;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link Predict} with native function calling over both HTTP clients, against a real server on
 * loopback: the tools go out typed, the model's parallel calls come back as {@link ToolCalls}.
 */
class NativeToolCallsWireTest {

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Tool WEATHER = Tool.ofSchema("get_weather", "Weather of a city.",
            Map.of("city", Map.of("type", "string"), "days", Map.of("type", "integer", "default", 1)),
            args -> "rain");
    private static final Predict AGENT = Predict.of("question, tools: list[Tool] -> next_thought, tool_calls: ToolCalls");
    private static final Map<String, Object> INPUTS = Map.of("question", "Weather in Oslo and Rome?",
            "tools", List.of(WEATHER));
    private static final ToolCalls OSLO_AND_ROME = ToolCalls.of(
            new ToolCalls.Call("call_1", "get_weather", Map.of("city", "Oslo")),
            new ToolCalls.Call("call_2", "get_weather", Map.of("city", "Rome", "days", 2L)));

    @Test
    void openAiSendsTypedToolsAndReturnsParallelToolCalls() {
        server.respond(200, """
                {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
                  "content":"{\\"next_thought\\": \\"Two lookups.\\"}",
                  "tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\": \\"Oslo\\"}"}},
                   {"id":"call_2","type":"function","function":{"name":"get_weather",
                    "arguments":"{\\"city\\": \\"Rome\\", \\"days\\": 2}"}}]}}],
                 "usage":{"prompt_tokens":80,"completion_tokens":30}}""");

        Prediction prediction = AGENT.call(INPUTS, DspyContext.of(server.openAi())
                .withAdapter(JsonAdapter.DEFAULT.withParallelToolCalls(true)));

        assertThat(prediction.getString("next_thought")).isEqualTo("Two lookups.");
        assertThat(prediction.get("tool_calls")).isEqualTo(OSLO_AND_ROME);
        JsonNode body = JSON.readTree(server.last().body());
        assertThat(body.get("tools")).isEqualTo(JSON.readTree("""
                [{"type":"function","function":{"name":"get_weather","description":"Weather of a city.",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"},
                   "days":{"type":"integer","default":1}},"required":["city"]}}}]"""));
        assertThat(body.get("parallel_tool_calls").asBoolean()).isTrue();
        assertThat(body.get("response_format").get("json_schema").get("schema").get("properties").propertyNames())
                .containsExactly("next_thought");
        assertThat(body.get("messages").get(1).get("content").asString()).doesNotContain("get_weather");
    }

    @Test
    void anthropicSendsToolsAndReturnsToolUseBlocksAsToolCalls() {
        server.respond(200, """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"[[ ## next_thought ## ]]\\nTwo lookups.\\n\\n[[ ## completed ## ]]"},
                            {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Oslo"}},
                            {"type":"tool_use","id":"call_2","name":"get_weather","input":{"city":"Rome","days":2}}],
                 "stop_reason":"tool_use","usage":{"input_tokens":80,"output_tokens":30}}""");

        Prediction prediction = AGENT.call(INPUTS, DspyContext.of(server.anthropic())
                .withAdapter(ChatAdapter.DEFAULT.withNativeFunctionCalling(true).withParallelToolCalls(false)));

        assertThat(prediction.getString("next_thought")).isEqualTo("Two lookups.");
        assertThat(prediction.get("tool_calls")).isEqualTo(OSLO_AND_ROME);
        JsonNode body = JSON.readTree(server.last().body());
        assertThat(body.get("tools").get(0).get("name").asString()).isEqualTo("get_weather");
        assertThat(body.get("tools").get(0).get("input_schema").get("required")).isEqualTo(JSON.readTree("[\"city\"]"));
        assertThat(body.get("tool_choice")).isEqualTo(JSON.readTree("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
        assertThat(body.has("parallel_tool_calls")).isFalse();
        assertThat(body.get("system").asString()).doesNotContain("[[ ## tool_calls ## ]]");
    }
}
