package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.ScriptedLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays DSPy 3.3.1's captured MIPROv2 run ({@code shared/next/optimizers/mipro_zeroshot_predict}):
 * zero-shot, 3 candidates, 4 full-valset trials, seed 0. The sampler replays the instruction indices
 * optuna chose ({@code report.trial_logs}); everything else (the seeded draws, the 62 LM calls, the
 * scores and the saved program) must come out as DSPy's.
 *
 * <p>The optimizer is in this module and the shared capture test ({@code OptimizerCapturesTest} in
 * dspy4j-test) cannot depend on it without a module cycle, so the replay lives here and that test
 * points to it.
 */
class MiproV2CaptureTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static Path folder() {
        String configured = System.getProperty("dspy4j.shared");
        List<Path> roots = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            roots.add(Path.of(configured));
        }
        roots.add(Path.of("../../shared"));
        roots.add(Path.of("../shared"));
        for (Path root : roots) {
            Path folder = root.resolve("next/optimizers/mipro_zeroshot_predict");
            if (Files.isDirectory(folder)) {
                return folder;
            }
        }
        throw new IllegalStateException("Cannot find shared/next/optimizers/mipro_zeroshot_predict; pass "
                + "-Ddspy4j.shared=/path/to/shared.");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String file) throws Exception {
        return JSON.readValue(folder().resolve(file).toFile(), Map.class);
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object value) {
        return (T) value;
    }

    record Call(String lm, LmRequest request) {}

    @Test
    void replayingOptunasChoicesReproducesDspysCallsScoresAndSavedProgram() throws Exception {
        // given: the captured setup, and LMs answering with the captured responses in order
        Map<String, Object> setup = read("setup.json");
        Map<String, Object> result = read("result.json");
        List<Map<String, Object>> calls = cast(read("calls.json").get("calls"));
        Map<String, Object> schema = cast(((Map<String, Object>) setup.get("signatures")).get("self"));
        List<Map<String, Object>> fields = cast(schema.get("fields"));
        Signature signature = Signature.parse(fields.get(0).get("name") + " -> " + fields.get(1).get("name") + ": "
                + fields.get(1).get("type")).withInstructions((String) schema.get("instructions"))
                .withName((String) schema.get("name"));
        List<Example> trainset = examples(setup.get("trainset"));
        List<Example> valset = examples(setup.get("valset"));
        List<Call> seen = new ArrayList<>();
        ScriptedLm taskLm = ScriptedLm.answering(request -> answer(calls, seen, "task-lm", request));
        ScriptedLm promptLm = ScriptedLm.answering(request -> answer(calls, seen, "prompt-lm", request));
        DspyContext context = DspyContext.of(taskLm).withAdapter(ChatAdapter.DEFAULT)
                .withOptions(LmOptions.NONE.withTemperature(0.0).withMaxTokens(1000));
        Map<String, Map<String, Object>> trialLogs = cast(((Map<String, Object>) result.get("report")).get("trial_logs"));
        List<Map<String, Integer>> choices = new ArrayList<>();
        for (int n = 2; n <= trialLogs.size(); n++) {
            choices.add(Map.of("0_predictor_instruction",
                    ((Number) trialLogs.get(String.valueOf(n)).get("0_predictor_instruction")).intValue()));
        }
        Map<String, Object> args = cast(setup.get("optimizer_args"));
        Map<String, Object> compileArgs = cast(setup.get("compile_args"));
        MiproV2 mipro = MiproV2.builder()
                .metric(Metric.of((ex, pred) -> ex.get("sentiment").equals(pred.get("sentiment"))))
                .promptLm(promptLm).auto(MiproV2.Auto.OFF)
                .numCandidates((Integer) args.get("num_candidates")).numTrials((Integer) compileArgs.get("num_trials"))
                .minibatch((Boolean) compileArgs.get("minibatch")).seed((Integer) args.get("seed"))
                .maxBootstrappedDemos((Integer) args.get("max_bootstrapped_demos"))
                .maxLabeledDemos((Integer) args.get("max_labeled_demos"))
                .concurrency(1).sampler(seed -> TrialSampler.replaying(choices)).build();

        // when
        MiproResult found = mipro.search(new Predict(signature), trainset, valset, context);

        // then: the same calls, in the same order, byte for byte, with the same kwargs
        assertThat(seen).hasSize(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            Map<String, Object> expected = calls.get(i);
            LmRequest request = seen.get(i).request();
            assertThat(seen.get(i).lm()).as("LM of call %s", i).isEqualTo(expected.get("lm"));
            List<Map<String, Object>> messages = cast(expected.get("messages"));
            assertThat(request.messages()).as("messages of call %s (%s)", i, expected.get("component"))
                    .hasSize(messages.size());
            for (int m = 0; m < messages.size(); m++) {
                Message message = request.messages().get(m);
                assertThat(message.role().wireName()).isEqualTo(messages.get(m).get("role"));
                assertThat(message.text()).as("message %s of call %s (%s)", m, i, expected.get("component"))
                        .isEqualTo(messages.get(m).get("content"));
            }
            Map<String, Object> kwargs = new LinkedHashMap<>(cast(expected.get("lm_kwargs")));
            Object rolloutId = kwargs.remove("rollout_id");
            kwargs.putAll(cast(expected.get("call_kwargs")));
            assertThat(request.options().toWireMap()).as("kwargs of call %s", i).isEqualTo(kwargs);
            assertThat(request.options().rolloutId()).as("rollout_id of call %s", i).isEqualTo(rolloutId);
        }
        // and the same trials, scores and winner
        Map<String, Object> report = cast(result.get("report"));
        assertThat(found.bestScore()).isEqualTo(((Number) report.get("score")).doubleValue());
        assertThat(found.trials()).hasSize(trialLogs.size());
        for (MiproTrial trial : found.trials()) {
            Map<String, Object> log = trialLogs.get(String.valueOf(trial.number()));
            assertThat(trial.score()).as("score of trial %s", trial.number())
                    .isEqualTo(((Number) log.get("full_eval_score")).doubleValue());
            assertThat(trial.evaluationCallsSoFar()).isEqualTo(log.get("total_eval_calls_so_far"));
            assertThat(trial.instructions()).isEqualTo(log.get("full_eval_instructions"));
        }
        assertThat(found.fullEvaluations()).extracting(MiproTrial::score).containsExactlyElementsOf(
                ((List<Map<String, Object>>) report.get("candidate_programs_full_eval")).stream()
                        .map(c -> ((Number) c.get("score")).doubleValue()).toList());
        // the saved program, but for the dependency versions (the capture's environment had cloudpickle 2.1)
        Map<String, Object> saved = new LinkedHashMap<>(cast(JSON.readValue(found.bestProgram().state().toJson(), Map.class)));
        Map<String, Object> expectedSaved = new LinkedHashMap<>(cast(result.get("program_json")));
        assertThat(saved.remove("metadata")).isNotNull();
        expectedSaved.remove("metadata");
        assertThat(saved).isEqualTo(expectedSaved);
        assertThat(found.bestProgram().state().predictor("self").signature().instructions())
                .isEqualTo(((Map<String, Object>) result.get("final_instructions")).get("self"));
    }

    private static String answer(List<Map<String, Object>> calls, List<Call> seen, String lm, LmRequest request) {
        int index = seen.size();
        seen.add(new Call(lm, request));
        if (index >= calls.size()) {
            return "[[ ## completed ## ]]";   // an extra call: the size check above reports it
        }
        List<String> responses = cast(calls.get(index).get("responses"));
        return responses.get(0);
    }

    private static List<Example> examples(Object raw) {
        List<Map<String, Object>> rows = cast(raw);
        return rows.stream().map(row -> Example.of(row).withInputs("review")).toList();
    }
}
