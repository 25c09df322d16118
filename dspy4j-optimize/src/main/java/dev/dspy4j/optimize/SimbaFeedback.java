package dev.dspy4j.optimize;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.TraceStep;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.Arrays;
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

    private static final String SEPARATOR = "-".repeat(80);

    /** DSPy's {@code inspect_modules}: each predictor's fields and instructions between dashed lines. */
    static String moduleDefinitions(Map<String, Signature> signatures) {
        List<String> parts = new ArrayList<>();
        parts.add(SEPARATOR);
        signatures.forEach((name, signature) -> {
            parts.add("Module " + name);
            parts.add("\n\tInput Fields:");
            parts.add(indented(fieldDescriptions(signature.inputs())));
            parts.add("\tOutput Fields:");
            parts.add(indented(fieldDescriptions(signature.outputs())));
            parts.add("\tOriginal Instructions: " + indented(dedent(signature.instructions())));
            parts.add(SEPARATOR);
        });
        List<String> stripped = new ArrayList<>();
        for (String part : parts) {
            stripped.add(stripNewlines(part));
        }
        return String.join("\n", stripped);
    }

    /**
     * DSPy's {@code get_field_description_string}, as the adapters write it in the system message:
     * {@code 1. `name` (type): description} per field, the block stripped.
     */
    static String fieldDescriptions(List<Field> fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            out.append(i > 0 ? "\n" : "").append(i + 1).append(". `").append(field.name()).append("` (")
                    .append(field.type().pythonName()).append("): ").append(field.descriptionOrEmpty());
        }
        return out.toString().strip();
    }

    /** {@code "\n\t\t".join([""] + text.splitlines())}. */
    private static String indented(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : splitLines(text)) {
            out.append("\n\t\t").append(line);
        }
        return out.toString();
    }

    /** Python's {@code str.splitlines()}. */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(
                text.split("\r\n|[\n\r\u000B\u000C\u001C\u001D\u001E\u0085\u2028\u2029]", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static String stripNewlines(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '\n') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '\n') {
            end--;
        }
        return s.substring(start, end);
    }

    /** Python's {@code textwrap.dedent}: the common leading spaces and tabs of non-blank lines removed. */
    static String dedent(String text) {
        String[] lines = text.split("\n", -1);
        String margin = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int i = 0;
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            String indent = line.substring(0, i);
            if (margin == null) {
                margin = indent;
            } else {
                int common = 0;
                while (common < margin.length() && common < indent.length()
                        && margin.charAt(common) == indent.charAt(common)) {
                    common++;
                }
                margin = margin.substring(0, common);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i > 0) {
                out.append('\n');
            }
            if (line.isBlank()) {
                continue; // dedent turns whitespace-only lines into empty ones
            }
            out.append(margin == null || margin.isEmpty() ? line : line.substring(margin.length()));
        }
        return out.toString();
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
        if (value instanceof String s) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Boolean b -> out.append(b);
            case Double d -> out.append(pythonFloat(d));
            case Float f -> out.append(pythonFloat(f.doubleValue()));
            case Number n -> out.append(n);
            case Enum<?> e -> string(out, e.name());
            case Example e -> write(out, e.toMap(), depth);
            case Prediction p -> write(out, p.toMap(), depth);
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    out.append("{}");
                    return;
                }
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
                    first = false;
                    string(out, String.valueOf(entry.getKey()));
                    out.append(": ");
                    write(out, entry.getValue(), depth + 1);
                }
                out.append('\n').append("  ".repeat(depth)).append('}');
            }
            case List<?> list -> {
                if (list.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "\n" : ",\n").append("  ".repeat(depth + 1));
                    write(out, list.get(i), depth + 1);
                }
                out.append('\n').append("  ".repeat(depth)).append(']');
            }
            default -> string(out, "<non-serializable: " + value.getClass().getSimpleName() + ">");
        }
    }

    /** Python's {@code repr(float)} for the usual magnitudes: {@code 1.0}, {@code 0.75}, {@code 1e-05}. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null"; // orjson writes non-finite floats as null
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        return Double.toString(d);
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
