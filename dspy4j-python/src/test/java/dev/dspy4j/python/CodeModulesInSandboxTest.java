package dev.dspy4j.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.CodeAct;
import dev.dspy4j.module.ProgramOfThought;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.tool.Tool;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ProgramOfThought and CodeAct with a scripted LM whose code the real sandbox runs. */
class CodeModulesInSandboxTest {

    private static GraalPyInterpreter python;

    @BeforeAll
    static void startPython() {
        python = GraalPyInterpreter.builder().timeout(Duration.ofSeconds(4)).build();
    }

    @AfterAll
    static void stopPython() {
        python.close();
    }

    static String code(String generated) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("reasoning", "Compute it.");
        outputs.put("generated_code", "```python\n" + generated + "\n```");
        return ScriptedLm.chatCompletion(outputs);
    }

    static final String ANSWER = "[[ ## reasoning ## ]]\nFrom the output.\n\n[[ ## answer ## ]]\n42\n\n"
            + "[[ ## completed ## ]]";

    @Test
    void programOfThoughtFeedsTheSandboxsRealErrorsBackUntilTheCodeWorks() {
        // given: code that fails with a NameError, then code that loops forever, then working code
        ScriptedLm lm = ScriptedLm.replying(
                code("result = undefined_total * 6"),
                code("while True:\n    pass"),
                code("import math\nx = 7\nSUBMIT({'answer': math.prod([x, 6])})"),
                ANSWER);
        ProgramOfThought pot = ProgramOfThought.of(dev.dspy4j.signature.Signature.parse("question -> answer"), 3,
                python);

        // when
        Prediction p = pot.call(Map.of("question", "What is 7 times 6?"), DspyContext.of(lm));

        // then
        assertThat(p.getString("answer")).isEqualTo("42");
        assertThat(lm.requests().get(1).messages().getLast().text())
                .contains("[[ ## error ## ]]\nNameError: name 'undefined_total' is not defined (line 1)");
        assertThat(lm.requests().get(2).messages().getLast().text())
                .contains("[[ ## error ## ]]\nTimeoutError: the code ran longer than the limit of 4000 ms");
        assertThat(lm.requests().get(3).messages().getLast().text())
                .contains("[[ ## code_output ## ]]\n{\"answer\": 42}");
    }

    @Test
    void codeActCallsJavaToolsFromPythonAndKeepsVariablesAcrossSteps() {
        // given
        Tool price = Tool.ofSchema("price", "The unit price of an item, in cents.",
                Map.of("item", Map.of("type", "string")), args -> "lamp".equals(args.get("item")) ? 1999 : 0);
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("generated_code", "```python\nunit = price('lamp')\nprint(unit)\n```");
        first.put("finished", "False");
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("generated_code", "```python\ntotal = unit * 2\nprint(total)\n```");
        second.put("finished", "True");
        ScriptedLm lm = ScriptedLm.replying(ScriptedLm.chatCompletion(first), ScriptedLm.chatCompletion(second),
                "[[ ## reasoning ## ]]\nTwo lamps.\n\n[[ ## total ## ]]\n3998\n\n[[ ## completed ## ]]");
        CodeAct agent = CodeAct.of(dev.dspy4j.signature.Signature.parse("question -> total"), List.of(price), 5,
                python);

        // when
        Prediction p = agent.call(Map.of("question", "How much do two lamps cost?"), DspyContext.of(lm));

        // then
        assertThat(p.getString("total")).isEqualTo("3998");
        // codeact gets the trajectory as a dict, which the adapter writes as json.dumps does
        assertThat(lm.requests().get(0).messages().getLast().text()).contains("[[ ## trajectory ## ]]\n{}");
        assertThat(lm.requests().get(1).messages().getLast().text()).contains("[[ ## trajectory ## ]]\n"
                + "{\"generated_code_0\": \"unit = price('lamp')\\nprint(unit)\", "
                + "\"code_output_0\": \"\\\"1999\\\\n\\\"\"}");
        assertThat(p.get("trajectory")).isEqualTo(Map.of(
                "generated_code_0", "unit = price('lamp')\nprint(unit)", "code_output_0", "\"1999\\n\"",
                "generated_code_1", "total = unit * 2\nprint(total)", "code_output_1", "\"3998\\n\""));
    }
}
