package dev.dspy4j.optimize;

import dev.dspy4j.signature.Signature;

/**
 * The signatures of MIPROv2's grounded proposer. Their instructions and field descriptions are
 * the prompts DSPy 3.3.1 sends, reproduced as captured (typos included): the prompt format is a
 * contract, and caches keyed on these prompts stay valid across the two implementations.
 */
final class ProposerSignatures {

    private ProposerSignatures() {}

    static final Signature DATASET_DESCRIPTOR = Signature.parse("examples -> observations")
            .withInstructions("Given several examples from a dataset please write observations about trends that hold "
                    + "for most or all of the samples. Some areas you may consider in your observations: topics, "
                    + "content, syntax, conciseness, etc. It will be useful to make an educated guess as to the "
                    + "nature of the task this dataset will enable. Don't be afraid to be creative")
            .withField("examples", f -> f.withDescription("Sample data points from the dataset"))
            .withField("observations", f -> f.withDescription(
                    "Somethings that holds true for most or all of the data you observed"));

    static final Signature DATASET_DESCRIPTOR_WITH_PRIOR = Signature.parse("examples, prior_observations -> observations")
            .withInstructions("Given several examples from a dataset please write observations about trends that hold "
                    + "for most or all of the samples. I will also provide you with a few observations I have already "
                    + "made.  Please add your own observations or if you feel the observations are comprehensive say "
                    + "'COMPLETE' Some areas you may consider in your observations: topics, content, syntax, "
                    + "conciceness, etc. It will be useful to make an educated guess as to the nature of the task this "
                    + "dataset will enable. Don't be afraid to be creative")
            .withField("examples", f -> f.withDescription("Sample data points from the dataset"))
            .withField("prior_observations", f -> f.withDescription("Some prior observations I made about the data"))
            .withField("observations", f -> f.withDescription("Somethings that holds true for most or all of the data "
                    + "you observed or COMPLETE if you have nothing to add"));

    static final Signature OBSERVATION_SUMMARIZER = Signature.parse("observations -> summary")
            .withInstructions("Given a series of observations I have made about my dataset, please summarize them into "
                    + "a brief 2-3 sentence summary which highlights only the most important details.")
            .withField("observations", f -> f.withDescription("Observations I have made about my dataset"))
            .withField("summary", f -> f.withDescription(
                    "Two to Three sentence summary of only the most significant highlights of my observations"));

    private static final String PSEUDOCODE = "Pseudocode for a language model program designed to solve a particular task.";
    private static final String PROGRAM_SUMMARY =
            "Summary of the task the program is designed to solve, and how it goes about solving it.";
    private static final String PIPELINE = "Below is some pseudo-code for a pipeline that solves tasks with calls to "
            + "language models. ";

    static final Signature DESCRIBE_PROGRAM = Signature.parse("program_code, program_example -> program_description")
            .withInstructions(PIPELINE + "Please describe what type of task this program appears to be designed to "
                    + "solve, and how it appears to work.")
            .withField("program_code", f -> f.withDescription(PSEUDOCODE))
            .withField("program_example", f -> f.withDescription("An example of the program in use."))
            .withField("program_description", f -> f.withDescription(
                    "Describe what task the program is designed to solve, and how it goes about solving this task."));

    static final Signature DESCRIBE_MODULE = Signature.parse(
                    "program_code, program_example, program_description, module -> module_description")
            .withInstructions(PIPELINE + "Please describe the purpose of one of the specified module in this pipeline.")
            .withField("program_code", f -> f.withDescription(PSEUDOCODE))
            .withField("program_example", f -> f.withDescription("An example of the program in use."))
            .withField("program_description", f -> f.withDescription(PROGRAM_SUMMARY))
            .withField("module", f -> f.withDescription("The module in the program that we want to describe."))
            .withField("module_description", f -> f.withDescription(
                    "Description of the module's role in the broader program."));

    /**
     * The instruction generator: its inputs depend on what the proposer knows (DSPy builds the
     * class per call). Instruction history is never used by MIPROv2, so it is not offered.
     */
    static Signature generateInstruction(boolean datasetSummary, boolean programAware, boolean tip) {
        StringBuilder inputs = new StringBuilder();
        if (datasetSummary) {
            inputs.append("dataset_description, ");
        }
        if (programAware) {
            inputs.append("program_code, program_description, module, module_description, ");
        }
        inputs.append("task_demos, basic_instruction");
        if (tip) {
            inputs.append(", tip");
        }
        Signature signature = Signature.parse(inputs + " -> proposed_instruction")
                .withInstructions("Use the information below to learn about a task that we are trying to solve using "
                        + "calls to an LM, then generate a new instruction that will be used to prompt a Language "
                        + "Model to better solve the task.")
                .withField("task_demos", f -> f.withDescription("Example inputs/outputs of our module."))
                .withField("basic_instruction", f -> f.withDescription("Basic instruction."))
                .withField("proposed_instruction", f -> f.withDescription(
                        "Propose an instruction that will be used to prompt a Language Model to perform this task."));
        if (datasetSummary) {
            signature = signature.withField("dataset_description",
                    f -> f.withDescription("A description of the dataset that we are using."));
        }
        if (programAware) {
            signature = signature
                    .withField("program_code", f -> f.withDescription(
                            "Language model program designed to solve a particular task."))
                    .withField("program_description", f -> f.withDescription(PROGRAM_SUMMARY))
                    .withField("module", f -> f.withDescription("The module to create an instruction for."))
                    .withField("module_description", f -> f.withDescription(
                            "Description of the module to create an instruction for."));
        }
        if (tip) {
            signature = signature.withField("tip", f -> f.withDescription(
                    "A suggestion for how to go about generating the new instruction."));
        }
        return signature;
    }
}
