package dev.dspy4j.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.tool.Tool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the tool descriptors of golden cases into {@link Tool}s. A case describes each
 * {@code dspy.Tool} input by what DSPy inferred for it ({@code name}, {@code desc}, {@code args},
 * {@code arg_types}), not by code, so the runner builds schema tools from those and checks that
 * dspy4j infers the same argument types from the schemas.
 */
final class GoldenTools {

    private GoldenTools() {}

    /** The inputs with every value of a {@code Tool} or {@code list[Tool]} field made into tools. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> resolve(Signature signature, Map<String, Object> inputs) {
        Map<String, Object> out = new LinkedHashMap<>(inputs);
        for (Field field : signature.inputs()) {
            Object value = inputs.get(field.name());
            if (isTool(field.type()) && value instanceof Map<?, ?> descriptor) {
                out.put(field.name(), tool((Map<String, Object>) descriptor));
            } else if (field.type() instanceof FieldType.ListType list && isTool(list.element())
                    && value instanceof List<?> descriptors) {
                List<Tool> tools = new ArrayList<>();
                for (Object descriptor : descriptors) {
                    tools.add(tool((Map<String, Object>) descriptor));
                }
                out.put(field.name(), tools);
            }
        }
        return out;
    }

    private static boolean isTool(FieldType type) {
        return type instanceof FieldType.SpecialType s && s.kind() == FieldType.SpecialType.Kind.TOOL;
    }

    @SuppressWarnings("unchecked")
    private static Tool tool(Map<String, Object> descriptor) {
        String name = (String) descriptor.get("name");
        // older cases give only the docstring, which is where DSPy takes the description from
        Object described = descriptor.containsKey("desc") ? descriptor.get("desc") : descriptor.get("docstring");
        String desc = described instanceof String text ? text : "";
        Map<String, Map<String, Object>> args = (Map<String, Map<String, Object>>) descriptor.get("args");
        Tool tool = Tool.ofSchema(name, desc, args, arguments -> {
            throw new AssertionError("golden tools are never called");
        });
        if (descriptor.get("arg_types") instanceof Map<?, ?> argTypes) {
            assertThat(tool.argTypes()).as("argument types inferred for tool %s", name).isEqualTo(argTypes);
        }
        return tool;
    }
}
