package dev.dspy4j.saved;

import static dev.dspy4j.saved.SavedPrograms.expectedMessages;
import static dev.dspy4j.saved.SavedPrograms.expectedOutputs;
import static dev.dspy4j.saved.SavedPrograms.list;
import static dev.dspy4j.saved.SavedPrograms.object;
import static dev.dspy4j.saved.SavedPrograms.objects;
import static dev.dspy4j.saved.SavedPrograms.view;
import static dev.dspy4j.saved.SavedPrograms.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.module.ProgramOfThought;
import dev.dspy4j.module.ReAct;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.ScriptedLm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every program DSPy 3.3.1 saved under {@code shared/dspy-saved/} loads into the same program built
 * in Java, renders exactly the messages DSPy rendered after loading, parses the replies, and saves
 * back to the identical file. One dynamic test per folder, so folders added later run too.
 */
class DspySavedProgramsTest {

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> eachProgramSavedByDspyLoadsReplaysItsPromptsAndSavesBackIdentically() {
        return SavedPrograms.folders().stream().map(folder -> dynamicTest(
                folder.getFileName() + ": loads, replays cases.json byte for byte, resaves program.json",
                () -> checkFolder(folder)));
    }

    /** Module types whose programs {@link SavedPrograms#build} can rebuild today. */
    private static final Set<String> BUILT = Set.of("Predict", "ChainOfThought", "custom", "ReAct",
            "MultiChainComparison", "BestOfN", "Refine", "ProgramOfThought");

    @TestFactory
    Stream<DynamicTest> eachProgramCapturedForFeaturesInProgressRunsOnceItsModulesExist() {
        return SavedPrograms.nextFolders().stream().map(folder -> dynamicTest(
                "next/" + folder.getFileName() + ": loads, replays cases.json byte for byte, resaves program.json",
                () -> {
                    Map<String, Object> structure = SavedPrograms.readObject(folder.resolve("structure.json"));
                    Set<String> missing = new TreeSet<>(SavedPrograms.moduleTypes(structure.get("module")));
                    missing.removeAll(BUILT);
                    Assumptions.assumeTrue(missing.isEmpty(), () -> "needs the module(s) " + missing
                            + ", not built yet");
                    checkFolder(folder);
                }));
    }

    private void checkFolder(Path folder) {
        // given: the program as its code defines it
        Map<String, Object> structure = SavedPrograms.readObject(folder.resolve("structure.json"));
        Map<String, Object> module = object(structure.get("module"));
        SavedPrograms.ScriptedTools tools = new SavedPrograms.ScriptedTools();
        List<Map<String, Object>> cases = SavedPrograms.readObjects(folder.resolve("cases.json"));
        cases.stream().filter(c -> FEEDBACK.equals(c.get("predictor"))).findFirst().ifPresent(c -> {
            tools.programCode = (String) object(c.get("inputs")).get("program_code");
            tools.rewardCode = (String) object(c.get("inputs")).get("reward_code");
        });
        Module program = SavedPrograms.build(module, tools);

        assertThat(program.namedPredictors().keySet())
                .as("namedPredictors() of %s", folder.getFileName())
                .containsExactlyElementsOf(list(structure.get("named_predictors")).stream().map(String.class::cast)
                        .toList());
        SavedPrograms.predictNodes(module).forEach((path, node) ->
                assertThat(view(program.namedPredictors().get(path).signature()))
                        .as("code-level signature of %s", path)
                        .isEqualTo(view(object(node.get("signature")))));

        // when: DSPy's file is loaded
        Path programFile = folder.resolve("program.json");
        Module loaded = program.load(programFile);
        Map<String, Object> savedFile = SavedPrograms.readObject(programFile);

        // then: instructions and descriptions come from the file, names and types from the code
        Map<String, Object> afterLoad = object(structure.get("signatures_after_load"));
        assertThat(loaded.state().predictors().keySet()).containsExactlyElementsOf(afterLoad.keySet());
        afterLoad.forEach((path, schema) -> {
            PredictorState state = loaded.state().predictor(path);
            assertThat(view(state.signature())).as("signature of %s after load", path)
                    .isEqualTo(view(object(schema)));
            Map<String, Object> saved = path.equals("self") && !savedFile.containsKey("self")
                    ? savedFile : object(savedFile.get(path));
            List<Map<String, Object>> savedFields = objects(object(saved.get("signature")).get("fields"));
            List<Field> fields = state.signature().fields();
            for (int i = 0; i < fields.size(); i++) {
                assertThat(fields.get(i).prefix()).as("prefix of field %s of %s (applied by position)",
                        fields.get(i).name(), path).isEqualTo(savedFields.get(i).get("prefix"));
            }
            assertThat(state.demos()).as("demos of %s", path).hasSize(list(saved.get("demos")).size());
        });
        // loading leaves the program it was given untouched
        assertThat(program.state().predictors().values()).allSatisfy(s ->
                assertThat(s.demos()).isEmpty());

        // and: every LM call replays byte for byte, in call order
        Set<String> types = SavedPrograms.moduleTypes(module);
        if (program instanceof ReAct || program instanceof ProgramOfThought) {
            replayAgentRuns(loaded, cases, SavedPrograms.readObjects(folder.resolve("runs.json")), tools);
        } else if (types.contains("MultiChainComparison") || types.contains("BestOfN") || types.contains("Refine")) {
            replayWholeRuns(loaded, cases, SavedPrograms.readObjects(folder.resolve("runs.json")));
        } else {
            replayCalls(program, loaded, cases, SavedPrograms.readObjects(folder.resolve("runs.json")));
        }

        // finally: saving the loaded program gives DSPy's file back, byte for byte
        String original = SavedPrograms.text(programFile);
        assertThat(loaded.state().toJson()).as("resaved %s", programFile).isEqualTo(original);
        Path resaved = temp.resolve(folder.getFileName() + ".json");
        loaded.save(resaved);
        assertThat(SavedPrograms.text(resaved)).isEqualTo(original);
    }

