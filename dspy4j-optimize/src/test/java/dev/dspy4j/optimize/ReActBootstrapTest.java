package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.ReAct;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.tool.Tool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BootstrapFewShot on a ReAct agent leaves demos on both of its predictors, as DSPy does. */
class ReActBootstrapTest {

    private static final Tool LOOKUP = Tool.ofSchema("lookup", "Look a capital up.",
            Map.of("country", Map.of("type", "string")), args -> "The capital is " + args.get("country") + "ville.");

    @Test
    void bootstrappedDemosLandOnReactAndExtractPredict() {
        // given: an LM that looks the country up once, then finishes and answers from the observation
        ScriptedLm lm = ScriptedLm.answering(ReActBootstrapTest::reply);
        ReAct agent = ReAct.of("question -> answer", List.of(LOOKUP));
        List<Example> trainset = List.of(
                Example.of("question", "Capital of France?", "answer", "Franceville").withInputs("question"),
                Example.of("question", "Capital of Peru?", "answer", "Peruville").withInputs("question"));

        // when
        Module compiled = BootstrapFewShot.builder().metric(Fixtures.EXACT).maxBootstrappedDemos(2)
                .maxLabeledDemos(0).build().compile(agent, trainset, DspyContext.of(lm));

        // then: both predictors learned from the traced runs, under DSPy's paths
        assertThat(agent.state().predictors().values()).allSatisfy(s -> assertThat(s.demos()).isEmpty());
        List<Example> react = compiled.state().predictor("react").demos();
        List<Example> extract = compiled.state().predictor("extract.predict").demos();
        assertThat(react).hasSize(2).allSatisfy(demo -> {
            assertThat(demo.get("augmented")).isEqualTo(true);
            assertThat(demo.toMap().keySet()).contains("question", "trajectory", "next_thought", "next_tool_name",
                    "next_tool_args");
            // the trajectory is stored as the rendered string, the tool arguments as a map
            assertThat(demo.get("trajectory")).isInstanceOf(String.class);
            assertThat(demo.get("next_tool_args")).isInstanceOf(Map.class);
        });
        assertThat(extract).hasSize(2).allSatisfy(demo -> {
            assertThat(demo.toMap().keySet()).contains("question", "trajectory", "reasoning", "answer");
            assertThat(demo.getString("trajectory")).contains("[[ ## observation_0 ## ]]");
        });
        assertThat(extract).extracting(d -> d.get("answer")).containsExactly("Franceville", "Peruville");
    }

    private static String reply(LmRequest request) {
        String last = request.messages().get(request.messages().size() - 1).text();
        String country = last.contains("France") ? "France" : "Peru"; // the last message holds this run's inputs only
        if (last.contains("`[[ ## reasoning ## ]]`")) {
            return "[[ ## reasoning ## ]]\nThe lookup said so.\n\n[[ ## answer ## ]]\n" + country + "ville\n\n"
                    + "[[ ## completed ## ]]";
        }
        if (last.contains("[[ ## observation_0 ## ]]")) {
            return "[[ ## next_thought ## ]]\nI know it.\n\n[[ ## next_tool_name ## ]]\nfinish\n\n"
                    + "[[ ## next_tool_args ## ]]\n{}\n\n[[ ## completed ## ]]";
        }
        return "[[ ## next_thought ## ]]\nLook it up.\n\n[[ ## next_tool_name ## ]]\nlookup\n\n"
                + "[[ ## next_tool_args ## ]]\n{\"country\": \"" + country + "\"}\n\n[[ ## completed ## ]]";
    }
}
