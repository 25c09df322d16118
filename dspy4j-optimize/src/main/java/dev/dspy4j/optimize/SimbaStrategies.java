package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIMBA's two ways to build a candidate from a bucket of runs: {@code append_a_demo} and
 * {@code append_a_rule}, as DSPy's {@code simba_utils} applies them. Each returns the new state; a
 * skipped strategy returns the state unchanged.
 */
final class SimbaStrategies {

    private static final Logger LOG = LoggerFactory.getLogger(SimbaStrategies.class);

    static final String APPEND_A_DEMO = "append_a_demo";
    static final String APPEND_A_RULE = "append_a_rule";
    private static final String TRUNCATED = "\n\t\t... <TRUNCATED FOR BREVITY>";
    private static final String NOT_AVAILABLE = "N/A";

    private final Simba config;
    private final Module program;
    private final DspyContext promptContext;
    private final List<String> names;
    private final String programCode;
    private int feedbackCalls;

    /** The feedback calls made so far (they number the feedback spans), for a checkpoint. */
    int feedbackCalls() {
        return feedbackCalls;
    }

    void restoreFeedbackCalls(int calls) {
        feedbackCalls = calls;
    }

    SimbaStrategies(Simba config, Module program, DspyContext promptContext) {
        this.config = config;
        this.program = program;
        this.promptContext = promptContext;
        this.names = config.maxDemos > 0 ? List.of(APPEND_A_DEMO, APPEND_A_RULE) : List.of(APPEND_A_RULE);
        this.programCode = config.programCode != null ? config.programCode : describe(program);
    }

    /** The strategies to draw from, in DSPy's order. */
    List<String> names() {
        return names;
    }

    ProgramState apply(String strategy, SimbaRun.Bucket bucket, ProgramState state, double p10, double p90,
                       DspyContext stepContext) {
        return switch (strategy) {
            case APPEND_A_DEMO -> appendDemo(bucket, state, p10);
            case APPEND_A_RULE -> appendRule(bucket, state, p10, p90, stepContext);
            default -> throw new IllegalArgumentException("Unknown SIMBA strategy " + strategy);
        };
    }