    /**
     * Replays each run of an agent whole: its LM calls depend on the tools' observations, so they
     * cannot be made one at a time. The LM replies with the run's captured responses in order, the
     * tools with the run's captured observations; every request must be DSPy's byte for byte, the
     * tools must be called with DSPy's arguments, and the outputs (trajectory included) must be
     * DSPy's.
     */
    private static void replayAgentRuns(Module loaded, List<Map<String, Object>> cases,
                                        List<Map<String, Object>> runs, SavedPrograms.ScriptedTools tools) {
        for (Map<String, Object> run : runs) {
            int index = ((Number) run.get("run")).intValue();
            List<Map<String, Object>> calls = cases.stream()
                    .filter(c -> ((Number) c.get("run")).intValue() == index).toList();
            ScriptedLm lm = ScriptedLm.replying(calls.stream().map(c -> (String) c.get("lm_response"))
                    .toArray(String[]::new));
            List<Map<String, Object>> toolCalls = objects(run.get("tool_calls"));
            tools.expect(toolCalls);
            List<String> executed = run.containsKey("interpreter_executed")
                    ? list(run.get("interpreter_executed")).stream().map(String.class::cast).toList() : List.of();
            tools.expectCode(executed, calls);

            Prediction prediction = loaded.call(object(run.get("program_inputs")),
                    DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));

            assertThat(lm.callCount()).as("LM calls of run %s", index)
                    .isEqualTo(((Number) run.get("lm_calls")).intValue()).isEqualTo(calls.size());
            for (int i = 0; i < calls.size(); i++) {
                Map<String, Object> entry = calls.get(i);
                String label = "run " + index + ", call " + entry.get("call") + " (" + entry.get("predictor") + ")";
                assertThat(wire(lm.requests().get(i))).as(label + ": messages").isEqualTo(expectedMessages(entry));
                assertThat(lm.requests().get(i).options().toWireMap()).as(label + ": LM kwargs")
                        .isEqualTo(object(entry.get("expected_lm_kwargs")));
                crossCheckStandalone(loaded, entry, label);
            }
            assertThat(tools.remaining()).as("tool calls of run %s not made", index).isZero();
            assertThat(tools.executedCode()).as("code run by the interpreter in run %s", index)
                    .isEqualTo(executed);
            assertThat(tools.calls()).as("tool calls of run %s", index)
                    .usingElementComparator(ByValue.COMPARATOR)
                    .containsExactlyElementsOf(toolCalls.stream().filter(c -> !"finish".equals(c.get("tool")))
                            .map(c -> Map.of("tool", c.get("tool"), "args", c.get("args"))).toList());
            assertThat(prediction.toMap()).as("outputs of run %s", index)
                    .usingComparator(ByValue.COMPARATOR, "by value")
                    .isEqualTo(object(run.get("program_outputs")));
        }
    }

    /** The name {@code cases.json} gives Refine's ad hoc feedback predictor. */
    private static final String FEEDBACK = "(ad hoc dspy.Predict(OfferFeedback))";

    /**
     * Replays each run whole, for programs whose calls depend on each other or are shaped by the
     * module (MultiChainComparison formats its completions; BestOfN and Refine decide from the
     * rewards whether to call again, with which rollout id, and Refine asks for feedback and adds
     * the hint). The context carries the options DSPy's LM had ({@code lm_instance_kwargs} of the
     * calls made with the configured LM itself), so every request must carry DSPy's instance
     * kwargs overridden by the call's kwargs, with DSPy's rollout id; the messages must be DSPy's
     * byte for byte and the outputs DSPy's.
     */
    private static void replayWholeRuns(Module loaded, List<Map<String, Object>> cases,
                                        List<Map<String, Object>> runs) {
        Map<String, Object> base = cases.stream().map(c -> object(c.get("lm_instance_kwargs")))
                .filter(kwargs -> !kwargs.containsKey("rollout_id")).findFirst().orElseThrow();
        LmOptions baseOptions = LmOptions.NONE
                .withTemperature(((Number) base.get("temperature")).doubleValue())
                .withMaxTokens(((Number) base.get("max_tokens")).intValue());
        assertThat(base.keySet()).as("the configured LM's kwargs").containsExactlyInAnyOrder("temperature", "max_tokens");
        for (Map<String, Object> run : runs) {
            int index = ((Number) run.get("run")).intValue();
            List<Map<String, Object>> calls = cases.stream()
                    .filter(c -> ((Number) c.get("run")).intValue() == index).toList();
            ScriptedLm lm = ScriptedLm.replying(calls.stream().map(c -> (String) c.get("lm_response"))
                    .toArray(String[]::new));

            Prediction prediction = loaded.call(object(run.get("program_inputs")),
                    DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT).withOptions(baseOptions));

            assertThat(lm.callCount()).as("LM calls of run %s", index)
                    .isEqualTo(((Number) run.get("lm_calls")).intValue()).isEqualTo(calls.size());
            for (int i = 0; i < calls.size(); i++) {
                Map<String, Object> entry = calls.get(i);
                String label = "run " + index + ", call " + entry.get("call") + " (" + entry.get("predictor") + ")";
                LmRequest request = lm.requests().get(i);
                assertThat(wire(request)).as(label + ": messages").isEqualTo(expectedMessages(entry));
                Map<String, Object> kwargs = new LinkedHashMap<>(object(entry.get("lm_instance_kwargs")));
                Object rolloutId = kwargs.remove("rollout_id");
                kwargs.putAll(object(entry.get("expected_lm_kwargs")));
                assertThat(request.options().toWireMap()).as(label + ": LM kwargs, instance and call")
                        .usingComparator(ByValue.COMPARATOR, "by value").isEqualTo(kwargs);
                assertThat(request.options().rolloutId()).as(label + ": rollout id").isEqualTo(rolloutId);
                if (!FEEDBACK.equals(entry.get("predictor")) && !object(entry.get("inputs")).containsKey("hint_")) {
                    crossCheckStandalone(loaded, entry, label);
                }
            }
            assertThat(prediction.toMap()).as("outputs of run %s", index)
                    .usingComparator(ByValue.COMPARATOR, "by value")
                    .isEqualTo(object(run.get("program_outputs")));
        }
    }

    private void replayCalls(Module program, Module loaded, List<Map<String, Object>> cases,
                             List<Map<String, Object>> runs) {
        Map<Integer, Prediction> lastPredictionOfRun = new LinkedHashMap<>();
        Map<Integer, Integer> callsPerRun = new LinkedHashMap<>();
        for (Map<String, Object> entry : cases) {
            Prediction prediction = replay(program, loaded, entry);
            int run = ((Number) entry.get("run")).intValue();
            lastPredictionOfRun.put(run, prediction);
            callsPerRun.merge(run, 1, Integer::sum);
        }

        for (Map<String, Object> run : runs) {
            int index = ((Number) run.get("run")).intValue();
            assertThat(callsPerRun.get(index)).as("LM calls of run %s", index)
                    .isEqualTo(((Number) run.get("lm_calls")).intValue());
            // A Predict or ChainOfThought program returns its single call's prediction; a custom
            // program's outputs depend on its forward(), checked by hand-written tests instead.
            if (program instanceof Predict || program instanceof ChainOfThought) {
                assertThat(lastPredictionOfRun.get(index).toMap()).as("outputs of run %s", index)
                        .usingComparator(ByValue.COMPARATOR, "by value")
                        .isEqualTo(object(run.get("program_outputs")));
            }
        }
    }

    /**
     * Replays one LM call of {@code cases.json}.
     *
     * <p>The call goes through the loaded program itself, so the real path is exercised: the
     * loaded program binds its learned state as a context overlay and the structural predictor
     * picks it up. A bare Predict or ChainOfThought program is called directly; a custom program
     * routes the call to the entry's predictor (see {@link SavedPrograms.GenericProgram}). Calling
     * {@code loaded.namedPredictors().get(path)} directly would not do: that is the structural
     * predictor, which runs with the code-level state. As a cross-check, the same call is made on
     * a standalone {@code Predict} rebuilt from {@code loaded.state().predictor(path)}.
     */
    private static Prediction replay(Module program, Module loaded, Map<String, Object> entry) {
        String path = (String) entry.get("predictor");
        String reply = (String) entry.get("lm_response");
        Map<String, Object> inputs = object(entry.get("inputs"));
        String label = "call " + entry.get("call") + " (" + path + ")";
        assertThat(loaded.namedPredictors()).as(label).containsKey(path);

        ScriptedLm lm = ScriptedLm.replying(reply);
        DspyContext context = DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT);
        Prediction prediction;
        if (!(program instanceof SavedPrograms.GenericProgram)) {
            prediction = loaded.call(inputs, context);
        } else {
            Map<String, Object> routed = new LinkedHashMap<>(inputs);
            routed.put(SavedPrograms.GenericProgram.ROUTE, path);
            prediction = loaded.call(routed, context);
        }

        assertThat(lm.callCount()).as(label + ": LM calls").isEqualTo(1);
        assertThat(wire(lm.lastRequest())).as(label + ": messages").isEqualTo(expectedMessages(entry));
        assertThat(lm.lastRequest().options().toWireMap()).as(label + ": LM kwargs")
                .isEqualTo(object(entry.get("expected_lm_kwargs")));

        Signature signature = loaded.state().predictor(path).signature();
        assertThat(prediction.toMap()).as(label + ": parsed outputs")
                .usingComparator(ByValue.COMPARATOR, "by value")
                .isEqualTo(expectedOutputs(signature, reply));

        assertThat(crossCheckStandalone(loaded, entry, label).toMap()).isEqualTo(prediction.toMap());
        return prediction;
    }

    /** A standalone predictor built from the loaded state renders the entry's prompt too. */
    private static Prediction crossCheckStandalone(Module loaded, Map<String, Object> entry, String label) {
        PredictorState state = loaded.state().predictor((String) entry.get("predictor"));
        ScriptedLm standaloneLm = ScriptedLm.replying((String) entry.get("lm_response"));
        Prediction standalone = new Predict(state.signature()).withDemos(state.demos())
                .call(object(entry.get("inputs")), DspyContext.of(standaloneLm).withAdapter(ChatAdapter.DEFAULT));
        assertThat(wire(standaloneLm.lastRequest())).as(label + ": standalone messages")
                .isEqualTo(expectedMessages(entry));
        return standalone;
    }
}
