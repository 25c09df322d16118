package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Message;
import dev.dspy4j.testkit.ScriptedInterpreter;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.tool.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramOfThoughtTest {

    static String code(String reasoning, String generated) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("reasoning", reasoning);
        outputs.put("generated_code", generated);
        return ScriptedLm.chatCompletion(outputs);
    }

    static final String ANSWER = "[[ ## reasoning ## ]]\nThe code says so.\n\n[[ ## answer ## ]]\n42\n\n"
            + "[[ ## completed ## ]]";

    @Test
    void runsTheGeneratedCodeAndAnswersFromItsOutput() {
        // given
        ScriptedLm lm = ScriptedLm.replying(code("Multiply.", "```python\nx = 7\nSUBMIT({'answer': x * 6})\n```"),
                ANSWER);
        ScriptedInterpreter python = ScriptedInterpreter.create()
                .expect("x = 7\nSUBMIT({'answer': x * 6})", new CodeResult.Submitted(Map.of("answer", 42L)));
        // when
        Prediction p = ProgramOfThought.of("question -> answer", python)
                .call(Map.of("question", "What is 7 times 6?"), DspyContext.of(lm));
        // then
        assertThat(p.toMap()).containsEntry("answer", "42").containsEntry("reasoning", "The code says so.");
        assertThat(lm.callCount()).isEqualTo(2);
        String lastUser = lm.requests().get(1).messages().getLast().text();
        assertThat(lastUser).contains("[[ ## final_generated_code ## ]]\nx = 7\nSUBMIT({'answer': x * 6})")
                .contains("[[ ## code_output ## ]]\n{\"answer\": 42}");
        assertThat(python.remaining()).isZero();
    }

    @Test
    void feedsAnExecutionErrorToRegenerateWithThePreviousCode() {
        ScriptedLm lm = ScriptedLm.replying(code("Try.", "```python\ny * 6\n```"),
                code("Fix.", "```python\ny = 7\nz = y * 6\n```"), ANSWER);
        ScriptedInterpreter python = ScriptedInterpreter.create()
                .expectError("y * 6", "NameError", "NameError: name 'y' is not defined")
                .expect("y = 7\nz = y * 6\nz", new CodeResult.Output(42L));

        ProgramOfThought.of("question -> answer", python).call(Map.of("question", "7 * 6?"), DspyContext.of(lm));

        String regenerate = lm.requests().get(1).messages().getLast().text();
        assertThat(regenerate).contains("[[ ## previous_code ## ]]\ny * 6")
                .contains("[[ ## error ## ]]\nNameError: name 'y' is not defined");
        assertThat(lm.requests().get(2).messages().getLast().text()).contains("[[ ## code_output ## ]]\n42");
        assertThat(python.executed()).containsExactly("y * 6", "y = 7\nz = y * 6\nz");
    }

    @Test
    void givesUpAfterMaxItersWithTheLastError() {
        ScriptedLm lm = ScriptedLm.replying(code("a", "```python\nboom()\n```"), code("b", "```python\nboom()\n```"));
        ScriptedInterpreter python = ScriptedInterpreter.create()
                .expectError("boom()", "NameError", "NameError: name 'boom' is not defined")
                .expectError("boom()", "NameError", "NameError: name 'boom' is not defined");
        ProgramOfThought pot = ProgramOfThought.of(dev.dspy4j.signature.Signature.parse("question -> answer"), 2,
                python);

        assertThatThrownBy(() -> pot.call(Map.of("question", "?"), DspyContext.of(lm)))
                .isInstanceOf(ProgramOfThought.CodeFailedException.class)
                .hasMessageContaining("after 2 code attempts")
                .hasMessageContaining("NameError: name 'boom' is not defined");
        assertThat(lm.callCount()).isEqualTo(2);
    }

    @Test
    void cutsTheCodeAsDspyDoes() {
        assertThat(GeneratedCode.parse("```python\na = 1\n```\n---\nmore")).isEqualTo(new GeneratedCode("a = 1", null));
        assertThat(GeneratedCode.parse("a = 1\nb = a + 1\n\n\nignored"))
                .isEqualTo(new GeneratedCode("a = 1\nb = a + 1\nb", null));
        assertThat(GeneratedCode.parse("x = y = 1")).isEqualTo(new GeneratedCode("x = y = 1",
                "Error: Code format is not correct."));
        assertThat(GeneratedCode.parse("---")).isEqualTo(new GeneratedCode("", "Error: Empty code after parsing."));
        assertThat(GeneratedCode.parse("print(1)")).isEqualTo(new GeneratedCode("print(1)", null));
    }

    @Test
    void showsOutputsAsPythonJsonDumpsDoes() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("answer", "café");
        value.put("n", 1.0);
        assertThat(GeneratedCode.outputText(new CodeResult.Submitted(value)))
                .isEqualTo("{\"answer\": \"caf\\u00e9\", \"n\": 1.0}");
        assertThat(GeneratedCode.outputText(new CodeResult.Output(null))).isEqualTo("null");
    }

    @Test
    void reportsAParseErrorToRegenerateWithoutRunningIt() {
        ScriptedLm lm = ScriptedLm.replying(code("a", "x = y = 1"), code("b", "```python\n6 * 7\n```"), ANSWER);
        ScriptedInterpreter python = ScriptedInterpreter.create().expect("6 * 7", new CodeResult.Output(42L));

        ProgramOfThought.of("question -> answer", python).call(Map.of("question", "?"), DspyContext.of(lm));

        assertThat(lm.requests().get(1).messages().getLast().text())
                .contains("[[ ## error ## ]]\nError: Code format is not correct.");
        assertThat(python.executed()).containsExactly("6 * 7");
    }

    record Question(String question) {}

    record Answer(long answer) {}

    @Test
    void aTypedProgramOfThoughtReturnsTheOutputRecord() {
        ScriptedLm lm = ScriptedLm.replying(code("Multiply.", "```python\nSUBMIT({'answer': 6 * 7})\n```"), ANSWER);
        ScriptedInterpreter python = ScriptedInterpreter.create()
                .expect("SUBMIT({'answer': 6 * 7})", new CodeResult.Submitted(Map.of("answer", 42L)));

        Answer answer = ProgramOfThought.typed(Question.class, Answer.class, python)
                .call(new Question("What is 6 times 7?"), DspyContext.of(lm));

        assertThat(answer).isEqualTo(new Answer(42));
    }

    @Test
    void rejectsSignaturesUsingItsOwnFieldNames() {
        assertThatThrownBy(() -> ProgramOfThought.of("question, error -> answer", ScriptedInterpreter.create()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'error'");
        assertThatThrownBy(() -> ProgramOfThought.of(dev.dspy4j.signature.Signature.parse("q -> a"), 0,
                ScriptedInterpreter.create())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codeActRunsCodeStepsThatCallToolsThenExtracts() {
        // given
        Tool factorial = Tool.ofSchema("factorial", "Computes n!.", Map.of("n", Map.of("type", "integer")),
                args -> 120);
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("generated_code", "```python\nprint(factorial(5))\n```");
        step.put("finished", "True");
        ScriptedLm lm = ScriptedLm.replying(ScriptedLm.chatCompletion(step),
                "[[ ## reasoning ## ]]\nIt printed 120.\n\n[[ ## factorial ## ]]\n120\n\n[[ ## completed ## ]]");
        ScriptedInterpreter python = ScriptedInterpreter.create()
                .expect("print(factorial(5))", new CodeResult.Output("120\n"));
        CodeAct agent = CodeAct.of("n -> factorial", List.of(factorial), python);

        // when
        Prediction p = agent.call(Map.of("n", 5), DspyContext.of(lm));

        // then
        assertThat(agent.namedPredictors().keySet()).containsExactly("codeact", "extractor.predict");
        assertThat(p.get("factorial")).isEqualTo("120");
        assertThat(p.get("trajectory")).isEqualTo(Map.of("generated_code_0", "print(factorial(5))",
                "code_output_0", "\"120\\n\""));
        assertThat(python.sessionTools()).containsExactly(List.of(factorial));
        Message system = lm.requests().getFirst().messages().getFirst();
        assertThat(system.text()).contains("You are an intelligent agent. For each episode, you will receive the "
                + "fields `n` as input.").contains("(1) factorial, whose description is <desc>Computes n!.</desc>.");
        assertThat(lm.requests().get(1).messages().getLast().text())
                .contains("[[ ## generated_code_0 ## ]]\nprint(factorial(5))");
    }
}
