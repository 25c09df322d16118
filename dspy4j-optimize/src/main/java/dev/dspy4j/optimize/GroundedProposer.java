package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * MIPROv2's instruction proposer, as DSPy 3.3.1's {@code GroundedProposer} with MIPROv2's
 * settings (dataset-, program-, demo- and tip-aware; no instruction history). It grounds each
 * proposal in a summary of the trainset, a description of the program and of the predictor, up to
 * three bootstrapped demos, and a tip drawn at random. Used by one run, on one thread.
 */
final class GroundedProposer {

    /** DSPy's tips, in its order (the draw is an index into this list). */
    static final List<Map.Entry<String, String>> TIPS = List.of(
            Map.entry("none", ""),
            Map.entry("creative", "Don't be afraid to be creative when creating the new instruction!"),
            Map.entry("simple", "Keep the instruction clear and concise."),
            Map.entry("description", "Make sure your instruction is very informative and descriptive."),
            Map.entry("high_stakes", "The instruction should include a high stakes scenario in which the LM must "
                    + "solve the task!"),
            Map.entry("persona", "Include a persona that is relevant to the task in the instruction (ie. \"You are a "
                    + "...\")"));

    static final int DEMOS_IN_CONTEXT = 3;
    static final int MAX_SUMMARY_CALLS = 10;
    private static final int MAX_COMPLETE_SKIPS = 5;
    private static final Pattern LABEL = Pattern.compile("^[*\\s]*(([\\w'\\-]+\\s+){0,4}[\\w'\\-]+):\\s*",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final DspyContext promptContext;
    private final PythonRandom rng;
    private final double initTemperature;
    private final String programCode;

    GroundedProposer(DspyContext promptContext, PythonRandom rng, double initTemperature, String programCode) {
        this.promptContext = promptContext;
        this.rng = rng;
        this.initTemperature = initTemperature;
        this.programCode = programCode;
    }

    /**
     * DSPy's {@code create_dataset_summary}: observations on the first batch, then on up to 9 more
     * batches given the observations so far (5 answers starting "COMPLETE" end it), then a summary.
     */
    String datasetSummary(List<Example> trainset, int batchSize) {
        Predict describe = sampled(ProposerSignatures.DATASET_DESCRIPTOR);
        String observations = describe.call(Map.of("examples",
                PythonRepr.examples(trainset.subList(0, Math.min(trainset.size(), batchSize)))), promptContext)
                .getString("observations");
        Predict withPrior = sampled(ProposerSignatures.DATASET_DESCRIPTOR_WITH_PRIOR);
        int calls = 0;
        int skips = 0;
        for (int b = batchSize; b < trainset.size(); b += batchSize) {
            if (++calls >= MAX_SUMMARY_CALLS) {
                break;
            }
            List<Example> batch = trainset.subList(b, Math.min(trainset.size(), b + batchSize));
            String more = withPrior.call(Map.of("prior_observations", observations, "examples",
                    PythonRepr.examples(batch)), promptContext).getString("observations");
            if (more.length() >= 8 && more.substring(0, 8).toUpperCase(Locale.ROOT).equals("COMPLETE")) {
                if (++skips >= MAX_COMPLETE_SKIPS) {
                    break;
                }
                continue;
            }
            observations += more;
        }
        String summary = sampled(ProposerSignatures.OBSERVATION_SUMMARIZER)
                .call(Map.of("observations", observations), promptContext).getString("summary");
        return stripLabel(summary);
    }

    /**
     * Proposes {@code min(n, demo sets)} instructions for each predictor, in predictor order, one
     * proposal per demo set; each draws a tip, then a rollout id for its three calls.
     *
     * @param predictors the predictors' current state by path, in program order
     * @param demoSets per path, the candidate demo sets (set 0 is the zero-shot one)
     */
    Map<String, List<String>> propose(Map<String, PredictorState> predictors, Map<String, List<List<Example>>> demoSets,
                                      int n, String datasetSummary) {
        Map<String, List<String>> proposals = new LinkedHashMap<>();
        for (Map.Entry<String, PredictorState> entry : predictors.entrySet()) {
            List<List<Example>> sets = demoSets.getOrDefault(entry.getKey(), List.of());
            int count = Math.min(n, Math.max(sets.size(), 1));
            List<String> list = new ArrayList<>();
            for (int set = 0; set < count; set++) {
                String tip = TIPS.get(rng.randbelow(TIPS.size())).getValue();
                list.add(proposeOne(entry.getValue().signature(), sets, set, datasetSummary, tip));
            }
            proposals.put(entry.getKey(), List.copyOf(list));
        }
        return proposals;
    }

    private String proposeOne(Signature signature, List<List<Example>> sets, int set, String datasetSummary,
                              String tip) {
        int rolloutId = rng.randint(0, 1_000_000_000);
        DspyContext rollout = promptContext.withOptions(
                promptContext.options().withRolloutId(rolloutId).withTemperature(initTemperature));
        String taskDemos = taskDemos(signature, sets, set);
        String programDescription = stripLabel(new Predict(ProposerSignatures.DESCRIBE_PROGRAM)
                .call(Map.of("program_code", programCode, "program_example", taskDemos), rollout)
                .getString("program_description"));
        String module = moduleCode(signature);
        String moduleDescription = new Predict(ProposerSignatures.DESCRIBE_MODULE)
                .call(Map.of("program_code", programCode, "program_description", programDescription,
                        "program_example", taskDemos, "module", module), rollout)
                .getString("module_description");
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("dataset_description", datasetSummary);
        inputs.put("program_code", programCode);
        inputs.put("program_description", programDescription);
        inputs.put("module", module);
        inputs.put("module_description", moduleDescription);
        inputs.put("task_demos", taskDemos);
        inputs.put("basic_instruction", signature.instructions());
        if (!tip.isEmpty()) {
            inputs.put("tip", tip);
        }
        String proposed = new Predict(ProposerSignatures.generateInstruction(true, true, !tip.isEmpty()))
                .call(inputs, rollout).getString("proposed_instruction");
        return stripLabel(stripLabel(proposed));
    }

    /**
     * Up to three bootstrapped demos, from set {@code set} on and wrapping around, as
     * {@code "Prefix: value"} lines; the first proposal (set 0, the zero-shot set) gets none.
     */
    static String taskDemos(Signature signature, List<List<Example>> sets, int set) {
        if (set == 0 || sets.isEmpty()) {
            return "No task demos provided.";
        }
        List<List<Example>> order = new ArrayList<>(sets.subList(set, sets.size()));
        order.addAll(sets.subList(0, set));
        List<String> strings = new ArrayList<>();
        outer:
        for (List<Example> demos : order) {
            for (Example demo : demos) {
                if (!demo.has("augmented")) {
                    continue;
                }
                List<String> lines = new ArrayList<>();
                for (Field field : signature.fields()) {
                    lines.add(field.prefix() + " " + PythonRepr.str(demo.get(field.name())));
                }
                strings.add(String.join("\n", lines));
                if (strings.size() >= DEMOS_IN_CONTEXT) {
                    break outer;
                }
            }
        }
        String demos = String.join("\n\n", strings) + "\n\n";
        return demos.isBlank() ? "No task demos provided." : demos;
    }

    /** DSPy's view of a predictor: {@code Predict(in1, in2) -> out1, out2}. */
    static String moduleCode(Signature signature) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Field field : signature.fields()) {
            (field.isInput() ? inputs : outputs).add(field.name());
        }
        return "Predict(" + String.join(", ", inputs) + ") -> " + String.join(", ", outputs);
    }

    /** DSPy's {@code strip_prefix}: drops a leading label of up to five words and a colon, then outer quotes. */
    static String stripLabel(String text) {
        String stripped = LABEL.matcher(text).replaceFirst("");
        int start = 0;
        int end = stripped.length();
        while (start < end && stripped.charAt(start) == '"') {
            start++;
        }
        while (end > start && stripped.charAt(end - 1) == '"') {
            end--;
        }
        return stripped.substring(start, end);
    }

    /** A predictor sampled as DSPy's summary steps are: {@code n=1, temperature=1.0}. */
    private static Predict sampled(Signature signature) {
        return new Predict(signature).withOptions(LmOptions.NONE.withN(1).withTemperature(1.0));
    }
}
