package dev.dspy4j.saved;

import static dev.dspy4j.saved.SavedPrograms.expectedMessages;
import static dev.dspy4j.saved.SavedPrograms.list;
import static dev.dspy4j.saved.SavedPrograms.object;
import static dev.dspy4j.saved.SavedPrograms.wire;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.testkit.ScriptedLm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * DSPy's multi-hop example ({@code 04_multihop_list_of_cot}) written as a real Java module: its
 * predictors are found by reflection over its fields, it loads the file DSPy saved, and two runs
 * end to end send exactly DSPy's requests and return DSPy's outputs.
 */
class MultiHopProgramTest {

    private static final Path FOLDER = SavedPrograms.folder("04_multihop_list_of_cot");

    /** The fake search DSPy's run used: two passages per query. */
    static List<String> search(String query) {
        return List.of("Passage 1 about " + query, "Passage 2 about " + query);
    }

    /** The Java counterpart of the Python {@code MultiHop} module that saved the file. */
    static final class MultiHop extends Module {

        final List<ChainOfThought> generateQuery = List.of(
                ChainOfThought.of("context: list[str], question -> query"),
                ChainOfThought.of("context: list[str], question -> query"),
                ChainOfThought.of("context: list[str], question -> query"));
        final ChainOfThought generateAnswer = ChainOfThought.of("context: list[str], question -> answer");
        private final Function<String, List<String>> searchFunction;

        MultiHop(Function<String, List<String>> searchFunction) {
            this.searchFunction = searchFunction;
        }

        @Override
        protected Prediction forward(Example inputs) {
            String question = inputs.getString("question");
            List<String> context = new ArrayList<>();
            for (ChainOfThought hop : generateQuery) {
                String query = hop.call(Map.of("context", List.copyOf(context), "question", question))
                        .getString("query");
                context.addAll(searchFunction.apply(query));
            }
            return generateAnswer.call(Map.of("context", List.copyOf(context), "question", question));
        }
    }

    @Test
    void predictorPathsFoundByReflectionMatchDspysNamedPredictors() {
        Map<String, Object> structure = SavedPrograms.readObject(FOLDER.resolve("structure.json"));

        MultiHop program = new MultiHop(MultiHopProgramTest::search);

        assertThat(program.namedPredictors().keySet())
                .containsExactly("generate_query[0].predict", "generate_query[1].predict",
                        "generate_query[2].predict", "generate_answer.predict")
                .containsExactlyElementsOf(list(structure.get("named_predictors")).stream()
                        .map(String.class::cast).toList());
        assertThat(program.namedPredictors().get("generate_query[1].predict"))
                .isSameAs(program.generateQuery.get(1).predict());
    }

    @Test
    void loadedMultiHopSendsDspysRequestsAndReturnsDspysOutputsOnBothRuns() {
        // given: DSPy's saved state loaded into the hand-written module
        List<Map<String, Object>> cases = SavedPrograms.readObjects(FOLDER.resolve("cases.json"));
        List<Map<String, Object>> runs = SavedPrograms.readObjects(FOLDER.resolve("runs.json"));
        Module loaded = new MultiHop(MultiHopProgramTest::search).load(FOLDER.resolve("program.json"));
        ScriptedLm lm = ScriptedLm.replying(cases.stream().map(c -> (String) c.get("lm_response"))
                .toArray(String[]::new));
        DspyContext context = DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT);

        // when: both runs go end to end, feeding the scripted replies back in order
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (Map<String, Object> run : runs) {
            outputs.add(loaded.call(object(run.get("program_inputs")), context).toMap());
        }

        // then: every request is DSPy's, byte for byte, and so are the program's outputs
        assertThat(lm.callCount()).isEqualTo(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> entry = cases.get(i);
            assertThat(wire(lm.requests().get(i)))
                    .as("request %s (%s)", entry.get("call"), entry.get("predictor"))
                    .isEqualTo(expectedMessages(entry));
            assertThat(lm.requests().get(i).options().toWireMap())
                    .as("LM kwargs of request %s", entry.get("call"))
                    .isEqualTo(object(entry.get("expected_lm_kwargs")));
        }
        for (int r = 0; r < runs.size(); r++) {
            assertThat(outputs.get(r)).as("outputs of run %s", r).usingComparator(ByValue.COMPARATOR, "by value")
                    .isEqualTo(object(runs.get(r).get("program_outputs")));
        }
    }

    @Test
    void theHandWrittenModuleBoundToTheThreadRunsTheSameAsWithAnExplicitContext() {
        List<Map<String, Object>> cases = SavedPrograms.readObjects(FOLDER.resolve("cases.json"));
        List<Map<String, Object>> runs = SavedPrograms.readObjects(FOLDER.resolve("runs.json"));
        Module loaded = new MultiHop(MultiHopProgramTest::search).load(FOLDER.resolve("program.json"));
        ScriptedLm lm = ScriptedLm.replying(cases.stream().limit(4).map(c -> (String) c.get("lm_response"))
                .toArray(String[]::new));

        Prediction first;
        try (DspyContext.Scope ignored = DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT).bind()) {
            first = loaded.call(object(runs.get(0).get("program_inputs")));
        }

        assertThat(first.toMap()).usingComparator(ByValue.COMPARATOR, "by value")
                .isEqualTo(object(runs.get(0).get("program_outputs")));
        for (int i = 0; i < 4; i++) {
            assertThat(wire(lm.requests().get(i))).isEqualTo(expectedMessages(cases.get(i)));
        }
    }

    @Test
    void savingTheLoadedMultiHopReproducesDspysFile() {
        Path file = FOLDER.resolve("program.json");

        Module loaded = new MultiHop(MultiHopProgramTest::search).load(file);

        assertThat(loaded.state().toJson()).isEqualTo(SavedPrograms.text(file));
    }
}
