package dev.dspy4j.optimize;

import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.List;

/**
 * The two proposer signatures of COPRO, worded as DSPy's {@code BasicGenerateInstruction} and
 * {@code GenerateInstructionGivenAttempts}: their text is a prompt contract (caches and captured
 * runs depend on it), so it must not be edited.
 */
final class CoproPrompts {

    static final String PROPOSED_INSTRUCTION = "proposed_instruction";
    static final String PROPOSED_PREFIX = "proposed_prefix_for_output_field";
    static final String BASIC_INSTRUCTION = "basic_instruction";
    static final String ATTEMPTED_INSTRUCTIONS = "attempted_instructions";

    /** Proposes instructions from the predictor's current instruction alone. */
    static final Signature BASIC_GENERATE_INSTRUCTION = Signature.of(
            "You are an instruction optimizer for large language models. I will give you a ``signature`` of fields "
                    + "(inputs and outputs) in English. Your task is to propose an instruction that will lead a good "
                    + "language model to perform the task well. Don't be afraid to be creative.",
            List.of(Field.input(BASIC_INSTRUCTION, new FieldType.StrType())
                            .withDescription("The initial instructions before optimization"),
                    proposedInstruction(), proposedPrefix()))
            .withName("BasicGenerateInstruction");

    /** Proposes instructions from the scored attempts so far, listed in ascending score order. */
    static final Signature GENERATE_INSTRUCTION_GIVEN_ATTEMPTS = Signature.of(
            "You are an instruction optimizer for large language models. I will give some task instructions I've "
                    + "tried, along with their corresponding validation scores. The instructions are arranged in "
                    + "increasing order based on their scores, where higher scores indicate better quality.\n\n"
                    + "Your task is to propose a new instruction that will lead a good language model to perform the "
                    + "task even better. Don't be afraid to be creative.",
            List.of(Field.input(ATTEMPTED_INSTRUCTIONS, new FieldType.StrType()),
                    proposedInstruction(), proposedPrefix()))
            .withName("GenerateInstructionGivenAttempts");

    private CoproPrompts() {}

    private static Field proposedInstruction() {
        return Field.output(PROPOSED_INSTRUCTION, new FieldType.StrType())
                .withDescription("The improved instructions for the language model");
    }

    private static Field proposedPrefix() {
        return Field.output(PROPOSED_PREFIX, new FieldType.StrType())
                .withDescription("The string at the end of the prompt, which will help the model start solving the task");
    }
}
