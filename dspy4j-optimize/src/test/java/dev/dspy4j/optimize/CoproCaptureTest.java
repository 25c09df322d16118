package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.IOException;
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
 * Replays the COPRO run captured from DSPy 3.3.1 ({@code shared/next/optimizers/copro_predict}):
 * the same 74 LM calls in the same order (messages byte for byte, {@code n}, temperature), the
 * same report and the same saved program. The scripted LMs answer by request content, from the
 * capture; the calls are also checked in order, which {@code evaluationConcurrency(1)} makes
 * DSPy's single-threaded order. {@code OptimizerCapturesTest} in dspy4j-test, which cannot see
 * this module, names this class as the runner of that capture.
 */
class CoproCaptureTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One call as the capture recorded it, or as a replay LM received it. */
    private record Call(String lm, List<List<String>> messages, Integer n, Double temperature) {}

    @Test
    @SuppressWarnings("unchecked")
    void replaysDspysCoproRunCallForCallAndSavesTheSameProgram() throws IOException {
        // given the capture: setup, every call in order, the result
        Path folder = captures().resolve("copro_predict");
        Map<String, Object> setup = read(folder.resolve("setup.json"));
        List<Map<String, Object>> recorded = (List<Map<String, Object>>) read(folder.resolve("calls.json")).get("calls");
        Map<String, Object> result = read(folder.resolve("result.json"));

        Map<String, Object> sentiment = (Map<String, Object>) ((Map<String, Object>) setup.get("signatures")).get("self");
        Module program = new Predict(Signature.parse("review -> sentiment: Literal['positive', 'negative']")
                .withInstructions((String) sentiment.get("instructions")).withName((String) sentiment.get("name")));
        List<Example> trainset = new ArrayList<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) setup.get("trainset")) {
            trainset.add(Example.of(row).withInputs("review"));
        }
        Metric exactMatch = Metric.of((example, prediction) -> example.get("sentiment").equals(prediction.get("sentiment")));

        Map<Call, List<String>> answers = new LinkedHashMap<>();
        List<Call> expected = new ArrayList<>();
        for (Map<String, Object> call : recorded) {
            Map<String, Object> kwargs = (Map<String, Object>) call.get("call_kwargs");
            List<List<String>> messages = new ArrayList<>();
            for (Map<String, Object> m : (List<Map<String, Object>>) call.get("messages")) {
                messages.add(List.of((String) m.get("role"), (String) m.get("content")));
            }
            Call key = new Call((String) call.get("lm"), messages, (Integer) kwargs.get("n"),
                    kwargs.get("temperature") == null ? null : ((Number) kwargs.get("temperature")).doubleValue());
            expected.add(key);
            answers.putIfAbsent(key, (List<String>) call.get("responses"));
        }
        List<Call> made = Collections.synchronizedList(new ArrayList<>());
        ScriptedLm taskLm = replaying("task-lm", answers, made);
        ScriptedLm promptLm = replaying("prompt-lm", answers, made);
        Map<String, Object> args = (Map<String, Object>) setup.get("optimizer_args");

        // when COPRO runs with the capture's arguments, single-threaded
        Copro copro = Copro.builder().metric(exactMatch).promptModel(promptLm)
                .breadth((Integer) args.get("breadth")).depth((Integer) args.get("depth"))
                .initTemperature(((Number) args.get("init_temperature")).doubleValue())
                .trackStats((Boolean) args.get("track_stats")).evaluationConcurrency(1).build();
        CoproResult run = copro.optimize(program, trainset, DspyContext.of(taskLm));

        // then the calls are DSPy's, in DSPy's order
        assertThat(made).hasSize(recorded.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(made.get(i)).as("call %d", i).isEqualTo(expected.get(i));
        }
        // and the saved program and the report match
        Map<String, Object> saved = JSON.readValue(run.bestProgram().state().toJson(), Map.class);
        Map<String, Object> dspySaved = new LinkedHashMap<>((Map<String, Object>) result.get("program_json"));
        saved.remove("metadata");   // the capture's environment had another cloudpickle
        dspySaved.remove("metadata");
        assertThat(saved).isEqualTo(dspySaved);
        assertThat(program.state().predictor("self").signature().instructions())
                .isEqualTo(sentiment.get("instructions"));

        Map<String, Object> report = (Map<String, Object>) result.get("report");
        assertThat(run.evaluations()).isEqualTo(report.get("total_calls"));
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (CoproResult.Candidate c : run.candidates()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("score", c.score());
            row.put("depth", c.depth());
            row.put("instruction", c.instruction());
            row.put("prefix", c.prefix());
            Map<String, Object> instructions = new LinkedHashMap<>();
            c.program().state().predictors().forEach((path, s) -> instructions.put(path, s.signature().instructions()));
            row.put("instructions", instructions);
            candidates.add(row);
        }
        assertThat(candidates).isEqualTo(report.get("candidate_programs"));
        assertThat(statistics(run.bestStatistics().get("self"))).isEqualTo(
                ((Map<String, Object>) report.get("results_best")).get("0"));
        assertThat(statistics(run.latestStatistics().get("self"))).isEqualTo(
                ((Map<String, Object>) report.get("results_latest")).get("0"));
    }

    private static Map<String, Object> statistics(CoproResult.Statistics stats) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("depth", stats.depths());
        out.put("max", stats.max());
        out.put("average", stats.average());
        out.put("min", stats.min());
        out.put("std", stats.std());
        return out;
    }

    /** An LM that records each request as a {@link Call} and answers as the capture did. */
    private static ScriptedLm replaying(String name, Map<Call, List<String>> answers, List<Call> made) {
        return ScriptedLm.responding(request -> {
            Call call = asCall(name, request);
            made.add(call);
            List<String> texts = answers.get(call);
            if (texts == null) {
                throw new AssertionError("No captured call matches call " + made.size() + ": " + call);
            }
            return LmResponse.ofTexts(texts);
        });
    }

    private static Call asCall(String lm, LmRequest request) {
        List<List<String>> messages = new ArrayList<>();
        for (Message m : request.messages()) {
            messages.add(List.of(m.role().wireName(), m.text()));
        }
        Integer n = request.options().n();
        return new Call(lm, messages, n, request.options().temperature());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) throws IOException {
        return JSON.readValue(Files.readString(file), Map.class);
    }

    /** {@code shared/next/optimizers}: under {@code -Ddspy4j.shared}, else {@code ../../shared} or {@code ../shared}. */
    static Path captures() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("dspy4j.shared");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("../../shared"));
        candidates.add(Path.of("../shared"));
        for (Path shared : candidates) {
            Path folder = shared.resolve("next").resolve("optimizers");
            if (Files.isDirectory(folder)) {
                return folder.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Cannot find shared/next/optimizers; looked under " + candidates
                + ". Pass -Ddspy4j.shared=/path/to/shared.");
    }
}
