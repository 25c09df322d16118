package dev.dspy4j.optimize;

import dev.dspy4j.data.Example;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.module.ProgramState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How a {@link Simba} step is written to and read from its checkpoint file (see
 * {@link StepCheckpoint}): the programs the step made with their batch scores, its winner, its
 * log, and the run's state after it (the trainset order and position, both generators, the
 * failed-run and feedback-call counts).
 */
final class SimbaCheckpoint {

    private SimbaCheckpoint() {}

    /** What a step's file holds. */
    record Finished(List<ProgramState> programs, List<List<Double>> scores, Integer winner, SimbaResult.Step log,
                    List<Integer> order, int next, int[] random, long[] numpy, int failedRuns, int feedbackCalls) {}

    static Map<String, Object> toMap(Finished f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", f.log().index());
        m.put("batch", f.log().batch());
        m.put("baselineScore", f.log().baselineScore());
        m.put("strategies", f.log().strategies());
        m.put("candidateScores", f.log().candidateScores());
        List<Map<String, Object>> programs = new ArrayList<>();
        for (int p = 0; p < f.programs().size(); p++) {
            Map<String, Object> program = new LinkedHashMap<>();
            program.put("state", f.programs().get(p).toJson());
            // the save format keeps demos' values, not which keys are inputs: kept here beside it
            Map<String, List<List<String>>> inputs = new LinkedHashMap<>();
            f.programs().get(p).predictors().forEach((path, state) -> inputs.put(path, state.demos().stream()
                    .map(demo -> List.copyOf(demo.inputKeys())).toList()));
            program.put("demoInputKeys", inputs);
            program.put("batchScores", f.scores().get(p));
            programs.add(program);
        }
        m.put("programs", programs);
        m.put("winner", f.winner());
        m.put("order", f.order());
        m.put("next", f.next());
        m.put("random", StepCheckpoint.words(f.random()));
        m.put("numpy", List.of(f.numpy()[0], f.numpy()[1]));
        m.put("failedRuns", f.failedRuns());
        m.put("feedbackCalls", f.feedbackCalls());
        return m;
    }

    @SuppressWarnings("unchecked")
    static Finished fromMap(Map<String, Object> m, Module program) {
        List<ProgramState> programs = new ArrayList<>();
        List<List<Double>> scores = new ArrayList<>();
        for (Object o : (List<?>) m.get("programs")) {
            Map<String, Object> saved = StepCheckpoint.object(o);
            ProgramState state = ProgramState.fromJson((String) saved.get("state"), "a checkpoint", program, null);
            var inputs = (Map<String, List<List<String>>>) saved.get("demoInputKeys");
            for (Map.Entry<String, PredictorState> e : state.predictors().entrySet()) {
                List<Example> demos = e.getValue().demos();
                List<List<String>> keys = inputs.get(e.getKey());
                if (keys.size() != demos.size()) {
                    throw new IllegalArgumentException(e.getKey() + " has " + demos.size() + " demos but "
                            + keys.size() + " input key lists");
                }
                List<Example> withInputs = new ArrayList<>();
                for (int d = 0; d < demos.size(); d++) {
                    withInputs.add(demos.get(d).withInputs(keys.get(d)));
                }
                state = state.with(e.getKey(), e.getValue().withDemos(withInputs));
            }
            programs.add(state);
            scores.add(StepCheckpoint.doubles(saved.get("batchScores")));
        }
        SimbaResult.Step log = new SimbaResult.Step(StepCheckpoint.integer(m.get("number")),
                StepCheckpoint.integers(m.get("batch")), ((Number) m.get("baselineScore")).doubleValue(),
                ((List<?>) m.get("strategies")).stream().map(s -> (String) s).toList(),
                StepCheckpoint.doubles(m.get("candidateScores")), OptionalDouble.empty());
        List<?> numpy = (List<?>) m.get("numpy");
        return new Finished(programs, scores, m.get("winner") == null ? null : StepCheckpoint.integer(m.get("winner")),
                log, StepCheckpoint.integers(m.get("order")), StepCheckpoint.integer(m.get("next")),
                StepCheckpoint.words(m.get("random")),
                new long[] {((Number) numpy.get(0)).longValue(), ((Number) numpy.get(1)).longValue()},
                StepCheckpoint.integer(m.get("failedRuns")), StepCheckpoint.integer(m.get("feedbackCalls")));
    }
}
