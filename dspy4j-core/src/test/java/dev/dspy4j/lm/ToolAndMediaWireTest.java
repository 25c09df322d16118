package dev.dspy4j.lm;

import static dev.dspy4j.lm.OpenAiLmTest.assertJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tool turns and media travel through both HTTP clients in each provider's wire shape, and tool
 * calls come back parsed, against a real server on loopback.
 */
class ToolAndMediaWireTest {

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    private static final ToolSpec WEATHER = new ToolSpec("weather", "Current weather of a city.",
            Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city")));

    /** A whole agent turn: an image question, the model's tool call, the tool's result. */
    private static LmRequest agentTurn() {
        return new LmRequest(List.of(
                Message.system("You are a travel assistant."),
                Message.user(List.of(ContentPart.text("Where is this, and what is the weather there?"),
                        new ContentPart.Image("https://example.com/eiffel.jpg"),
                        ContentPart.Image.ofBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png"))),
                Message.assistant("Looks like Paris.", List.of(ToolCall.of("call_1", "weather", Map.of("city", "Paris")))),
                Message.toolResult("call_1", "18 C, sunny")),
                List.of(WEATHER), ToolChoice.named("weather"), ResponseFormat.TEXT, LmOptions.NONE);
    }

    @Test
    void openAiGetsContentPartsToolCallsToolResultsAndTools() {
        server.respond(200, """
                {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                  "tool_calls":[{"id":"call_2","type":"function",
                   "function":{"name":"weather","arguments":"{\\"city\\": \\"Lyon\\"}"}}]}}],
                 "usage":{"prompt_tokens":50,"completion_tokens":9}}""");

        LmResponse response = server.openAi().call(agentTurn());

        assertJson(server.last().body(), """
                {"model":"gpt-4o-mini","messages":[
                  {"role":"system","content":"You are a travel assistant."},
                  {"role":"user","content":[
                    {"type":"text","text":"Where is this, and what is the weather there?"},
                    {"type":"image_url","image_url":{"url":"https://example.com/eiffel.jpg"}},
                    {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw=="}}]},
                  {"role":"assistant","content":"Looks like Paris.","tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"18 C, sunny"}],
                 "tools":[{"type":"function","function":{"name":"weather","description":"Current weather of a city.",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "tool_choice":{"type":"function","function":{"name":"weather"}}}""");
        ToolCall call = response.choices().get(0).toolCalls().get(0);
        assertThat(call.id()).isEqualTo("call_2");
        assertThat(call.arguments()).isEqualTo(Map.of("city", "Lyon"));
        assertThat(call.argumentsValid()).isTrue();
        assertThat(response.choices().get(0).message().toolCalls()).containsExactly(call);
    }

    @Test
    void anthropicGetsBlocksToolUseAndToolResultsInOneUserTurn() {
        server.respond(200, """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"Checking Lyon too."},
                            {"type":"tool_use","id":"toolu_2","name":"weather","input":{"city":"Lyon"}}],
                 "stop_reason":"tool_use","usage":{"input_tokens":50,"output_tokens":9}}""");
        LmRequest twoResults = agentTurn().withMessages(List.of(
                Message.user("Weather in Paris and Nice?"),
                Message.assistant("", List.of(ToolCall.of("toolu_a", "weather", Map.of("city", "Paris")),
                        ToolCall.of("toolu_b", "weather", Map.of("city", "Nice")))),
                Message.toolResult("toolu_a", "18 C"),
                Message.toolResult("toolu_b", "22 C"),
                Message.user(List.of(ContentPart.text("And here?"),
                        ContentPart.Image.ofBytes(new byte[] {1, 2, 3}, "image/jpeg"),
                        new ContentPart.Image("https://example.com/lyon.jpg")))));

        LmResponse response = server.anthropic().call(twoResults);

        assertJson(server.last().body(), """
                {"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[
                  {"role":"user","content":"Weather in Paris and Nice?"},
                  {"role":"assistant","content":[
                    {"type":"tool_use","id":"toolu_a","name":"weather","input":{"city":"Paris"}},
                    {"type":"tool_use","id":"toolu_b","name":"weather","input":{"city":"Nice"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_a","content":"18 C"},
                    {"type":"tool_result","tool_use_id":"toolu_b","content":"22 C"}]},
                  {"role":"user","content":[
                    {"type":"text","text":"And here?"},
                    {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"AQID"}},
                    {"type":"image","source":{"type":"url","url":"https://example.com/lyon.jpg"}}]}],
                 "tools":[{"name":"weather","description":"Current weather of a city.",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                 "tool_choice":{"type":"tool","name":"weather"}}""");
        Choice choice = response.choices().get(0);
        assertThat(choice.text()).isEqualTo("Checking Lyon too.");
        assertThat(choice.toolCalls()).containsExactly(ToolCall.of("toolu_2", "weather", Map.of("city", "Lyon")));
    }

    @Test
    void anthropicRefusesAudioClearly() {
        LmRequest audio = LmRequest.of(List.of(Message.user(List.of(ContentPart.Audio.ofBytes(new byte[] {1}, "wav")))));

        assertThatThrownBy(() -> server.anthropic().call(audio)).isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("audio");
    }

    @Test
    void malformedToolArgumentsAreKeptAsTextNotLost() {
        server.respond(200, """
                {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                  "tool_calls":[{"id":"call_9","type":"function","function":{"name":"weather","arguments":"{city: Lyon"}}]}}]}""");

        ToolCall call = server.openAi().call(agentTurn()).choices().get(0).toolCalls().get(0);

        assertThat(call.argumentsValid()).isFalse();
        assertThat(call.arguments()).isEmpty();
        assertThat(call.argumentsJson()).isEqualTo("{city: Lyon");
    }
}
