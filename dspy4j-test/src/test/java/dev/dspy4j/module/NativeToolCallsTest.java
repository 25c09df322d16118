package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.tool.ToolCalls;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A {@link Predict} with a tool input and a {@code ToolCalls} output, through native function
 * calling and through its fallback to the text protocol.
 */
class NativeToolCallsTest {

    private static final LmCapabilities FUNCTION_CALLING = new LmCapabilities(true, false, false, Set.of());
    private static final Tool WEATHER = Tool.ofSchema("get_weather", "Weather of a city.",
            Map.of("city", Map.of("type", "string")), args -> "rain in " + args.get("city"));
    private static final Predict AGENT = Predict.of("question, tools: list[Tool] -> next_thought, tool_calls: ToolCalls");
    private static final Map<String, Object> INPUTS = Map.of("question", "Weather in Oslo and Rome?",
            "tools", List.of(WEATHER));

    private static ScriptedLm replying(String text, ToolCall... calls) {
        return ScriptedLm.responding(request -> new LmResponse(List.of(new Choice(text, List.of(calls), null,
                calls.length > 0 ? "tool_calls" : "stop")), Usage.ZERO, "scripted", false))
                .withCapabilities(FUNCTION_CALLING);
    }

    @Test
    void fillsTheToolCallsOutputFromTheLmsCallsAndTheRestFromItsText() {
        ScriptedLm lm = replying("{\"next_thought\": \"Two lookups.\"}",
                ToolCall.parse("call_1", "get_weather", "{\"city\": \"Oslo\"}"),
                ToolCall.parse("call_2", "get_weather", "{\"city\": \"Rome\"}"));

        Prediction prediction = AGENT.call(INPUTS, DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT));