    /** Each predictor gets its last step of the bucket's best run as a demo, unless that run scored at or below p10. */
    ProgramState appendDemo(SimbaRun.Bucket bucket, ProgramState state, double p10) {
        SimbaRun.Run good = bucket.runs().get(0);
        if (good.score() <= p10) {
            LOG.debug("SIMBA: no demo appended, the best score {} is at or below the 10th percentile", good.score());
            return state;
        }
        Map<String, Example> demos = new LinkedHashMap<>();
        for (TraceStep step : good.trace()) {
            if (!state.predictors().containsKey(step.predictorPath())) {
                continue;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("augmented", true);
            step.inputs().forEach((k, v) -> values.put(k, truncated(v)));
            values.putAll(step.outputs().toMap());
            demos.put(step.predictorPath(), Example.of(values)); // the last step of each predictor wins
        }
        ProgramState out = state;
        for (Map.Entry<String, Example> e : demos.entrySet()) {
            PredictorState predictor = out.predictor(e.getKey());
            List<Example> extended = new ArrayList<>(predictor.demos());
            extended.add(e.getValue());
            out = out.with(e.getKey(), predictor.withDemos(extended));
        }
        return out;
    }

    private Object truncated(Object value) {
        String text = PythonRepr.str(value);
        int max = config.demoInputFieldMaxlen;
        if (text.codePointCount(0, text.length()) <= max) {
            return value;
        }
        return text.substring(0, text.offsetByCodePoints(0, max)) + TRUNCATED;
    }

    /** One OfferFeedback call contrasting the best and the worst run; its advice is appended to each instruction. */
    ProgramState appendRule(SimbaRun.Bucket bucket, ProgramState state, double p10, double p90, DspyContext stepContext) {
        SimbaRun.Run good = bucket.runs().get(0);
        SimbaRun.Run bad = bucket.runs().get(bucket.runs().size() - 1);
        if (good.score() <= p10 || bad.score() >= p90) {
            LOG.debug("SIMBA: no rule, the best score {} is at or below the 10th percentile or the worst {} at or "
                    + "above the 90th", good.score(), bad.score());
            return state;
        }
        Side better = Side.of(good, state);
        Side worse = Side.of(bad, state);
        if (good.score() <= bad.score()) { // all runs scored the same: one side is shown as not available
            if (good.score() > p90) {
                worse = Side.notAvailable();
            } else {
                better = Side.notAvailable();
            }
        }
        if (better.outputs() == null) { // DSPy's dict(None) fails here, and the candidate is dropped
            throw new IllegalStateException("the best run of the bucket has no prediction");
        }
        Map<String, Signature> signatures = new LinkedHashMap<>();
        state.predictors().forEach((path, p) -> signatures.put(path, p.signature()));
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("program_code", programCode);
        inputs.put("modules_defn", SimbaFeedback.moduleDefinitions(signatures));
        inputs.put("program_inputs", SimbaFeedback.text(good.example().inputs().toMap()));
        inputs.put("oracle_metadata", SimbaFeedback.text(good.example().labels().toMap()));
        inputs.put("better_program_trajectory", SimbaFeedback.text(better.trajectory()));
        inputs.put("better_program_outputs", SimbaFeedback.text(better.outputs()));
        inputs.put("worse_program_trajectory", SimbaFeedback.text(worse.trajectory()));
        inputs.put("worse_program_outputs", SimbaFeedback.text(worse.outputs() == null ? Map.of() : worse.outputs()));
        inputs.put("worse_reward_value", SimbaFeedback.text(worse.score()));
        inputs.put("better_reward_value", SimbaFeedback.text(better.score()));
        inputs.put("worse_reward_info", SimbaFeedback.text(bad.info()));
        inputs.put("better_reward_info", SimbaFeedback.text(good.info()));
        inputs.put("module_names", SimbaFeedback.text(List.copyOf(state.predictors().keySet())));

        int call = ++feedbackCalls;
        DspyContext parent = promptContext.withSpan(stepContext.span());
        ActiveSpan span = parent.startSpan(SpanKind.OPTIMIZER_STEP, "SIMBA feedback " + call,
                Map.of("dspy.optimizer", "SIMBA"));
        Object advice;
        try {
            advice = new Predict(SimbaFeedback.OFFER_FEEDBACK).call(inputs, parent.withSpan(span.span())).get(SimbaFeedback.MODULE_ADVICE);
            span.end(Map.of());
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
        if (!(advice instanceof Map<?, ?> byModule)) {
            throw new IllegalStateException("OfferFeedback returned no module_advice dictionary: " + advice);
        }
        ProgramState out = state;
        for (Map.Entry<String, PredictorState> e : state.predictors().entrySet()) {
            if (byModule.containsKey(e.getKey())) {
                Signature signature = e.getValue().signature();
                String instructions = signature.instructions() + "\n\n" + PythonRepr.str(byModule.get(e.getKey()));
                out = out.with(e.getKey(), e.getValue().withSignature(signature.withInstructions(instructions)));
            }
        }
        return out;
    }

    /** One side of the contrast: what the prompt shows of a run. */
    private record Side(List<Map<String, Object>> trajectory, Map<String, Object> outputs, Object score) {

        static Side of(SimbaRun.Run run, ProgramState state) {
            return new Side(SimbaFeedback.trajectory(run.trace(), state.predictors()),
                    run.prediction() == null ? null : run.prediction().toMap(), run.score());
        }

        static Side notAvailable() {
            return new Side(List.of(), Map.of(NOT_AVAILABLE, "Prediction not available"), NOT_AVAILABLE);
        }
    }

    /** The default {@code program_code}: the program's class and each predictor's signature. */
    static String describe(Module program) {
        String predictors = program.namedPredictors().entrySet().stream()
                .map(e -> "    " + e.getKey() + ": " + e.getValue().signature())
                .collect(Collectors.joining("\n"));
        return "A dspy4j program of class " + program.getClass().getName() + " with these predictors (paths "
                + "in declaration order) and signatures:\n" + predictors + "\n";
    }
}
