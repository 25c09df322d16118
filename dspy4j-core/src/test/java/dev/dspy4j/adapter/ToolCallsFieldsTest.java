package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.SignatureException;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.tool.ToolCalls;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code ToolCalls} output fields in the text protocol of each adapter, History tool turns, and
 * the request side of native function calling.
 */
class ToolCallsFieldsTest {

    private static final Signature SIGNATURE = Signature.parse(
            "question, tools: list[Tool] -> next_thought, tool_calls: ToolCalls");
    private static final Tool SEARCH = Tool.ofSchema("search", "Search the web.",
            Map.of("query", Map.of("type", "string")), args -> "hits");
    private static final String CALLS_JSON = "{\"tool_calls\": [{\"name\": \"search\", \"args\": {\"query\": \"cats\"}}]}";
    private static final ToolCalls CATS = ToolCalls.of(ToolCalls.Call.of("search", Map.of("query", "cats")));
    private static final LmCapabilities FUNCTION_CALLING = new LmCapabilities(true, false, false, Set.of());

    @Test
    void describesTheTypeAndItsIdlessSchemaInTheSystemMessage() {
        String system = ChatAdapter.DEFAULT.formatSystemMessage(SIGNATURE);

        assertThat(system).contains("2. `tool_calls` (ToolCalls): \n    Type description of ToolCalls: Tool calls must be"
                + " a JSON object with `tool_calls`, a list of calls.");
        assertThat(system).contains("{tool_calls}        # note: the value you produce must adhere to the JSON schema:"
                + " {\"type\": \"object\", \"$defs\": {\"ToolCall\": {\"type\": \"object\", \"properties\": {\"args\":");
        assertThat(system).doesNotContain("\"id\"").doesNotContain("tool_call_results");
    }

    @Test
    void writesDemoCallsWithoutIdsInEachAdapter() {
        Example demo = Example.of(Map.of("question", "Cats?", "tools", List.of(SEARCH), "next_thought", "Search.",
                "tool_calls", Map.of("tool_calls", List.of(Map.of("id", "call_9", "name", "search",
                        "args", Map.of("query", "cats"))))));

        String chat = ChatAdapter.DEFAULT.format(SIGNATURE, List.of(demo), Map.of("question", "Dogs?")).get(2).text();
        String json = JsonAdapter.DEFAULT.format(SIGNATURE, List.of(demo), Map.of("question", "Dogs?")).get(2).text();
        String xml = XmlAdapter.DEFAULT.format(SIGNATURE, List.of(demo), Map.of("question", "Dogs?")).get(2).text();

        assertThat(chat).isEqualTo("[[ ## next_thought ## ]]\nSearch.\n\n[[ ## tool_calls ## ]]\n" + CALLS_JSON
                + "\n\n[[ ## completed ## ]]\n");
        assertThat(json).isEqualTo("{\n  \"next_thought\": \"Search.\",\n  \"tool_calls\": {\n    \"tool_calls\": [\n"
                + "      {\n        \"name\": \"search\",\n        \"args\": {\n          \"query\": \"cats\"\n        }\n"
                + "      }\n    ]\n  }\n}");
        assertThat(xml).isEqualTo("<next_thought>\nSearch.\n</next_thought>\n\n<tool_calls>\n" + CALLS_JSON
                + "\n</tool_calls>");
    }

    @Test
    void parsesCallsWrittenAsTextByEachAdapter() {
        Map<String, Object> chat = ChatAdapter.DEFAULT.parse(SIGNATURE,
                "[[ ## next_thought ## ]]\nSearch.\n\n[[ ## tool_calls ## ]]\n" + CALLS_JSON + "\n\n[[ ## completed ## ]]");
        Map<String, Object> json = JsonAdapter.DEFAULT.parse(SIGNATURE,
                "{\"next_thought\": \"Search.\", \"tool_calls\": [{\"name\": \"search\", \"args\": {\"query\": \"cats\"}}]}");
        Map<String, Object> xml = XmlAdapter.DEFAULT.parse(SIGNATURE,
                "<next_thought>Search.</next_thought>\n<tool_calls>" + CALLS_JSON + "</tool_calls>");

        for (Map<String, Object> outputs : List.of(chat, json, xml)) {
            assertThat(outputs).containsEntry("next_thought", "Search.").containsEntry("tool_calls", CATS);
        }
    }

    @Test
    void reportsTextThatIsNotToolCallsAsAParseFailure() {
        assertThatThrownBy(() -> ChatAdapter.withoutFallback().parse(SIGNATURE,
                "[[ ## next_thought ## ]]\nHm.\n\n[[ ## tool_calls ## ]]\nsearch for cats\n\n[[ ## completed ## ]]"))
                .isInstanceOf(AdapterParseException.class)
                .hasMessageContaining("Failed to parse field tool_calls with value search for cats");
    }

