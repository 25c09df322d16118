package dev.dspy4j.optimize;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gepa's instruction-proposal prompt (its default template, byte for byte) and the extraction of
 * the new instruction from the reply.
 */
final class GepaReflection {

    /** One reflective record: a predictor call's inputs, outputs and the metric's feedback on it. */
    record Record(Map<String, String> inputs, Map<String, String> outputs, String feedback) {}

    private static final String TEMPLATE = """
            I provided an assistant with the following instructions to perform a task for me:
            ```
            <curr_param>
            ```

            The following are examples of different task inputs provided to the assistant along with the \
            assistant's response for each of them, and some feedback on how the assistant's response could be better:
            ```
            <side_info>
            ```

            Your task is to write a new instruction for the assistant.

            Read the inputs carefully and identify the input format and infer detailed task description about \
            the task I wish to solve with the assistant.

            Read all the assistant responses and the corresponding feedback. Identify all niche and domain \
            specific factual information about the task and include it in the instruction, as a lot of it may not \
            be available to the assistant in the future. The assistant may have utilized a generalizable strategy \
            to solve the task, if so, include that in the instruction as well.

            Provide the new instructions within ``` blocks.""";

    private static final Pattern OPENING_FENCE = Pattern.compile("^```\\S*\\n?");
    private static final Pattern LANGUAGE_LINE = Pattern.compile("^\\S*\\n");

    private GepaReflection() {}

    /** The prompt for one predictor: its instruction and its records as markdown. */
    static String prompt(String instruction, List<Record> records) {
        StringBuilder side = new StringBuilder();
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                side.append("\n\n");
            }
            Record r = records.get(i);
            side.append("# Example ").append(i + 1).append('\n');
            side.append("## Inputs\n").append(section(r.inputs()));
            side.append("## Generated Outputs\n").append(section(r.outputs()));
            side.append("## Feedback\n").append(r.feedback().strip()).append("\n\n");
        }
        // replaced in this order, every occurrence, as gepa does
        return TEMPLATE.replace("<curr_param>", instruction).replace("<side_info>", side.toString());
    }

    private static String section(Map<String, String> values) {
        StringBuilder s = new StringBuilder();
        values.forEach((key, value) -> s.append("### ").append(key).append('\n').append(value.strip()).append("\n\n"));
        if (values.isEmpty()) {
            s.append('\n');
        }
        return s.toString();
    }

    /** The text between the first and the last {@code ```} fence, without a language tag, stripped. */
    static String newInstruction(String reply) {
        int start = reply.indexOf("```") + 3;
        int end = reply.lastIndexOf("```");
        if (start >= end) {
            String stripped = reply.strip();
            if (stripped.startsWith("```")) {
                Matcher m = OPENING_FENCE.matcher(reply);
                if (m.find()) {
                    return reply.substring(m.end()).strip();
                }
            } else if (stripped.endsWith("```")) {
                return stripped.substring(0, stripped.length() - 3).strip();
            }
            return stripped;
        }
        String content = reply.substring(start, end);
        Matcher m = LANGUAGE_LINE.matcher(content);
        if (m.find()) {
            content = content.substring(m.end());
        }
        return content.strip();
    }
}
