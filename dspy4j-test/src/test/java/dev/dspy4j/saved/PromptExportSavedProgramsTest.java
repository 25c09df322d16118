package dev.dspy4j.saved;

import static dev.dspy4j.saved.SavedPrograms.expectedMessages;
import static dev.dspy4j.saved.SavedPrograms.object;
import static dev.dspy4j.saved.SavedPrograms.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.export.PromptExport;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.testkit.ScriptedLm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The prompt export of every program DSPy saved ({@code shared/dspy-saved} and
 * {@code shared/next/dspy-saved}): the program is rebuilt, DSPy's file loaded, the result exported,
 * and for every LM call DSPy recorded, the request rendered from the export for that call's inputs
 * must carry DSPy's messages byte for byte and equal the request a {@code Predict} with the loaded
 * state sends. The JSON export is stable and holds no secret.
 */
class PromptExportSavedProgramsTest {

    private static final String API_KEY = "sk-export-test-secret-0123456789";

    @TestFactory
    Stream<DynamicTest> everySavedProgramsCallsRenderFromItsExportByteForByte() {
        List<Path> folders = new ArrayList<>(SavedPrograms.folders());
        folders.addAll(SavedPrograms.nextFolders());
        return folders.stream().map(folder -> dynamicTest(folder.getFileName()
                + ": export, then render(inputs) of every recorded call equals DSPy's and Predict's request",
                () -> checkFolder(folder)));
    }

    private static void checkFolder(Path folder) {
        // given: DSPy's saved program, loaded into the program its code defines
        Map<String, Object> structure = SavedPrograms.readObject(folder.resolve("structure.json"));
        Module program = SavedPrograms.build(object(structure.get("module")), new SavedPrograms.ScriptedTools());
        Module loaded = program.load(folder.resolve("program.json"));

        // when: it is exported under the adapter DSPy used
        PromptExport export = PromptExport.of(loaded, DspyContext.of(ScriptedLm.replying()).withAdapter(ChatAdapter.DEFAULT));

        // then: every recorded call renders from the export as DSPy sent it, and as Predict sends it
        assertThat(export.predictors().keySet()).containsExactlyElementsOf(loaded.namedPredictors().keySet());
        int rendered = 0;
        for (Map<String, Object> entry : SavedPrograms.readObjects(folder.resolve("cases.json"))) {
            String path = (String) entry.get("predictor");
            Map<String, Object> inputs = object(entry.get("inputs"));
            if (!export.predictors().containsKey(path) || inputs.containsKey("hint_")) {
                continue; // an ad hoc predictor of Refine, or a call Refine extends with its hint
            }
            String label = folder.getFileName() + ", call " + entry.get("call") + " (" + path + ")";
            LmRequest request = export.predictor(path).render(inputs);
            assertThat(wire(request)).as(label + ": messages").isEqualTo(expectedMessages(entry));

            PredictorState state = loaded.state().predictor(path);
            ScriptedLm lm = ScriptedLm.replying((String) entry.get("lm_response"));
            new Predict(state.signature()).withDemos(state.demos())
                    .withOptions(loaded.namedPredictors().get(path).options())
                    .call(inputs, DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));
            assertThat(request).as(label + ": the request Predict sends").isEqualTo(lm.lastRequest());
            rendered++;
        }
        assertThat(rendered).as("calls rendered from the export of %s", folder.getFileName()).isPositive();
    }

    @Test
    void exportsTheSameProgramToTheSameBytesAndWritesNoApiKey() {
        // given: a saved program and an LM configured with a key
        Path folder = SavedPrograms.folders().getFirst();
        Map<String, Object> structure = SavedPrograms.readObject(folder.resolve("structure.json"));
        Module loaded = SavedPrograms.build(object(structure.get("module"))).load(folder.resolve("program.json"));
        DspyContext context = DspyContext.of(OpenAiLm.builder().model("openai/gpt-4o-mini")
                .apiKey(API_KEY).baseUrl("http://127.0.0.1:9/v1").build()).withAdapter(ChatAdapter.DEFAULT);

        // when: it is exported twice, once from a fresh load
        String first = PromptExport.of(loaded, context).toJson();
        Module again = SavedPrograms.build(object(structure.get("module"))).load(folder.resolve("program.json"));
        String second = PromptExport.of(again, context).toJson();

        // then: same bytes, the model named, the key nowhere
        assertThat(second).isEqualTo(first);
        assertThat(first).contains("\"model\": \"openai/gpt-4o-mini\"").doesNotContain(API_KEY)
                .doesNotContain("api_key");
        assertThat(PromptExport.of(loaded, context).toMarkdown()).doesNotContain(API_KEY);
    }
}