    @Test
    void writesHistoryResultsAsAUserTurnInTheTextProtocol() {
        Signature signature = Signature.parse("question, history: History -> next_thought, tool_calls: ToolCalls");
        ToolCalls withResults = new ToolCalls(List.of(new ToolCalls.Call("c1", "search", Map.of("query", "cats"))),
                List.of(new ToolCalls.Result("c1", "search", List.of("a", "b"), false)));
        Map<String, Object> history = Map.of("messages", List.of(Map.of("question", "Cats?", "next_thought", "Search.",
                "tool_calls", withResults)));

        List<Message> messages = JsonAdapter.WITHOUT_NATIVE_FUNCTION_CALLING.format(signature, List.of(),
                Map.of("question", "More?", "history", history));

        assertThat(messages).extracting(Message::role).containsExactly(Message.Role.SYSTEM, Message.Role.USER,
                Message.Role.ASSISTANT, Message.Role.USER, Message.Role.USER);
        assertThat(messages.get(2).text()).contains("\"tool_calls\": {\n    \"tool_calls\": [").doesNotContain("c1");
        assertThat(messages.get(3).text()).isEqualTo("[[ ## tool_call_results ## ]]\n{\"tool_call_results\": [{\"call_id\":"
                + " \"c1\", \"name\": \"search\", \"value\": [\"a\", \"b\"], \"is_error\": false}]}");
    }

    @Test
    void dropsNativeHistoryResultsThatDoNotAnswerTheCallsInOrder() {
        Signature signature = Signature.parse("question, history: History -> tool_calls: ToolCalls");
        ToolCalls mismatched = new ToolCalls(List.of(new ToolCalls.Call("c1", "search", Map.of())),
                List.of(new ToolCalls.Result("c2", "search", "x", false)));
        Map<String, Object> history = Map.of("messages", List.of(Map.of("question", "Cats?", "tool_calls", mismatched)));

        List<Message> messages = JsonAdapter.DEFAULT.format(signature, List.of(),
                Map.of("question", "More?", "history", history));

        assertThat(messages).extracting(Message::role).containsExactly(Message.Role.SYSTEM, Message.Role.USER,
                Message.Role.USER);
    }

    @Test
    void offersTheToolsNativelyAndLeavesTheirFieldsOutOfThePrompt() {
        AdapterRequest request = new AdapterRequest(SIGNATURE, List.of(), Map.of("question", "Cats?",
                "tools", List.of(SEARCH)), LmOptions.NONE.withExtra("tools", List.of("caller's")));

        LmRequest prepared = JsonAdapter.DEFAULT.withParallelToolCalls(false).formatRequest(request, FUNCTION_CALLING);

        assertThat(prepared.tools()).containsExactly(SEARCH.toSpec());
        assertThat(prepared.options().extra()).isEqualTo(Map.of("parallel_tool_calls", false));
        assertThat(prepared.messages().get(0).text()).startsWith("Your input fields are:\n1. `question` (str):\n"
                + "Your output fields are:\n1. `next_thought` (str):\n")
                .endsWith("Given the fields `question`, `tools`, produce the fields `next_thought`, `tool_calls`.");
        assertThat(prepared.messages().get(1).text()).doesNotContain("search");
    }

    @Test
    void fallsBackToTheTextProtocolForAnLmWithoutFunctionCalling() {
        AdapterRequest request = new AdapterRequest(SIGNATURE, List.of(), Map.of("question", "Cats?",
                "tools", List.of(SEARCH)), LmOptions.NONE);

        LmRequest prepared = JsonAdapter.DEFAULT.formatRequest(request, LmCapabilities.NONE);

        assertThat(prepared.tools()).isEmpty();
        assertThat(prepared.messages().get(1).text()).contains("search, whose description is <desc>Search the web.");
    }

    @Test
    void removesTheCallersToolsWhenNativeCallingIsOff() {
        AdapterRequest request = new AdapterRequest(SIGNATURE, List.of(), Map.of("question", "Cats?",
                "tools", List.of(SEARCH)), LmOptions.NONE.withTemperature(0.5).withExtra("tool_choice", "required")
                .withExtra("parallel_tool_calls", true));
        LmRequest typed = new LmRequest(List.of(Message.user("x")), List.of(new ToolSpec("x", "", null)),
                ToolChoice.REQUIRED, dev.dspy4j.lm.ResponseFormat.TEXT, LmOptions.NONE);

        LmRequest prepared = ChatAdapter.DEFAULT.formatRequest(request, FUNCTION_CALLING);

        assertThat(prepared.tools()).isEmpty();
        assertThat(prepared.options()).isEqualTo(LmOptions.NONE.withTemperature(0.5));
        LmRequest stripped = ChatAdapter.DEFAULT.prepare(SIGNATURE, typed, FUNCTION_CALLING);
        assertThat(stripped.tools()).isEmpty();
        assertThat(stripped.toolChoice()).isEqualTo(ToolChoice.AUTO);
    }

    @Test
    void refusesAToolCallsOutputWithoutToolsUnderNativeCalling() {
        Signature noTools = Signature.parse("question -> tool_calls: ToolCalls");
        AdapterRequest request = AdapterRequest.of(noTools, Map.of("question", "Cats?"));

        assertThatThrownBy(() -> JsonAdapter.DEFAULT.formatRequest(request, FUNCTION_CALLING))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("The output field 'tool_calls' of type ToolCalls")
                .hasMessageContaining("withNativeFunctionCalling(false)");
        assertThat(ChatAdapter.DEFAULT.formatRequest(request, FUNCTION_CALLING).tools()).isEmpty();
    }
}
