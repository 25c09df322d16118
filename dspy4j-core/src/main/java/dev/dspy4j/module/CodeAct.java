package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.tool.Tool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An agent that acts by writing code: the Java counterpart of {@code dspy.CodeAct} (ReAct's loop
 * with ProgramOfThought's code). In each step the {@code codeact} predictor writes Python that may
 * call the tools as functions; the interpreter runs it and its output (or error) joins the
 * trajectory; when the LM sets {@code finished}, or after {@code maxIters} steps, the
 * {@code extractor} chain of thought reads the trajectory and produces the signature's outputs.
 *
 * <pre>{@code
 * try (GraalPyInterpreter python = GraalPyInterpreter.create()) {
 *     CodeAct agent = CodeAct.of("n -> factorial", Tool.fromAnnotated(new MathTools()), python);
 *     agent.call(Map.of("n", 5), DspyContext.of(lm)).get("factorial");
 * }
 * }</pre>
 *
 * <p><b>Predictors</b>, with DSPy's paths: {@code codeact} (the inputs and {@code trajectory} →
 * {@code generated_code}, {@code finished: bool}; its instructions list the tools as ReAct's do)
 * and {@code extractor.predict} (a {@link ChainOfThought} over the user's signature plus
 * {@code trajectory}).
 *
 * <p><b>Tools</b> are dspy4j {@link Tool}s, called from Python through the interpreter's host
 * callback (DSPy instead pastes each tool function's source into the interpreter): positional
 * arguments bind to the tool's arguments in order, keyword arguments by name. A failing tool raises
 * a Python exception in the code.
 *
 * <p><b>The loop</b> is DSPy 3.3.1's: one {@link CodeSession} per call, so variables persist from
 * step to step. Step {@code i} adds {@code generated_code_i} and {@code code_output_i} (the JSON
 * of the output), or {@code observation_i} with the parse or execution error. A reply whose code
 * cannot be parsed does not end the loop even when it says {@code finished}. {@code codeact} gets
 * the trajectory as a map; {@code extractor} gets the adapter's rendering of it. An input named
 * {@code max_iters} overrides {@code maxIters} for one call. Unlike ReAct, an overlong trajectory
 * is not truncated.
 *
 * <p>The result holds {@code trajectory} (an unmodifiable ordered map) and {@code extractor}'s
 * outputs. Immutable and thread-safe when the tools and the interpreter are; the caller owns the
 * interpreter.
 */
public final class CodeAct extends Module {

    /** DSPy's default step limit. */
    public static final int DEFAULT_MAX_ITERS = 5;

    private final Signature signature;
    private final List<Tool> tools;
    private final int maxIters;
    private final CodeInterpreter interpreter;
    private final Predict codeact;
    private final ChainOfThought extractor;

    private CodeAct(Signature signature, List<Tool> tools, int maxIters, CodeInterpreter interpreter) {
        for (String reserved : List.of(ReAct.TRAJECTORY, ReAct.MAX_ITERS_INPUT, "generated_code", "finished")) {
            if (signature.hasField(reserved)) {
                throw new IllegalArgumentException("CodeAct's signature must not have a field named '" + reserved
                        + "': CodeAct uses that name itself. Rename the field in " + signature.shorthand() + ".");
            }
        }
        Map<String, Tool> byName = new LinkedHashMap<>();
        for (Tool tool : tools) {
            if (byName.putIfAbsent(Objects.requireNonNull(tool, "tool").name(), tool) != null) {
                throw new IllegalArgumentException("Two tools are named '" + tool.name() + "'; the code calls "
                        + "tools by name, so each needs its own.");
            }
        }
        this.signature = signature;
        this.tools = List.copyOf(byName.values());
        this.maxIters = maxIters;
        this.interpreter = interpreter;
        List<Field> codeFields = new ArrayList<>(signature.inputs());
        codeFields.add(Field.input(ReAct.TRAJECTORY, FieldType.STR));
        codeFields.add(Field.output("generated_code", FieldType.STR).withDescription(
                "Python code that when executed, produces output relevant to answering the question"));
        codeFields.add(Field.output("finished", FieldType.BOOL)
                .withDescription("a boolean flag to determine if the process is done"));
        this.codeact = new Predict(Signature.of(instructions(signature, this.tools), codeFields));
        List<Field> extractFields = new ArrayList<>(signature.inputs());
        extractFields.addAll(signature.outputs());
        extractFields.add(Field.input(ReAct.TRAJECTORY, FieldType.STR));
        this.extractor = new ChainOfThought(Signature.of(signature.instructions(), extractFields));
    }

    /** An agent over DSPy's shorthand with DSPy's 5 steps. */
    public static CodeAct of(String signature, List<Tool> tools, CodeInterpreter interpreter) {
        return of(Signature.parse(signature), tools, DEFAULT_MAX_ITERS, interpreter);
    }

    /**
     * An agent over {@code signature}.
     *
     * @param tools the functions the code may call, in the order the instructions list them
     * @param maxIters the most code steps before {@code extractor} runs, at least 0
     * @param interpreter runs the code; shared by concurrent calls, each in its own session
     * @throws IllegalArgumentException if {@code maxIters < 0}, two tools share a name, or the
     *     signature uses a name CodeAct reserves ({@code trajectory}, {@code max_iters},
     *     {@code generated_code}, {@code finished})
     */
    public static CodeAct of(Signature signature, List<Tool> tools, int maxIters, CodeInterpreter interpreter) {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(interpreter, "interpreter");
        if (maxIters < 0) {
            throw new IllegalArgumentException("maxIters must be at least 0, was " + maxIters);
        }
        return new CodeAct(signature, tools, maxIters, interpreter);
    }

    /** The user's signature. */
    public Signature signature() {
        return signature;
    }

    /** The tools, in the order the LM sees them. */
    public List<Tool> tools() {
        return tools;
    }

    /** The step limit when the call gives no {@code max_iters}. */
    public int maxIters() {
        return maxIters;
    }

    /** The predictor that writes each step's code (path {@code codeact}). */
    public Predict codeact() {
        return codeact;
    }

    /** The chain of thought that produces the outputs (path {@code extractor.predict}). */
    public ChainOfThought extractor() {
        return extractor;
    }

    @Override
    protected Map<String, ?> children() {
        Map<String, Object> children = new LinkedHashMap<>();
        children.put("codeact", codeact);
        children.put("extractor", extractor);
        return children;
    }

    @Override
    protected Prediction forward(Example example) {
        DspyContext context = DspyContext.current();
        Map<String, @Nullable Object> inputs = new LinkedHashMap<>(example.toMap());
        int limit = maxIters;
        if (inputs.containsKey(ReAct.MAX_ITERS_INPUT)) {
            Object value = inputs.remove(ReAct.MAX_ITERS_INPUT);
            if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0
                    || n.longValue() > Integer.MAX_VALUE) {
                throw new DspyException("The input " + ReAct.MAX_ITERS_INPUT + " must be a whole number of steps, "
                        + "at least 0; was " + value + ". Leave it out to use the agent's limit.");
            }
            limit = n.intValue();
        }
        Map<String, @Nullable Object> trajectory = new LinkedHashMap<>();
        try (CodeSession session = interpreter.openSession(tools)) {
            for (int index = 0; index < limit; index++) {
                Map<String, @Nullable Object> call = new LinkedHashMap<>(inputs);
                call.put(ReAct.TRAJECTORY, new LinkedHashMap<>(trajectory));
                Prediction step = codeact.call(call, context);
                GeneratedCode code = GeneratedCode.parse(step.get("generated_code"));
                if (code.error() != null) {
                    trajectory.put("observation_" + index, "Failed to parse the generated code: " + code.error());
                    continue;
                }
                trajectory.put("generated_code_" + index, code.code());
                try {
                    trajectory.put("code_output_" + index, GeneratedCode.outputText(session.execute(code.code())));
                } catch (CodeExecutionException e) {
                    trajectory.put("observation_" + index, "Failed to execute the generated code: " + e.getMessage());
                }
                if (Boolean.TRUE.equals(step.get("finished"))) {
                    break;
                }
            }
        }
        Map<String, @Nullable Object> call = new LinkedHashMap<>(inputs);
        call.put(ReAct.TRAJECTORY, Trajectory.format(context.adapter(), trajectory));
        Prediction extracted = extractor.call(call, context);
        Map<String, @Nullable Object> result = new LinkedHashMap<>();
        result.put(ReAct.TRAJECTORY, Collections.unmodifiableMap(trajectory));
        result.putAll(extracted.toMap());
        return Prediction.of(result);
    }

    private static String instructions(Signature signature, List<Tool> tools) {
        List<String> lines = new ArrayList<>();
        if (!signature.instructions().isEmpty()) {
            lines.add(signature.instructions() + "\n");
        }
        String outputs = ProgramOfThought.backticked(signature.outputs());
        lines.add("You are an intelligent agent. For each episode, you will receive the fields "
                + ProgramOfThought.backticked(signature.inputs()) + " as input.\n"
                + "Your goal is to generate executable Python code that collects any necessary information for "
                + "producing " + outputs + ".\n"
                + "For each iteration, you will generate a code snippet that either solves the task or progresses "
                + "towards the solution.\n"
                + "Ensure any output you wish to extract from the code is printed to the console. The code should be "
                + "enclosed in a fenced code block.\n"
                + "When all information for producing the outputs (" + outputs + ") are available to be extracted, "
                + "mark `finished=True` besides the final Python code.\n"
                + "You have access to the Python Standard Library and the following functions:");
        for (int i = 0; i < tools.size(); i++) {
            lines.add("(" + (i + 1) + ") " + tools.get(i));
        }
        return String.join("\n", lines);
    }

    @Override
    public String toString() {
        return "CodeAct(" + signature.shorthand() + ", tools=" + tools.stream().map(Tool::name).toList() + ")";
    }
}
