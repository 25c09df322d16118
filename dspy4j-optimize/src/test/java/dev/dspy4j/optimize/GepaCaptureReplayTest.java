package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays DSPy 3.3.1's captured GEPA run ({@code shared/next/optimizers/gepa_module}): the same
 * 302 LM calls in the same order with the same messages and kwargs, the same detailed results and
 * the same saved program. Lives here rather than in {@code dspy4j-test}'s {@code OptimizerCapturesTest}
 * because that module cannot depend on this one (this one tests with it).
 */
class GepaCaptureReplayTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The captured {@code CueThenClassify} module. */
    static final class CueThenClassify extends Module {
        final Predict extract = Predict.of("review -> cue");
        final ChainOfThought classify = ChainOfThought.of("review, cue -> sentiment: Literal['positive', 'negative']");

        @Override
        protected Prediction forward(Example inputs) {
            String review = inputs.getString("review");
            Map<String, Object> first = new LinkedHashMap<>();
            first.put("review", review);
            String cue = extract.call(first).getString("cue");
            Map<String, Object> second = new LinkedHashMap<>();
            second.put("review", review);
            second.put("cue", cue);
            return classify.call(second);
        }
    }

    /** The capture's metric: exact match, with feedback naming the predictor when asked for one. */
    static final Metric FEEDBACK_METRIC = (example, prediction, context) -> {
        String gold = example.getString("sentiment");
        String got = String.valueOf(prediction.get("sentiment"));
        boolean right = gold.equals(got);
        String text = right ? "Correct: the review is " + gold + "."
                : "Wrong: answered '" + got + "' but the review is " + gold + ".";
        if (context instanceof MetricContext.Feedback feedback) {
            text += " (feedback for " + feedback.predictorPath() + ")";
        }
        return Score.of(right ? 1.0 : 0.0, text);
    };

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) throws Exception {
        return JSON.readValue(Files.readString(file), Map.class);
    }

    private static Path folder() {
        String shared = System.getProperty("dspy4j.shared");
        Path folder = shared == null ? null : Path.of(shared, "next", "optimizers", "gepa_module");
        if (folder == null || !Files.isDirectory(folder)) {
            // a missing capture must not pass silently: the shared cases sit beside the checkout
            throw new IllegalStateException("Cannot find shared/next/optimizers/gepa_module; run from the "
                    + "repository with ../shared beside it, or pass -Ddspy4j.shared=/path/to/shared");
        }
        return folder;
    }

    @SuppressWarnings("unchecked")
    private static List<Example> examples(Object raw) {
        List<Example> out = new ArrayList<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) raw) {
            out.add(Example.of(row).withInputs("review"));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void replaysDspysGepaRunCallForCallWithTheSameResultsAndSavedProgram(@TempDir Path tmp) throws Exception {
        // given: the captured program, data, metric and scripted LMs
        Path folder = folder();
        Map<String, Object> setup = read(folder.resolve("setup.json"));
        List<Map<String, Object>> calls = (List<Map<String, Object>>) read(folder.resolve("calls.json")).get("calls");
        Map<String, Object> result = read(folder.resolve("result.json"));
        Map<String, Map<String, Object>> signatures = (Map<String, Map<String, Object>>) setup.get("signatures");
        Module student = new CueThenClassify().mapState((path, state) -> {
            var signature = state.signature().withInstructions((String) signatures.get(path).get("instructions"));
            if (path.equals("extract")) {
                signature = signature.withField("cue", f -> f.withDescription("a few words copied from the review"));
            }
            return state.withSignature(signature);
        });
        List<String> mismatches = new ArrayList<>();
        int[] next = {0};
        java.util.function.BiFunction<String, LmRequest, LmResponse> replay = (lm, request) -> {
            int i = next[0]++;
            if (i >= calls.size()) {
                mismatches.add("call " + i + " beyond the " + calls.size() + " captured");
                return LmResponse.of("");
            }
            Map<String, Object> call = calls.get(i);
            if (!lm.equals(call.get("lm"))) {
                mismatches.add("call " + i + " went to " + lm + ", DSPy's to " + call.get("lm"));
            }
            List<Map<String, Object>> expected = call.containsKey("prompt")
                    ? List.of(Map.of("role", "user", "content", call.get("prompt")))
                    : (List<Map<String, Object>>) call.get("messages");
            List<Map<String, Object>> actual = new ArrayList<>();
            for (Message m : request.messages()) {
                actual.add(Map.of("role", m.role().wireName(), "content", m.text()));
            }
            if (!actual.equals(expected)) {
                mismatches.add("call " + i + " (" + call.get("component") + ") messages differ:\n" + actual
                        + "\nDSPy:\n" + expected);
            }
            Map<String, Object> kwargs = new LinkedHashMap<>((Map<String, Object>) call.get("lm_kwargs"));
            kwargs.putAll((Map<String, Object>) call.get("call_kwargs"));
            if (!request.options().toWireMap().equals(kwargs)) {
                mismatches.add("call " + i + " kwargs " + request.options().toWireMap() + ", DSPy's " + kwargs);
            }
            return LmResponse.of(((List<String>) call.get("responses")).get(0));
        };
        ScriptedLm taskLm = ScriptedLm.responding(request -> replay.apply("task-lm", request));
        ScriptedLm reflectionLm = ScriptedLm.responding(request -> replay.apply("reflection-lm", request));
        DspyContext context = DspyContext.of(taskLm).withAdapter(ChatAdapter.DEFAULT)
                .withOptions(LmOptions.NONE.withTemperature(0.0).withMaxTokens(1000));
        Map<String, Object> args = (Map<String, Object>) setup.get("optimizer_args");
        Gepa gepa = Gepa.builder().metric(FEEDBACK_METRIC).reflectionLm(reflectionLm)
                .reflectionOptions(LmOptions.NONE.withTemperature(1.0).withMaxTokens(32000))
                .maxMetricCalls((Integer) args.get("max_metric_calls"))
                .reflectionMinibatchSize((Integer) args.get("reflection_minibatch_size"))
                .seed(((Integer) args.get("seed")).longValue())
                .build(); // use_merge=True in the capture, but no merge found two candidates to combine

        // when
        GepaResult run = gepa.optimize(student, examples(setup.get("trainset")), examples(setup.get("valset")), context);

        // then: DSPy's calls, in order
        assertThat(mismatches).isEmpty();
        assertThat(next[0]).isEqualTo(calls.size());
        // and DSPy's detailed results
        Map<String, Object> report = (Map<String, Object>) result.get("report");
        assertThat(run.candidates()).isEqualTo(report.get("candidates"));
        List<List<Integer>> parents = new ArrayList<>();
        for (List<Integer> p : (List<List<Integer>>) report.get("parents")) {
            parents.add(p.stream().filter(java.util.Objects::nonNull).toList());
        }
        assertThat(run.parents()).isEqualTo(parents);
        assertThat(run.valAggregateScores()).isEqualTo(report.get("val_aggregate_scores"));
        List<List<Double>> subscores = new ArrayList<>();
        for (Map<String, Object> byId : (List<Map<String, Object>>) report.get("val_subscores")) {
            List<Double> row = new ArrayList<>();
            for (int v = 0; v < byId.size(); v++) {
                row.add(((Number) byId.get(String.valueOf(v))).doubleValue());
            }
            subscores.add(row);
        }
        assertThat(run.valSubscores()).isEqualTo(subscores);
        Map<String, List<Integer>> best = (Map<String, List<Integer>>) report.get("per_val_instance_best_candidates");
        for (int v = 0; v < best.size(); v++) {
            assertThat(run.perValInstanceBestCandidates().get(v)).isEqualTo(new TreeSet<>(best.get(String.valueOf(v))));
        }
        assertThat(run.discoveryEvalCounts()).isEqualTo(report.get("discovery_eval_counts"));
        assertThat(run.totalMetricCalls()).isEqualTo(report.get("total_metric_calls"));
        assertThat(run.numFullValEvals()).isEqualTo(report.get("num_full_val_evals"));
        assertThat(run.bestIdx()).isEqualTo(report.get("best_idx"));
        assertThat(run.maxMetricCalls()).isEqualTo(report.get("max_metric_calls"));
        // and DSPy's saved program (its predictors' state)
        Path saved = tmp.resolve("program.json");
        run.bestProgram().save(saved);
        Map<String, Object> ours = read(saved);
        Map<String, Object> theirs = (Map<String, Object>) result.get("program_json");
        for (String path : List.of("extract", "classify.predict")) {
            assertThat(ours.get(path)).as("saved state of %s", path).isEqualTo(theirs.get(path));
        }
    }
}