        assertThat(prediction.getString("next_thought")).isEqualTo("Two lookups.");
        assertThat(prediction.get("tool_calls")).isEqualTo(ToolCalls.of(
                new ToolCalls.Call("call_1", "get_weather", Map.of("city", "Oslo")),
                new ToolCalls.Call("call_2", "get_weather", Map.of("city", "Rome"))));
        assertThat(lm.lastRequest().tools()).containsExactly(WEATHER.toSpec());
        assertThat(lm.lastRequest().messages().get(1).text()).doesNotContain("get_weather").doesNotContain("tool_calls");
    }

    @Test
    void leavesTheOtherOutputsNullWhenTheLmOnlyCallsTools() {
        ScriptedLm lm = replying("", ToolCall.parse("call_1", "get_weather", "{\"city\": \"Oslo\"}"));

        Prediction prediction = AGENT.call(INPUTS, DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT));

        assertThat(prediction.get("next_thought")).isNull();
        assertThat(prediction.get("tool_calls", ToolCalls.class).calls()).extracting(ToolCalls.Call::id)
                .containsExactly("call_1");
        assertThat(lm.callCount()).isEqualTo(1);
    }

    @Test
    void ignoresTextThatCannotBeParsedWhenTheLmCalledTools() {
        ScriptedLm lm = replying("Let me check the weather.", ToolCall.parse("call_1", "get_weather", "{'city': 'Oslo'"));

        Prediction prediction = AGENT.call(INPUTS, DspyContext.of(lm).withAdapter(
                ChatAdapter.DEFAULT.withNativeFunctionCalling(true)));

        assertThat(prediction.get("next_thought")).isNull();
        assertThat(prediction.get("tool_calls")).isEqualTo(ToolCalls.of(
                new ToolCalls.Call("call_1", "get_weather", Map.of("city", "Oslo"))));
        assertThat(lm.callCount()).isEqualTo(1);
    }

    @Test
    void usesTheTextProtocolWithAnLmWithoutFunctionCalling() {
        ScriptedLm lm = ScriptedLm.replying("{\"next_thought\": \"One lookup.\", \"tool_calls\": {\"tool_calls\":"
                + " [{\"name\": \"get_weather\", \"args\": {\"city\": \"Oslo\"}}]}}");

        Prediction prediction = AGENT.call(INPUTS, DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT));

        assertThat(lm.lastRequest().tools()).isEmpty();
        assertThat(lm.lastRequest().messages().get(1).text()).contains("get_weather, whose description is");
        assertThat(prediction.get("tool_calls")).isEqualTo(ToolCalls.of(
                ToolCalls.Call.of("get_weather", Map.of("city", "Oslo"))));
    }

    @Test
    void fallsBackToJsonWithNativeCallingWhenTheChatAdapterCannotParse() {
        AtomicInteger calls = new AtomicInteger();
        ScriptedLm lm = ScriptedLm.responding(request -> calls.getAndIncrement() == 0
                ? LmResponse.of("no markers here")
                : new LmResponse(List.of(new Choice("", List.of(ToolCall.parse("c", "get_weather", "{}")), null,
                        "tool_calls")), Usage.ZERO, "scripted", false)).withCapabilities(FUNCTION_CALLING);

        Prediction prediction = AGENT.call(INPUTS, DspyContext.of(lm).withAdapter(
                ChatAdapter.DEFAULT.withNativeFunctionCalling(true)));

        assertThat(lm.callCount()).isEqualTo(2);
        assertThat(lm.requests().get(1).tools()).containsExactly(WEATHER.toSpec());
        assertThat(lm.requests().get(1).messages().get(0).text()).contains("Outputs will be a JSON object");
        assertThat(prediction.get("next_thought")).isNull();
        assertThat(prediction.get("tool_calls")).isEqualTo(ToolCalls.of(new ToolCalls.Call("c", "get_weather",
                Map.of())));
    }

    record Ask(String question, List<Tool> tools) {}

    record Step(String nextThought, ToolCalls toolCalls) {}

    @Test
    void fillsAToolCallsRecordComponentOfATypedPredictor() {
        ScriptedLm lm = replying("{\"next_thought\": \"One lookup.\"}",
                ToolCall.parse("call_1", "get_weather", "{\"city\": \"Oslo\"}"));

        Step step = Predict.typed(Ask.class, Step.class).call(new Ask("Weather in Oslo?", List.of(WEATHER)),
                DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT));

        assertThat(step.nextThought()).isEqualTo("One lookup.");
        assertThat(step.toolCalls().calls()).containsExactly(new ToolCalls.Call("call_1", "get_weather",
                Map.of("city", "Oslo")));
    }

    @Test
    void replaysHistoryToolTurnsAsNativeToolMessages() {
        Predict chat = Predict.of("question, history: History, tools: list[Tool] -> next_thought, tool_calls: ToolCalls");
        ToolCalls earlier = new ToolCalls(List.of(new ToolCalls.Call("call_1", "get_weather", Map.of("city", "Oslo"))),
                List.of(new ToolCalls.Result("call_1", "get_weather", Map.of("summary", "rain"), false)));
        ScriptedLm lm = replying("{\"next_thought\": \"Done.\"}");

        chat.call(Map.of("question", "And now?", "tools", List.of(WEATHER), "history", Map.of("messages", List.of(
                Map.of("question", "Oslo?", "next_thought", "Look it up.", "tool_calls", earlier)))),
                DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT));

        List<Message> messages = lm.lastRequest().messages();
        assertThat(messages).extracting(Message::role).containsExactly(Message.Role.SYSTEM, Message.Role.USER,
                Message.Role.ASSISTANT, Message.Role.TOOL, Message.Role.USER);
        Message.AssistantMessage assistant = (Message.AssistantMessage) messages.get(2);
        assertThat(assistant.text()).isEqualTo("{\n  \"next_thought\": \"Look it up.\"\n}");
        assertThat(assistant.toolCalls()).containsExactly(new ToolCall("call_1", "get_weather", Map.of("city", "Oslo"),
                "{\"city\": \"Oslo\"}", true));
        assertThat(messages.get(3)).isEqualTo(Message.toolResult("call_1", "get_weather", "{\"summary\": \"rain\"}"));
    }
}
