package dev.dspy4j.module;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.internal.python.InspectModules;
import dev.dspy4j.internal.python.Orjson;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Refine's feedback step: DSPy 3.3.1's ad hoc {@code Predict(OfferFeedback)} (its instructions and
 * field descriptions exactly as DSPy sends them; the prompt format is a contract), and the texts
 * Refine puts in it: the module definitions ({@code inspect_modules}) and the other values as
 * {@code orjson} writes them with {@code OPT_INDENT_2} (both shared with SIMBA).
 */
final class RefineFeedback {

    private RefineFeedback() {}

    static final String ADVICE = "advice";

    static final Signature OFFER_FEEDBACK = Signature.parse("program_code, modules_defn, program_inputs, "
                    + "program_trajectory, program_outputs, reward_code, target_threshold: float, reward_value: float, "
                    + "module_names: list[str] -> discussion, advice: dict[str, str]")
            .withName("OfferFeedback")
            .withInstructions("In the discussion, assign blame to each module that contributed to the final reward being below the threshold, if\n"
                    + "any. Then, prescribe concrete advice of how the module should act on its future input when we retry the process, if\n"
                    + "it were to receive the same or similar inputs. If a module is not to blame, the advice should be N/A.\n"
                    + "The module will not see its own history, so it needs to rely on entirely concrete and actionable advice from you\n"
                    + "to avoid the same mistake on the same or similar inputs.")
            .withField("program_code", f -> f.withDescription("The code of the program that we are analyzing"))
            .withField("modules_defn", f -> f.withDescription(
                    "The definition of each module in the program, including its I/O"))
            .withField("program_inputs", f -> f.withDescription("The inputs to the program that we are analyzing"))
            .withField("program_trajectory", f -> f.withDescription(
                    "The trajectory of the program's execution, showing each module's I/O"))
            .withField("program_outputs", f -> f.withDescription("The outputs of the program that we are analyzing"))
            .withField("reward_code", f -> f.withDescription("The code of the reward function that we are analyzing"))
            .withField("target_threshold", f -> f.withDescription("The target threshold for the reward function"))
            .withField("reward_value", f -> f.withDescription("The reward value assigned to the program's outputs"))
            .withField("module_names", f -> f.withDescription(
                    "The names of the modules in the program, for which we seek advice"))
            .withField("discussion", f -> f.withDescription(
                    "Discussing blame of where each module went wrong, if it did"))
            .withField(ADVICE, f -> f.withDescription("For each module, describe very concretely, in this order: the "
                    + "specific scenarios in which it has made mistakes in the past and what each mistake was, followed "
                    + "by what it should do differently in that kind ofscenario in the future. If the module is not to "
                    + "blame, write N/A."));

    /** The ad hoc predictor; not part of any program's structure. */
    static final Predict PREDICTOR = new Predict(OFFER_FEEDBACK);

    /** What {@link RolloutLoop.Feedback#advise} needs besides the attempt. */
    record Setup(Module module, String programCode, String rewardCode, double threshold) {}

    /**
     * Asks the caller's LM for advice on the failed attempt, as DSPy's Refine does.
     *
     * @return advice by predictor, or {@code null} if the LM gave none
     */
    static @Nullable Map<Predict, String> advise(Setup setup, Example inputs, List<AttemptRecord.Step> trace,
                                                 Prediction outputs, double reward, DspyContext attemptContext,
                                                 DspyContext caller) {
        Map<String, Predict> named = setup.module().namedPredictors();
        Map<Predict, String> names = new IdentityHashMap<>();
        Map<String, Signature> signatures = new LinkedHashMap<>();
        named.forEach((name, predictor) -> {
            names.putIfAbsent(predictor, name);
            signatures.put(name, signatureOf(setup.module(), name, predictor, attemptContext));
        });
        List<Map<String, Object>> trajectory = new ArrayList<>();
        for (AttemptRecord.Step step : trace) {
            String name = names.get(step.predictor());
            if (name == null) {
                continue; // a predictor outside the module's structure has no name to advise
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("module_name", name);
            row.put("inputs", step.call().inputs());
            row.put("outputs", step.call().prediction().toMap());
            trajectory.add(row);
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("program_code", setup.programCode());
        kwargs.put("modules_defn", InspectModules.moduleDefinitions(signatures));
        kwargs.put("program_inputs", Orjson.dumpsIndented(inputs.toMap()));
        kwargs.put("program_trajectory", Orjson.dumpsIndented(trajectory));
        kwargs.put("program_outputs", Orjson.dumpsIndented(outputs.toMap()));
        kwargs.put("reward_code", setup.rewardCode());
        kwargs.put("target_threshold", Orjson.dumpsIndented(setup.threshold()));
        kwargs.put("reward_value", Orjson.dumpsIndented(reward));
        kwargs.put("module_names", Orjson.dumpsIndented(new ArrayList<>(named.keySet())));

        // its own trace is discarded, as DSPy's is (it runs inside the attempt's temporary trace)
        Prediction feedback = PREDICTOR.call(kwargs, ProgramContext.withAttempt(caller, new AttemptRecord(null)));
        if (!(feedback.get(ADVICE) instanceof Map<?, ?> advice) || advice.isEmpty()) {
            return null;
        }
        Map<Predict, String> hints = new IdentityHashMap<>();
        named.forEach((name, predictor) -> {
            Object hint = advice.get(name);
            hints.putIfAbsent(predictor, hint == null ? AttemptRecord.NO_ADVICE : PythonValues.str(hint));
        });
        return hints;
    }

    /** The signature a predictor of the module runs with: the module's own learned state, else the context's. */
    private static Signature signatureOf(Module module, String name, Predict predictor, DspyContext context) {
        if (module.structure() != module) {
            return module.state().predictor(name).signature();
        }
        return predictor.stateIn(context).signature();
    }
}
