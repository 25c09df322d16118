package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReActTest {

    @TempDir
    Path temp;

    static final Tool SEARCH = Tool.ofSchema("search", "Look a city up.", Map.of("query", Map.of("type", "string")),
            args -> List.of("Lyon has about 522,000 inhabitants.", "Lyon is in France."));
    static final Tool CALC = Tool.ofSchema("calc", "Evaluate a division.", Map.of("expression", Map.of("type", "string")),
            args -> {
                String[] parts = String.valueOf(args.get("expression")).split("/");
                return Double.parseDouble(parts[0].trim()) / Double.parseDouble(parts[1].trim());
            });

    static String step(String thought, String tool, String argsJson) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("next_thought", thought);
        outputs.put("next_tool_name", tool);
        outputs.put("next_tool_args", argsJson);
        return ScriptedLm.chatCompletion(outputs);
    }

    static final String EXTRACT = "[[ ## reasoning ## ]]\nFrom the trajectory.\n\n[[ ## answer ## ]]\n522\n\n"
            + "[[ ## completed ## ]]";

    @Test
    void runsToolsUntilFinishThenExtractsTheAnswer() {
        ScriptedLm lm = ScriptedLm.replying(
                step("Look it up.", "search", "{\"query\": \"Lyon population\"}"),
                step("Divide.", "calc", "{\"expression\": \"522000 / 1000\"}"),
                step("Done.", "finish", "{}"),
                EXTRACT);
        ReAct agent = ReAct.of("question -> answer", List.of(SEARCH, CALC));

        Prediction prediction = agent.call(Map.of("question", "Lyon's population / 1000?"), DspyContext.of(lm));

        assertThat(prediction.toMap().keySet()).containsExactly("trajectory", "reasoning", "answer");
        assertThat(prediction.getString("answer")).isEqualTo("522");
        Map<String, Object> trajectory = trajectory(prediction);
        assertThat(trajectory.keySet()).containsExactly("thought_0", "tool_name_0", "tool_args_0", "observation_0",
                "thought_1", "tool_name_1", "tool_args_1", "observation_1",
                "thought_2", "tool_name_2", "tool_args_2", "observation_2");
        assertThat(trajectory.get("tool_args_1")).isEqualTo(Map.of("expression", "522000 / 1000"));
        assertThat(trajectory.get("observation_1")).isEqualTo(522.0);
        assertThat(trajectory.get("observation_2")).isEqualTo("Completed.");
        assertThat(lm.callCount()).isEqualTo(4);
        // the extract call sees every step, rendered as the adapter renders user fields
        assertThat(lastUserMessage(lm.requests().get(3))).contains("""
                [[ ## observation_0 ## ]]
                [1] «Lyon has about 522,000 inhabitants.»
                [2] «Lyon is in France.»

                [[ ## thought_1 ## ]]
                Divide.""");
        assertThat(agent.namedPredictors().keySet()).containsExactly("react", "extract.predict");
    }

    @Test
    void listsTheToolsInOrderWithFinishLastInTheInstructions() {
        ReAct agent = ReAct.of(Signature.parse("question -> answer").withInstructions("Answer with a number."),
                List.of(SEARCH, CALC));

        String instructions = agent.react().signature().instructions();

        assertThat(instructions).startsWith("Answer with a number.\n\nYou are an Agent.");
        assertThat(instructions).contains("(1) search, whose description is <desc>Look a city up.</desc>. "
                + "It takes arguments {'query': {'type': 'string'}}.\n(2) calc, ")
                .contains("(3) finish, whose description is <desc>Marks the task as complete. That is, signals that "
                        + "all information for producing the outputs, i.e. `answer`, are now available to be "
                        + "extracted.</desc>. It takes arguments {}.\n")
                .endsWith("When providing `next_tool_args`, the value inside the field must be in JSON format");
        assertThat(agent.react().signature().field("next_tool_name").type().pythonName())
                .isEqualTo("Literal['search', 'calc', 'finish']");
        assertThat(agent.extract().predict().signature().instructions()).isEqualTo("Answer with a number.");
        assertThat(agent.tools().keySet()).containsExactly("search", "calc", "finish");
    }

    @Test
    void stopsAfterMaxItersAndStillExtracts() {
        ScriptedLm lm = ScriptedLm.replying(
                step("Look.", "search", "{\"query\": \"a\"}"),
                step("Look again.", "search", "{\"query\": \"b\"}"),
                EXTRACT);
        ReAct agent = ReAct.builder(Signature.parse("question -> answer"), List.of(SEARCH)).maxIters(2).build();

        Prediction prediction = agent.call(Map.of("question", "q"), DspyContext.of(lm));

        assertThat(trajectory(prediction)).hasSize(8);
        assertThat(prediction.getString("answer")).isEqualTo("522");
        assertThat(lm.callCount()).isEqualTo(3);
    }

    @Test
    void aMaxItersInputOverridesTheLimitForOneCallAndIsNotShownToTheLm() {
        ScriptedLm lm = ScriptedLm.replying(step("Look.", "search", "{\"query\": \"a\"}"), EXTRACT);
        ReAct agent = ReAct.of("question -> answer", List.of(SEARCH));

        Prediction prediction = agent.call(Map.of("question", "q", "max_iters", 1), DspyContext.of(lm));

        assertThat(trajectory(prediction)).hasSize(4);
        assertThat(lm.callCount()).isEqualTo(2);
        assertThat(lastUserMessage(lm.lastRequest())).doesNotContain("max_iters");
        ScriptedLm extractOnly = ScriptedLm.replying(EXTRACT);
        Prediction noSteps = agent.call(Map.of("question", "q", "max_iters", 0L), DspyContext.of(extractOnly));
        assertThat(trajectory(noSteps)).isEmpty();
        assertThat(extractOnly.callCount()).isEqualTo(1);
        assertThatThrownBy(() -> agent.call(Map.of("question", "q", "max_iters", "many"), DspyContext.of(lm)))
                .hasMessageContaining("max_iters must be a whole number");
    }

    @Test
    void toolFailuresBecomeObservationsAndTheLoopGoesOn() {
        Tool broken = Tool.ofSchema("broken", "Always fails.", Map.of(), args -> {
            throw new IllegalStateException("disk on fire");
        });
        ScriptedLm lm = ScriptedLm.replying(
                step("Try it.", "broken", "{}"),
                step("Bad args.", "calc", "{\"expr\": \"1/0\"}"),
                step("Give up.", "finish", "{}"),
                EXTRACT);
        ReAct agent = ReAct.of("question -> answer", List.of(broken, CALC));

        Map<String, Object> trajectory = trajectory(agent.call(Map.of("question", "q"), DspyContext.of(lm)));

        assertThat(trajectory.get("observation_0")).isEqualTo("Execution error in broken: IllegalStateException: disk on fire");
        assertThat(trajectory.get("observation_1")).isEqualTo("Execution error in calc: Arg expr is not in the tool's args.");
        assertThat(trajectory.get("tool_name_2")).isEqualTo("finish");
        assertThat(lm.callCount()).isEqualTo(4);
    }

    @Test
    void anUnknownToolNameEndsTheLoopAndExtractStillRuns() {
        // ChatAdapter rejects the name, its JSON fallback asks again and rejects it too
        String unknown = step("Use magic.", "magic", "{}");
        ScriptedLm lm = ScriptedLm.replying(unknown, unknown, EXTRACT);
        ReAct agent = ReAct.of("question -> answer", List.of(SEARCH));

        Prediction prediction = agent.call(Map.of("question", "q"), DspyContext.of(lm));

        assertThat(trajectory(prediction)).isEmpty();
        assertThat(prediction.getString("answer")).isEqualTo("522");
        assertThat(lastUserMessage(lm.lastRequest())).contains("[[ ## trajectory ## ]]\n\n\nRespond");
    }

    @Test
    void aContextWindowOverflowDropsTheOldestStepAndRetries() {
        AtomicInteger overflows = new AtomicInteger();
        List<String> replies = new ArrayList<>(List.of(
                step("First.", "search", "{\"query\": \"a\"}"),
                step("Second.", "search", "{\"query\": \"b\"}"),
                step("Done.", "finish", "{}"),
                EXTRACT));
        ScriptedLm lm = ScriptedLm.responding(request -> {
            String user = lastUserMessage(request);
            if (user.contains("thought_1") && user.contains("thought_0") && overflows.getAndIncrement() == 0) {
                throw new LmException.ContextWindowExceeded("too long", "scripted", 400, null);
            }
            return LmResponse.of(replies.removeFirst());
        });
        ReAct agent = ReAct.of("question -> answer", List.of(SEARCH));

        Prediction prediction = agent.call(Map.of("question", "q"), DspyContext.of(lm));

        // the third react call overflowed once; the retry and everything after lack step 0, as in DSPy
        assertThat(overflows.get()).isEqualTo(1);
        assertThat(trajectory(prediction).keySet()).containsExactly(
                "thought_1", "tool_name_1", "tool_args_1", "observation_1",
                "thought_2", "tool_name_2", "tool_args_2", "observation_2");
        assertThat(lastUserMessage(lm.lastRequest())).doesNotContain("thought_0").contains("[[ ## thought_1 ## ]]");
        assertThat(prediction.getString("answer")).isEqualTo("522");
    }

    @Test
    void aSingleStepTrajectoryThatOverflowsCannotBeTruncated() {
        ScriptedLm lm = ScriptedLm.responding(request -> {
            if (lastUserMessage(request).contains("thought_0")) {
                throw new LmException.ContextWindowExceeded("too long", "scripted", 400, null);
            }
            return LmResponse.of(step("First.", "search", "{\"query\": \"a\"}"));
        });
        ReAct agent = ReAct.of("question -> answer", List.of(SEARCH));

        // react's overflow ends the loop; extract overflows the same way and nothing is left to drop
        assertThatThrownBy(() -> agent.call(Map.of("question", "q"), DspyContext.of(lm)))
                .isInstanceOf(ReAct.TrajectoryTooLongException.class)
                .hasMessageContaining("cannot be truncated")
                .hasCauseInstanceOf(LmException.ContextWindowExceeded.class);
    }

    @Test
    void eachToolCallIsASpanUnderTheAgentsSpan() {
        List<Span> started = Collections.synchronizedList(new ArrayList<>());
        List<Span> failed = Collections.synchronizedList(new ArrayList<>());
        DspyListener listener = new DspyListener() {
            @Override
            public void onStart(Span span) {
                started.add(span);
            }

            @Override
            public void onFailed(Span span, Throwable error) {
                failed.add(span);
            }
        };
        ScriptedLm lm = ScriptedLm.replying(step("Look.", "search", "{\"query\": \"a\"}"),
                step("Bad.", "search", "{\"q\": 1}"), step("Done.", "finish", "{}"), EXTRACT);
        ReAct agent = ReAct.of("question -> answer", List.of(SEARCH));

        agent.call(Map.of("question", "q"), DspyContext.of(lm).withListener(listener));

        Span module = started.stream().filter(s -> s.kind() == SpanKind.MODULE).findFirst().orElseThrow();
        List<Span> tools = started.stream().filter(s -> s.kind() == SpanKind.TOOL_CALL).toList();
        assertThat(tools).extracting(Span::name).containsExactly("search", "search", "finish");
        assertThat(tools).allSatisfy(s -> assertThat(s.parentId()).isEqualTo(module.id()));
        assertThat(failed).extracting(Span::kind).containsExactly(SpanKind.TOOL_CALL);
    }

    @Test
    void savesAndLoadsItsTwoPredictorsInDspysFormat() {
        ReAct agent = ReAct.of("question -> answer", List.of(SEARCH, CALC));
        Module taught = agent.mapState((path, state) -> state.withDemos(List.of(Example.of(
                "question", "How tall is Everest?", "trajectory", "", "next_thought", "Search.",
                "next_tool_name", "search", "next_tool_args", Map.of("query", "Everest"), "answer", "8849 m"))));
        Path file = temp.resolve("agent.json");

        taught.save(file);
        Module loaded = ReAct.of("question -> answer", List.of(SEARCH, CALC)).load(file);

        assertThat(loaded.state().predictors().keySet()).containsExactly("react", "extract.predict");
        assertThat(loaded.state().toJson()).isEqualTo(taught.state().toJson());
        assertThat(loaded.state().predictor("react").demos()).hasSize(1);
        assertThat(loaded.state().predictor("react").signature().instructions())
                .isEqualTo(agent.react().signature().instructions());
    }

    record Question(String question) {}

    record Answer(String answer) {}

    @Test
    void aTypedAgentReturnsTheOutputRecord() {
        ScriptedLm lm = ScriptedLm.replying(step("Done.", "finish", "{}"), EXTRACT);
        TypedModule<Question, Answer> agent = ReAct.typed(Question.class, Answer.class, List.of(SEARCH));

        Answer answer = agent.call(new Question("q"), DspyContext.of(lm));

        assertThat(answer).isEqualTo(new Answer("522"));
        assertThat(agent.module().namedPredictors().keySet()).containsExactly("react", "extract.predict");
    }

    @Test
    void rendersTheTrajectoryWithTheContextsAdapter() {
        ScriptedLm lm = ScriptedLm.replying(
                "<next_thought>\nLook.\n</next_thought>\n<next_tool_name>\nsearch\n</next_tool_name>\n"
                        + "<next_tool_args>\n{\"query\": \"a\"}\n</next_tool_args>",
                "<next_thought>\nDone.\n</next_thought>\n<next_tool_name>\nfinish\n</next_tool_name>\n"
                        + "<next_tool_args>\n{}\n</next_tool_args>",
                "<reasoning>\nr\n</reasoning>\n<answer>\n522\n</answer>");
        ReAct agent = ReAct.of("question -> answer", List.of(SEARCH));

        agent.call(Map.of("question", "q"), DspyContext.of(lm).withAdapter(XmlAdapter.DEFAULT));

        assertThat(lastUserMessage(lm.lastRequest())).contains("<thought_0>\nLook.\n</thought_0>");
    }

    @Test
    void rejectsToolsItCannotTellApart() {
        Tool finish = Tool.ofSchema("finish", "Mine.", Map.of(), args -> "done");
        assertThatThrownBy(() -> ReAct.of("question -> answer", List.of(SEARCH, SEARCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Two tools are named 'search'");
        assertThatThrownBy(() -> ReAct.of("question -> answer", List.of(finish)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'finish'");
        assertThatThrownBy(() -> ReAct.of("question, trajectory -> answer", List.of(SEARCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'trajectory'");
        assertThatThrownBy(() -> ReAct.builder(Signature.parse("q -> a"), List.of()).maxIters(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIters");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> trajectory(Prediction prediction) {
        return (Map<String, Object>) prediction.get("trajectory");
    }

    static String lastUserMessage(LmRequest request) {
        List<Message> messages = request.messages();
        return messages.get(messages.size() - 1).text();
    }
}
