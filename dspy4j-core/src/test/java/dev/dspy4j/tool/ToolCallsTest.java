package dev.dspy4j.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ToolCalls}: DSPy's {@code dspy.ToolCalls} normalisation and prompt forms. */
class ToolCallsTest {

    private static final ToolCalls.Call SEARCH = ToolCalls.Call.of("search", Map.of("query", "cats"));

    @Test
    void readsAnObjectWithAListOfCalls() {
        ToolCalls calls = ToolCalls.from(Map.of("tool_calls", List.of(Map.of("name", "search", "args",
                Map.of("query", "cats")))));

        assertThat(calls).isEqualTo(ToolCalls.of(SEARCH));
        assertThat(calls.hasResults()).isFalse();
    }

    @Test
    void readsABareListAndASingleCall() {
        assertThat(ToolCalls.from(List.of(Map.of("name", "search", "args", Map.of("query", "cats")))))
                .isEqualTo(ToolCalls.of(SEARCH));
        assertThat(ToolCalls.from(Map.of("name", "search", "args", Map.of("query", "cats"))))
                .isEqualTo(ToolCalls.of(SEARCH));
    }

    @Test
    void readsTheProviderShapeWithArgumentsAsJsonText() {
        ToolCalls calls = ToolCalls.from(List.of(Map.of("id", "call_1", "type", "function",
                "function", Map.of("name", "search", "arguments", "{\"query\": \"cats\", \"k\": 2}"))));

        assertThat(calls.calls()).containsExactly(new ToolCalls.Call("call_1", "search",
                Map.of("query", "cats", "k", 2L)));
    }

    @Test
    void takesCallIdAsTheIdAndRepairsSloppyArguments() {
        ToolCalls calls = ToolCalls.from(Map.of("call_id", "c9", "name", "search", "arguments", "{'query': 'cats',}"));

        assertThat(calls.calls()).containsExactly(new ToolCalls.Call("c9", "search", Map.of("query", "cats")));
    }

    @Test
    void readsResultsInEachShapeDspyAccepts() {
        Map<String, Object> result = Map.of("call_id", "call_1", "name", "search", "value", "3 hits", "is_error", false);
        ToolCalls.Result expected = new ToolCalls.Result("call_1", "search", "3 hits", false);

        for (Object results : List.of(List.of(result), Map.of("tool_call_results", List.of(result)), result)) {
            ToolCalls calls = ToolCalls.from(Map.of("tool_calls", List.of(Map.of("id", "call_1", "name", "search",
                    "args", Map.of())), "tool_call_results", results));
            assertThat(calls.results()).as("results given as %s", results).containsExactly(expected);
        }
    }

    @Test
    void rejectsOtherValuesWithDspysMessage() {
        assertThatThrownBy(() -> ToolCalls.from("search(cats)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Received invalid value for `dspy.ToolCalls`: search(cats)");
        assertThatThrownBy(() -> ToolCalls.from(Map.of("query", "cats")))
                .hasMessageStartingWith("Received invalid value for `dspy.ToolCalls`");
    }

    @Test
    void writesPromptValuesWithoutIdsOrResults() {
        ToolCalls calls = new ToolCalls(List.of(new ToolCalls.Call("call_1", "search", Map.of("query", "cats"))),
                List.of(new ToolCalls.Result("call_1", "search", Map.of("hits", 3), false)));

        assertThat(PythonValues.jsonDumps(calls.promptValue()))
                .isEqualTo("{\"tool_calls\": [{\"name\": \"search\", \"args\": {\"query\": \"cats\"}}]}");
        assertThat(PythonValues.jsonDumps(calls.resultsValue())).isEqualTo("{\"tool_call_results\": [{\"call_id\":"
                + " \"call_1\", \"name\": \"search\", \"value\": {\"hits\": 3}, \"is_error\": false}]}");
    }

    @Test
    void roundTripsThroughItsJsonFormKeepingIdsAndResults() {
        ToolCalls calls = new ToolCalls(List.of(new ToolCalls.Call("call_1", "search", Map.of("query", "cats"))),
                List.of(new ToolCalls.Result("call_1", "search", "3 hits", true)));

        Object json = PythonValues.toJsonable(calls);

        assertThat(json).isEqualTo(Map.of(
                "tool_calls", List.of(Map.of("id", "call_1", "name", "search", "args", Map.of("query", "cats"))),
                "tool_call_results", List.of(Map.of("call_id", "call_1", "name", "search", "value", "3 hits",
                        "is_error", true))));
        assertThat(ToolCalls.from(json)).isEqualTo(calls);
    }

    @Test
    void keepsProviderIdsAndRepairsArgumentsThatAreNotAnObject() {
        ToolCalls calls = ToolCalls.fromLm(List.of(ToolCall.parse("call_1", "search", "{\"query\": \"cats\"}"),
                ToolCall.parse(null, "search", "{'query': 'dogs'"), ToolCall.parse("call_3", "noop", "[1, 2]")));

        assertThat(calls.calls()).containsExactly(new ToolCalls.Call("call_1", "search", Map.of("query", "cats")),
                new ToolCalls.Call(null, "search", Map.of("query", "dogs")),
                new ToolCalls.Call("call_3", "noop", Map.of()));
    }

    record Turn(String question, List<Tool> tools) {}

    record Step(String nextThought, ToolCalls toolCalls) {}

    @Test
    void isTheToolCallsFieldTypeForRecordComponentsAndTheShorthand() {
        FieldType toolCalls = new FieldType.SpecialType(FieldType.SpecialType.Kind.TOOL_CALLS);

        assertThat(Signature.fromRecords(Turn.class, Step.class).field("tool_calls").type()).isEqualTo(toolCalls);
        assertThat(Signature.parse("question, tools: list[Tool] -> tool_calls: ToolCalls").field("tool_calls").type())
                .isEqualTo(toolCalls);
        assertThat(Signature.parse("question -> tool_calls: dspy.ToolCalls").field("tool_calls").type())
                .isEqualTo(toolCalls);
    }

    @Test
    void invokesTheToolOfTheCallsNameOrFailsNamingTheTools() {
        Tool search = Tool.ofSchema("search", "Search.", Map.of("query", Map.of("type", "string")),
                args -> "hits for " + args.get("query"));

        assertThat(SEARCH.invoke(List.of(search))).isEqualTo(new ToolResult.Success("hits for cats"));
        ToolResult missing = ToolCalls.Call.of("lookup", Map.of()).invoke(List.of(search));
        assertThat(missing).isInstanceOf(ToolResult.Failure.class);
        assertThat(((ToolResult.Failure) missing).message()).isEqualTo("Tool function 'lookup' not found; the tools"
                + " are [search].");
        assertThat(ToolCalls.Result.of(SEARCH, missing)).isEqualTo(new ToolCalls.Result(null, "search",
                "Tool function 'lookup' not found; the tools are [search].", true));
    }
}
