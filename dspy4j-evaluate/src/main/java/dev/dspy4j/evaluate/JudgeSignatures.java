package dev.dspy4j.evaluate;

import dev.dspy4j.DspyException;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.List;

/** DSPy's LM-judge signatures from {@code dspy/evaluate/auto_evaluation.py}, text for text. */
final class JudgeSignatures {

    private static final String GROUND_TRUTH_COVERED =
            "fraction (out of 1.0) of ground truth covered by the system response";
    private static final String GT_KEY_IDEAS = "enumeration of key ideas in the ground truth";
    private static final String SR_KEY_IDEAS = "enumeration of key ideas in the system response";
    private static final String OVERLAP = "discussion of the overlap between ground truth and system response";
    private static final String PRECISION_DESC =
            "fraction (out of 1.0) of system response covered by the ground truth";

    private JudgeSignatures() {}

    static final Signature SEMANTIC_RECALL_PRECISION = signature("SemanticRecallPrecision",
            "Compare a system's response to the ground truth to compute its recall and precision.\n"
                    + "If asked to reason, enumerate key ideas in each response, and whether they are present in "
                    + "the other response.",
            List.of("question", "ground_truth", "system_response"),
            new String[][] {{"recall", GROUND_TRUTH_COVERED}, {"precision", PRECISION_DESC}});

    static final Signature DECOMPOSITIONAL_SEMANTIC_RECALL_PRECISION = signature(
            "DecompositionalSemanticRecallPrecision",
            "Compare a system's response to the ground truth to compute recall and precision of key ideas.\n"
                    + "You will first enumerate key ideas in each response, discuss their overlap, and then report "
                    + "recall and precision.",
            List.of("question", "ground_truth", "system_response"),
            new String[][] {{"ground_truth_key_ideas", GT_KEY_IDEAS}, {"system_response_key_ideas", SR_KEY_IDEAS},
                {"discussion", OVERLAP}, {"recall", GROUND_TRUTH_COVERED}, {"precision", PRECISION_DESC}});

    static final Signature ANSWER_COMPLETENESS = signature("AnswerCompleteness",
            "Estimate the completeness of a system's responses, against the ground truth.\n"
                    + "You will first enumerate key ideas in each response, discuss their overlap, and then report "
                    + "completeness.",
            List.of("question", "ground_truth", "system_response"),
            new String[][] {{"ground_truth_key_ideas", GT_KEY_IDEAS}, {"system_response_key_ideas", SR_KEY_IDEAS},
                {"discussion", OVERLAP}, {"completeness", GROUND_TRUTH_COVERED}});

    static final Signature ANSWER_GROUNDEDNESS = signature("AnswerGroundedness",
            "Estimate the groundedness of a system's responses, against real retrieved documents written by "
                    + "people.\n"
                    + "You will first enumerate whatever non-trivial or check-worthy claims are made in the system "
                    + "response, and then\n"
                    + "discuss the extent to which some or all of them can be deduced from the retrieved context and "
                    + "basic commonsense.",
            List.of("question", "retrieved_context", "system_response"),
            new String[][] {
                {"system_response_claims", "enumeration of non-trivial or check-worthy claims in the system response"},
                {"discussion", "discussion of how supported the claims are by the retrieved context"},
                {"groundedness", "fraction (out of 1.0) of system response supported by the retrieved context"}});

    private static Signature signature(String name, String instructions, List<String> inputs, String[][] outputs) {
        List<Field> fields = new ArrayList<>();
        for (String input : inputs) {
            fields.add(Field.input(input, FieldType.STR));
        }
        for (String[] output : outputs) {
            boolean number = output[0].equals("recall") || output[0].equals("precision")
                    || output[0].equals("completeness") || output[0].equals("groundedness");
            fields.add(Field.output(output[0], number ? FieldType.FLOAT : FieldType.STR).withDescription(output[1]));
        }
        return Signature.of(instructions, fields).withName(name);
    }

    /** DSPy's {@code f1_score(precision, recall)}: both clamped to [0, 1]; 0 when both are 0. */
    static double f1(double precision, double recall) {
        double p = Math.max(0.0, Math.min(1.0, precision));
        double r = Math.max(0.0, Math.min(1.0, recall));
        return p + r == 0 ? 0.0 : 2 * (p * r) / (p + r);
    }

    static double number(Prediction prediction, String field) {
        Object value = prediction.require(field);
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new DspyException("The judge's " + field + " is not a number: '" + value + "'.", e);
        }
    }

    static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
