package dev.dspy4j.optimize;

import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.internal.python.InspectModules;
import dev.dspy4j.internal.python.Orjson;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SIMBA's "offer feedback" prompt: DSPy 3.3.1's {@code OfferFeedback} signature (instructions and
 * field descriptions as DSPy sends them: the prompt format is a contract) and the texts SIMBA puts
 * in it: the module definitions ({@code inspect_modules}) and values as {@code orjson} writes them
 * with {@code OPT_INDENT_2}.
 */
final class SimbaFeedback {

    private SimbaFeedback() {}

    static final String MODULE_ADVICE = "module_advice";

    private static final String TRAJECTORY = "The trajectory of the program's execution, showing each module's I/O";
    private static final String OUTPUTS = "The outputs of the program that we are analyzing";
    private static final String REWARD = "The reward value assigned to the program's outputs";
    private static final String REWARD_INFO =
            "Additional information that might be helpful to understanding the assigned reward value.";

    static final Signature OFFER_FEEDBACK = Signature.parse("program_code, modules_defn, program_inputs, "
                    + "oracle_metadata, worse_program_trajectory, worse_program_outputs, worse_reward_value: float, "
                    + "worse_reward_info, better_program_trajectory, better_program_outputs, "
                    + "better_reward_value: float, better_reward_info, module_names: list[str] "
                    + "-> discussion, module_advice: dict[str, str]")
            .withName("OfferFeedback")
            .withInstructions("""
                    You will be given two trajectories of an LLM-driven program's execution. Your goal is to help the program's modules
                    build up experience on how to maximize the reward value assigned to the program's outputs if it were to receive
                    similar inputs in the future.

                    The module won't see its own history. It will rely on your advice balancing being concrete and being generalizable.

                    In your advice:
                    - Avoid boilerplate. Offer advice that would change the module's behavior for the better in the future.
                    - Ensure that advice offered to a module M is specific to that M's specific sub-task, not the overall program.
                    - Rely on contrasting the behavior of the worse trajectory against the better trajectory in making recommendations.
                    - Ensure each unique module name appears exactly once as a key in the advice dictionary.""")
            .withField("program_code", f -> f.withDescription("The code of the program that we are analyzing"))
            .withField("modules_defn", f -> f.withDescription(
                    "The definition of each module in the program, including its I/O"))
            .withField("program_inputs", f -> f.withDescription("The inputs to the program that we are analyzing"))
            .withField("oracle_metadata", f -> f.withDescription(
                    "Any (hidden) metadata about the training set instance we're analyzing"))
            .withField("worse_program_trajectory", f -> f.withDescription(TRAJECTORY))
            .withField("worse_program_outputs", f -> f.withDescription(OUTPUTS))
            .withField("worse_reward_value", f -> f.withDescription(REWARD))
            .withField("worse_reward_info", f -> f.withDescription(REWARD_INFO))
            .withField("better_program_trajectory", f -> f.withDescription(TRAJECTORY))
            .withField("better_program_outputs", f -> f.withDescription(OUTPUTS))
            .withField("better_reward_value", f -> f.withDescription(REWARD))
            .withField("better_reward_info", f -> f.withDescription(REWARD_INFO))
            .withField("module_names", f -> f.withDescription(
                    "The names of the modules in the program, for which we seek advice"))
            .withField("discussion", f -> f.withDescription(
                    "Discussing blame of where each module went wrong, if it did"))
            .withField(MODULE_ADVICE, f -> f.withDescription("For each module, describe very concretely: If the module "
                    + "receives ${description of input or patterns therein}, then it should ${description of content, "
                    + "behavior, or strategies to adopt and/or others to avoid}. Basically, your advice be such that if "
                    + "the module has access to your tip, it would be much more likely to act like the successful "
                    + "trajectory rather than the lower-scoring trajectory."));

    /** DSPy's {@code inspect_modules}: each predictor's fields and instructions between dashed lines. */
    static String moduleDefinitions(Map<String, Signature> signatures) {
        return InspectModules.moduleDefinitions(signatures);
    }

    /** The trajectory of one run as SIMBA shows it: module name, inputs and outputs of each step. */
    static List<Map<String, Object>> trajectory(List<TraceStep> trace, Map<String, ?> known) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (TraceStep step : trace) {
            if (!known.containsKey(step.predictorPath())) {
                continue; // a predictor outside the program's structure, as DSPy skips it
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("module_name", step.predictorPath());
            row.put("inputs", step.inputs());
            row.put("outputs", step.outputs().toMap());
            steps.add(row);
        }
        return steps;
    }

    /** A value as {@code orjson.dumps(recursive_mask(v), option=OPT_INDENT_2)}; a string as it is. */
    static String text(Object value) {
        return value instanceof String s ? s : Orjson.dumpsIndented(value);
    }
}
