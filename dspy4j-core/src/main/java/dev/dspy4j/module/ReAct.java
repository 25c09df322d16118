package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.adapter.AdapterParseException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.tool.ToolException;
import dev.dspy4j.tool.ToolResult;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent that reasons and acts: the Java counterpart of {@code dspy.ReAct}. In each step the
 * {@code react} predictor picks a tool and its arguments, the tool runs, and its result (the
 * observation) joins the trajectory; after the {@code finish} tool, or {@code maxIters} steps, the
 * {@code extract} chain of thought reads the trajectory and produces the signature's outputs.
 *
 * <pre>{@code
 * ReAct agent = ReAct.of("question -> answer", Tool.fromAnnotated(new Catalogue()));
 * Prediction p = agent.call(Map.of("question", "How much do two lamps cost?"), DspyContext.of(lm));
 * p.getString("answer");   // p.get("trajectory") holds every step
 * }</pre>
 *
 * <p><b>Predictors</b>, with DSPy's paths, so DSPy's saved files load and optimizers see both:
 * {@code react} (the user's inputs and {@code trajectory} → {@code next_thought},
 * {@code next_tool_name} as a {@code Literal} of the tool names and {@code finish},
 * {@code next_tool_args} as {@code dict[str, Any]}; its instructions list the tools) and
 * {@code extract.predict} (a {@link ChainOfThought} over the user's signature plus
 * {@code trajectory}).
 *
 * <p><b>The loop</b> is DSPy 3.3's: the trajectory reaches both predictors as the context
 * adapter's {@linkplain dev.dspy4j.adapter.Adapter#formatUserMessageContent user-message
 * rendering} of {@code thought_i}, {@code tool_name_i}, {@code tool_args_i} and
 * {@code observation_i}. A tool is called with {@link Tool#invoke}, inside a
 * {@link SpanKind#TOOL_CALL} span when listeners are present; its value is the observation. A
 * failure (bad arguments, an exception, a timeout, an unknown tool) becomes the observation
 * {@code Execution error in <tool>: <what happened>}, where DSPy puts a Python traceback. A reply
 * of {@code react} that cannot be parsed (such as an unknown tool name) ends the loop, as a
 * context window that stays too small does; {@code extract} then still runs. An input named
 * {@code max_iters} overrides {@link Builder#maxIters} for that call.
 *
 * <p><b>Context window.</b> When a call fails with {@link LmException.ContextWindowExceeded}, the
 * oldest step is dropped and the call retried, up to 3 times. A trajectory of one step cannot be
 * shortened: that, or a third overflow, raises {@link TrajectoryTooLongException}.
 *
 * <p><b>The result</b> holds {@code trajectory} (an unmodifiable ordered map of the steps) and
 * {@code extract}'s outputs ({@code reasoning} and the signature's outputs).
 *
 * <p>Immutable and thread-safe, provided its tools are.
 */
public final class ReAct extends Module {

    /** DSPy's default step limit. */
    public static final int DEFAULT_MAX_ITERS = 20;
    /** The name of the tool that ends the loop. */
    public static final String FINISH = "finish";
    /** The input that overrides the step limit for one call, as in DSPy. */
    public static final String MAX_ITERS_INPUT = "max_iters";
    /** The name of the input and of the output holding the steps. */
    public static final String TRAJECTORY = "trajectory";

    private static final Logger LOG = LoggerFactory.getLogger(ReAct.class);
    private static final int TRUNCATION_ATTEMPTS = 3;

    private final Signature signature;
    private final Map<String, Tool> tools;
    private final int maxIters;
    private final Predict react;
    private final ChainOfThought extract;

    private ReAct(Builder builder) {
        this.signature = builder.signature;
        this.maxIters = builder.maxIters;
        this.tools = ReActPrompts.toolsWithFinish(signature, builder.tools);
        this.react = new Predict(ReActPrompts.reactSignature(signature, tools.values()));
        this.extract = new ChainOfThought(ReActPrompts.extractSignature(signature));
    }

    /** An agent over DSPy's shorthand, e.g. {@code "question -> answer"}, with DSPy's defaults. */
    public static ReAct of(String signature, List<Tool> tools) {
        return builder(Signature.parse(signature), tools).build();
    }

    /** An agent over {@code signature} with DSPy's defaults. */
    public static ReAct of(Signature signature, List<Tool> tools) {
        return builder(signature, tools).build();
    }

    /**
     * A builder for an agent over {@code signature} using {@code tools}, in the order the LM sees
     * them ({@code finish} is added last).
     */
    public static Builder builder(Signature signature, List<Tool> tools) {
        return new Builder(signature, tools);
    }

    /**
     * A typed agent over records (see {@link Signature#fromRecords(Class, Class)}): {@code call}
     * returns the output record; {@link TypedModule#predict} also gives the trajectory and the
     * reasoning.
     */
    public static <I extends Record, O extends Record> TypedModule<I, O> typed(Class<I> inputs, Class<O> outputs,
                                                                             List<Tool> tools) {
        return new TypedModule<>(of(Signature.fromRecords(inputs, outputs), tools), inputs, outputs);
    }

    /** The user's signature. */
    public Signature signature() {
        return signature;
    }

    /** The tools by name, in the order the LM sees them, {@code finish} last. */
    public Map<String, Tool> tools() {
        return tools;
    }

    /** The step limit when the call gives no {@code max_iters}. */
    public int maxIters() {
        return maxIters;
    }

    /** The predictor that picks the next tool (path {@code react}). */
    public Predict react() {
        return react;
    }

    /** The chain of thought that produces the outputs (path {@code extract.predict}). */
    public ChainOfThought extract() {
        return extract;
    }

    @Override
    protected Map<String, ?> children() {
        Map<String, Object> children = new LinkedHashMap<>();
        children.put("react", react);
        children.put("extract", extract);
        return children;
    }

    @Override
    protected Prediction forward(Example example) {
        DspyContext context = DspyContext.current();
        Map<String, @Nullable Object> inputs = new LinkedHashMap<>(example.toMap());
        int limit = inputs.containsKey(MAX_ITERS_INPUT) ? iterationLimit(inputs.remove(MAX_ITERS_INPUT)) : maxIters;
        Trajectory trajectory = new Trajectory();
        for (int index = 0; index < limit; index++) {
            Prediction step;
            try {
                step = callWithTruncation(react, trajectory, inputs, context);
            } catch (AdapterParseException | TrajectoryTooLongException e) {
                LOG.warn("Ending the trajectory: the agent failed to select a valid tool: {}", e.getMessage());
                break;
            }
            String toolName = String.valueOf(step.get("next_tool_name"));
            Object toolArgs = step.get("next_tool_args");
            trajectory.add(index, step.get("next_thought"), toolName, toolArgs, observe(toolName, toolArgs, context));
            if (FINISH.equals(toolName)) {
                break;
            }
        }
        Prediction extracted = callWithTruncation(extract, trajectory, inputs, context);
        Map<String, @Nullable Object> result = new LinkedHashMap<>();
        result.put(TRAJECTORY, trajectory.snapshot());
        result.putAll(extracted.toMap());
        return Prediction.of(result);
    }

    private static int iterationLimit(@Nullable Object value) {
        if (value instanceof Number number && number.doubleValue() == number.longValue() && number.longValue() >= 0
                && number.longValue() <= Integer.MAX_VALUE) {
            return number.intValue();
        }
        throw new DspyException("The input " + MAX_ITERS_INPUT + " must be a whole number of steps, at least 0; was "
                + value + ". Leave it out to use the agent's limit.");
    }

    private Prediction callWithTruncation(Module module, Trajectory trajectory, Map<String, @Nullable Object> inputs,
                                          DspyContext context) {
        LmException.ContextWindowExceeded last = null;
        for (int attempt = 0; attempt < TRUNCATION_ATTEMPTS; attempt++) {
            Map<String, @Nullable Object> call = new LinkedHashMap<>(inputs);
            call.put(TRAJECTORY, trajectory.format(context.adapter()));
            try {
                return module.call(call, context);
            } catch (LmException.ContextWindowExceeded e) {
                last = e;
                if (!trajectory.dropOldestStep()) {
                    throw new TrajectoryTooLongException("The prompt exceeded the context window, but the trajectory "
                            + "cannot be truncated because it has at most one tool call. Use a model with a larger "
                            + "context window, or tools that return less text.", e);
                }
                LOG.warn("The trajectory exceeded the context window; dropped its oldest tool call and retrying.");
            }
        }
        throw new TrajectoryTooLongException("The context window was exceeded even after " + TRUNCATION_ATTEMPTS
                + " attempts to truncate the trajectory. Use a model with a larger context window, or fewer steps.",
                last);
    }

    private @Nullable Object observe(String toolName, @Nullable Object toolArgs, DspyContext context) {
        Tool tool = tools.get(toolName);
        if (tool == null) {
            return executionError(toolName, "no tool is named '" + toolName + "'; the tools are " + tools.keySet()
                    + ".");
        }
        if (!(toolArgs instanceof Map<?, ?> args)) {
            return executionError(toolName, "next_tool_args must be a JSON object of arguments, not " + toolArgs
                    + ".");
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        args.forEach((k, v) -> arguments.put(String.valueOf(k), v));
        ToolResult result;
        if (context.listeners().isEmpty()) {
            result = tool.invoke(arguments);
        } else {
            ActiveSpan span = context.startSpan(SpanKind.TOOL_CALL, toolName, Map.of("dspy.tool.name", toolName));
            result = tool.invoke(arguments);
            if (result instanceof ToolResult.Failure failure) {
                span.fail(failure.toException());
            } else {
                span.end();
            }
        }
        return switch (result) {
            case ToolResult.Success success -> success.value();
            case ToolResult.Failure failure when failure.kind() == ToolException.Kind.INTERRUPTED ->
                    throw failure.toException();
            case ToolResult.Failure failure -> executionError(toolName, failure.message());
        };
    }

    private static String executionError(String toolName, String message) {
        return "Execution error in " + toolName + ": " + message;
    }

    @Override
    public String toString() {
        return "ReAct(" + signature.shorthand() + ", tools=" + tools.keySet().stream().collect(Collectors.joining(", ",
                "[", "]")) + ")";
    }

    /**
     * The trajectory no longer fits the model's context window, even after dropping its oldest
     * steps. Its cause is the last {@link LmException.ContextWindowExceeded}. Not retryable.
     */
    public static final class TrajectoryTooLongException extends DspyException {
        TrajectoryTooLongException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Settings of a {@link ReAct} agent, each checked as it is set. Not thread-safe; the agents it
     * builds are.
     */
    public static final class Builder {
        private final Signature signature;
        private final List<Tool> tools;
        private int maxIters = DEFAULT_MAX_ITERS;

        private Builder(Signature signature, List<Tool> tools) {
            this.signature = Objects.requireNonNull(signature, "signature");
            this.tools = new ArrayList<>(Objects.requireNonNull(tools, "tools"));
            this.tools.forEach(tool -> Objects.requireNonNull(tool, "tool"));
        }

        /**
         * The most steps (tool calls) before {@code extract} runs; DSPy's default is 20. An input
         * {@code max_iters} overrides it per call. 0 skips straight to {@code extract}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxIters(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("maxIters must be at least 0, was " + steps);
            }
            this.maxIters = steps;
            return this;
        }

        /**
         * The agent.
         *
         * @throws IllegalArgumentException if two tools share a name, a tool is named
         *     {@code finish}, or the signature has an input named {@code trajectory} or
         *     {@code max_iters}
         */
        public ReAct build() {
            return new ReAct(this);
        }
    }
}
