package dev.dspy4j.module;

import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.tool.Tool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@link ReAct} shows the LM: the {@code finish} tool and the {@code react} predictor's
 * signature and instructions, in DSPy 3.3.1's words (the prompt format is a contract).
 */
final class ReActPrompts {

    private ReActPrompts() {}

    /**
     * The tools by name, in order, with DSPy's {@code finish} tool last.
     *
     * @throws IllegalArgumentException if two tools share a name or one is named {@code finish}
     */
    static Map<String, Tool> toolsWithFinish(Signature signature, List<Tool> tools) {
        for (String reserved : List.of(ReAct.TRAJECTORY, ReAct.MAX_ITERS_INPUT)) {
            if (signature.hasField(reserved)) {
                throw new IllegalArgumentException("ReAct's signature must not have a field named '" + reserved
                        + "': ReAct uses that name itself. Rename the field in " + signature.shorthand() + ".");
            }
        }
        Map<String, Tool> byName = new LinkedHashMap<>();
        for (Tool tool : tools) {
            if (tool.name().equals(ReAct.FINISH)) {
                throw new IllegalArgumentException("A tool is named '" + ReAct.FINISH + "', which ReAct adds itself to "
                        + "end the loop; rename that tool.");
            }
            if (byName.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalArgumentException("Two tools are named '" + tool.name() + "'; the LM picks tools by "
                        + "name, so each needs its own.");
            }
        }
        String outputs = backticked(signature.outputs());
        byName.put(ReAct.FINISH, Tool.ofSchema(ReAct.FINISH, "Marks the task as complete. That is, signals that all "
                + "information for producing the outputs, i.e. " + outputs + ", are now available to be extracted.",
                Map.of(), args -> "Completed."));
        return Collections.unmodifiableMap(byName);
    }

    /**
     * The {@code react} predictor's signature: the user's inputs, {@code trajectory}, and the three
     * {@code next_*} outputs, with the agent instructions.
     */
    static Signature reactSignature(Signature signature, Collection<Tool> tools) {
        List<Field> fields = new ArrayList<>(signature.inputs());
        fields.add(Field.input(ReAct.TRAJECTORY, FieldType.STR));
        fields.add(Field.output("next_thought", FieldType.STR));
        fields.add(Field.output("next_tool_name", new FieldType.LiteralType(
                tools.stream().map(tool -> (Object) tool.name()).toList())));
        fields.add(Field.output("next_tool_args", new FieldType.DictType(FieldType.STR, FieldType.ANY)));
        return Signature.of(instructions(signature, tools), fields);
    }

    /** The {@code extract} chain of thought's base signature: the user's, with {@code trajectory} last among the inputs. */
    static Signature extractSignature(Signature signature) {
        List<Field> fields = new ArrayList<>(signature.inputs());
        fields.add(Field.input(ReAct.TRAJECTORY, FieldType.STR));
        fields.addAll(signature.outputs());
        return Signature.of(signature.instructions(), fields);
    }

    private static String instructions(Signature signature, Collection<Tool> tools) {
        List<String> lines = new ArrayList<>();
        if (!signature.instructions().isEmpty()) {
            lines.add(signature.instructions() + "\n");
        }
        lines.add("You are an Agent. In each episode, you will be given the fields " + backticked(signature.inputs())
                + " as input. And you can see your past trajectory so far.");
        lines.add("Your goal is to use one or more of the supplied tools to collect any necessary information for "
                + "producing " + backticked(signature.outputs()) + ".\n");
        lines.add("To do this, you will interleave next_thought, next_tool_name, and next_tool_args in each turn, and "
                + "also when finishing the task.");
        lines.add("After each tool call, you receive a resulting observation, which gets appended to your "
                + "trajectory.\n");
        lines.add("When writing next_thought, you may reason about the current situation and plan for future steps.");
        lines.add("When selecting the next_tool_name and its next_tool_args, the tool must be one of:\n");
        int number = 1;
        for (Tool tool : tools) {
            lines.add("(" + number++ + ") " + tool);
        }
        lines.add("When providing `next_tool_args`, the value inside the field must be in JSON format");
        return String.join("\n", lines);
    }

    private static String backticked(List<Field> fields) {
        return fields.stream().map(f -> "`" + f.name() + "`").collect(Collectors.joining(", "));
    }
}
