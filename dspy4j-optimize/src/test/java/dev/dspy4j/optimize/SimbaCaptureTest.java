package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.ScriptedLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays DSPy 3.3.1's captured SIMBA run ({@code shared/next/optimizers/simba_module}): a
 * two-predictor module (Predict, then ChainOfThought), bsize 4, 3 candidates, 2 steps, 2 demos,
 * seed 0. The 186 LM calls must be DSPy's, in DSPy's order (messages byte for byte, kwargs with
 * {@code rollout_id} and temperature), and the report and saved program DSPy's. The scripted LMs
 * answer by request content, from the capture; {@code numThreads(1)} gives DSPy's single-threaded
 * order. The {@code program_code} DSPy sent (Python source) is given with
 * {@link Simba.Builder#programCode(String)}. {@code OptimizerCapturesTest} in dspy4j-test, which
 * cannot see this module, names this class as the runner of the capture.
 */
class SimbaCaptureTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A call as recorded, or as a replay LM received it. */
    private record Call(String lm, List<List<String>> messages, Map<String, Object> kwargs, Integer rolloutId) {}

    /** DSPy's {@code CueThenClassify}: quote the opinion words, then classify with them. */
    static final class CueThenClassify extends Module {
        final Predict extract;
        final ChainOfThought classify;

        CueThenClassify(Signature extract, Signature classify) {
            this.extract = new Predict(extract);
            this.classify = new ChainOfThought(classify);
        }

        @Override
        protected Prediction forward(Example in) {
            Object cue = extract.call(Map.of("review", in.get("review"))).get("cue");
            Map<String, Object> inputs = new LinkedHashMap<>(); // the trace keeps the order of the call's inputs
            inputs.put("review", in.get("review"));
            inputs.put("cue", cue);
            return classify.call(inputs);
        }
    }

    @Test
    void replaysDspysSimbaRunCallForCallAndSavesTheSameProgram() throws Exception {
        // given the capture
        Map<String, Object> setup = read("setup.json");
        Map<String, Object> result = read("result.json");
        List<Map<String, Object>> recorded = cast(read("calls.json").get("calls"));
        Map<String, Map<String, Object>> signatures = cast(setup.get("signatures"));
        Map<String, Object> extract = signatures.get("extract");
        Map<String, Object> classify = signatures.get("classify.predict");
        Signature extractSignature = Signature.parse("review -> cue").withName((String) extract.get("name"))
                .withInstructions((String) extract.get("instructions"))
                .withField("cue", f -> f.withDescription("a few words copied from the review"));
        Signature classifySignature = Signature.parse("review, cue -> sentiment: Literal['positive', 'negative']")
                .withName("CueSentiment").withInstructions((String) classify.get("instructions"));
        Module program = new CueThenClassify(extractSignature, classifySignature);
        List<Example> trainset = new ArrayList<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) cast(setup.get("trainset"))) {
            trainset.add(Example.of(row).withInputs("review"));
        }

        Map<Call, String> answers = new LinkedHashMap<>();
        List<Call> expected = new ArrayList<>();
        String programCode = null;
        for (Map<String, Object> call : recorded) {
            Call key = recordedCall(call);
            expected.add(key);
            answers.putIfAbsent(key, ((List<String>) cast(call.get("responses"))).get(0));
            if (programCode == null && "proposer:simba.offer_feedback".equals(call.get("component"))) {
                String user = key.messages().get(1).get(1);
                programCode = user.substring(user.indexOf("]]\n") + 3, user.indexOf("\n\n[[ ## modules_defn ## ]]"));
            }
        }
        List<Call> made = Collections.synchronizedList(new ArrayList<>());
        ScriptedLm taskLm = replaying("task-lm", answers, expected, made);
        ScriptedLm promptLm = replaying("prompt-lm", answers, expected, made);
        DspyContext context = DspyContext.of(taskLm).withAdapter(ChatAdapter.DEFAULT)
                .withOptions(LmOptions.NONE.withTemperature(0.0).withMaxTokens(1000));
        Map<String, Object> args = cast(setup.get("optimizer_args"));

        // when SIMBA runs with the capture's arguments, single-threaded
        Simba simba = Simba.builder()
                .metric(Metric.of((ex, pred) -> ex.get("sentiment").equals(pred.get("sentiment"))))
                .promptModel(promptLm).bsize((Integer) args.get("bsize"))
                .numCandidates((Integer) args.get("num_candidates")).maxSteps((Integer) args.get("max_steps"))
                .maxDemos((Integer) args.get("max_demos")).seed(((Number) setup.get("seed")).longValue())
                .programCode(programCode).numThreads(1).build();
        SimbaResult run = simba.optimize(program, trainset, context);

        // then the calls are DSPy's, in DSPy's order
        assertThat(made).hasSize(recorded.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(made.get(i)).as("call %d (%s)", i, recorded.get(i).get("component")).isEqualTo(expected.get(i));
        }
        // and the report and the saved program match
        Map<String, Object> report = cast(result.get("report"));
        Map<String, Map<String, Object>> trialLogs = cast(report.get("trial_logs"));
        assertThat(run.steps()).hasSize(trialLogs.size());
        for (SimbaResult.Step step : run.steps()) {
            assertThat(step.trainScore().getAsDouble()).as("train score of step %d", step.index())
                    .isEqualTo(((Number) trialLogs.get(String.valueOf(step.index())).get("train_score")).doubleValue());
        }
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (SimbaResult.Candidate c : run.candidates()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("score", c.score());
            Map<String, Object> instructions = new LinkedHashMap<>();
            Map<String, Object> demoCounts = new LinkedHashMap<>();
            c.program().state().predictors().forEach((path, s) -> {
                instructions.put(path, s.signature().instructions());
                demoCounts.put(path, s.demos().size());
            });
            row.put("instructions", instructions);
            row.put("demo_counts", demoCounts);
            candidates.add(row);
        }
        assertThat(candidates).isEqualTo(report.get("candidate_programs"));
        assertThat(run.bestScore()).isEqualTo(1.0);

        Map<String, Object> saved = new LinkedHashMap<>(cast(JSON.readValue(run.bestProgram().state().toJson(), Map.class)));
        Map<String, Object> dspySaved = new LinkedHashMap<>(cast(result.get("program_json")));
        saved.remove("metadata");   // the capture's environment had another cloudpickle
        dspySaved.remove("metadata");
        assertThat(saved).isEqualTo(dspySaved);
        assertThat(program.state().predictor("extract").signature().instructions())
                .isEqualTo(extract.get("instructions"));
    }

    private static Call recordedCall(Map<String, Object> call) {
        List<List<String>> messages = new ArrayList<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) cast(call.get("messages"))) {
            messages.add(List.of((String) m.get("role"), (String) m.get("content")));
        }
        Map<String, Object> kwargs = new LinkedHashMap<>(cast(call.get("lm_kwargs")));
        Object rolloutId = kwargs.remove("rollout_id");
        kwargs.putAll(cast(call.get("call_kwargs")));
        return new Call((String) call.get("lm"), messages, kwargs, (Integer) rolloutId);
    }

    /** An LM that records each request as a {@link Call} and answers as the capture did. */
    private static ScriptedLm replaying(String name, Map<Call, String> answers, List<Call> expected, List<Call> made) {
        return ScriptedLm.answering(request -> {
            Call call = asCall(name, request);
            made.add(call);
            String text = answers.get(call);
            if (text == null) {
                throw new AssertionError("No captured call matches call " + (made.size() - 1) + ": "
                        + difference(call, expected.get(Math.min(made.size(), expected.size()) - 1)));
            }
            return text;
        });
    }

    /** Where a call first differs from the one the capture has at its place. */
    private static String difference(Call made, Call recorded) {
        if (!made.lm().equals(recorded.lm()) || !made.kwargs().equals(recorded.kwargs())
                || !java.util.Objects.equals(made.rolloutId(), recorded.rolloutId())) {
            return made.lm() + " " + made.kwargs() + " rollout " + made.rolloutId() + ", recorded " + recorded.lm()
                    + " " + recorded.kwargs() + " rollout " + recorded.rolloutId();
        }
        for (int m = 0; m < Math.min(made.messages().size(), recorded.messages().size()); m++) {
            String a = made.messages().get(m).get(1);
            String b = recorded.messages().get(m).get(1);
            int i = 0;
            while (i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i)) {
                i++;
            }
            if (i < a.length() || i < b.length()) {
                int from = Math.max(0, i - 80);
                return "message " + m + " differs at " + i + ":\n  made:     " + a.substring(from, Math.min(a.length(), i + 120))
                        + "\n  recorded: " + b.substring(from, Math.min(b.length(), i + 120));
            }
        }
        return "messages " + made.messages().size() + " vs recorded " + recorded.messages().size();
    }

    private static Call asCall(String lm, LmRequest request) {
        List<List<String>> messages = new ArrayList<>();
        for (Message m : request.messages()) {
            messages.add(List.of(m.role().wireName(), m.text()));
        }
        return new Call(lm, messages, new LinkedHashMap<>(request.options().toWireMap()), request.options().rolloutId());
    }

    private static Map<String, Object> read(String file) throws Exception {
        Path folder = CoproCaptureTest.captures().resolve("simba_module");
        return cast(JSON.readValue(Files.readString(folder.resolve(file)), Map.class));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
