package dev.dspy4j.langchain4j;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.InputSchema;
import dev.dspy4j.signature.Signature;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.Map;
import java.util.Objects;

/**
 * A dspy4j program offered to langchain4j as a tool: a {@link ToolSpecification} whose parameters
 * are the JSON schema of the signature's inputs, and {@link #execute(ToolExecutionRequest)}, which
 * runs the program on the call's JSON arguments and answers with a JSON object of the signature's
 * outputs.
 *
 * <p>With langchain4j's {@code AiServices} (in the {@code langchain4j} artifact) register the pair:
 * <pre>{@code
 * AiServices.builder(Assistant.class).chatModel(model)
 *         .tools(Map.of(tool.specification(), (request, memoryId) -> tool.execute(request)))
 *         .build();
 * }</pre>
 * or run it from your own tool loop with {@link #execute(ToolExecutionRequest)}.
 *
 * <p>The program runs in the {@link DspyContext} given here (its LM, cache, listeners), not in
 * the langchain4j model's. A program failure propagates as the exception the program threw, so
 * that langchain4j reports it to the model as a tool error; arguments that are not a JSON object
 * fail with {@link IllegalArgumentException}.
 *
 * <p>Immutable and thread-safe if the program is (dspy4j modules are).
 */
public final class DspyTool {

    private final ToolSpecification specification;
    private final Module module;
    private final Signature signature;
    private final DspyContext context;

    private DspyTool(ToolSpecification specification, Module module, Signature signature, DspyContext context) {
        this.specification = specification;
        this.module = module;
        this.signature = signature;
        this.context = context;
    }

    /**
     * A predictor as a tool; its signature gives the tool's parameters and result.
     *
     * @param name the tool's name, as the model will call it (letters, digits, {@code _} and {@code -})
     * @param description what the tool does, for the model
     * @param predict the predictor to run
     * @param context the context the predictor runs in (at least an LM)
     * @return the tool
     * @throws IllegalArgumentException if the name is blank
     */
    public static DspyTool of(String name, String description, Predict predict, DspyContext context) {
        return of(name, description, predict, predict.signature(), context);
    }

    /**
     * Any program as a tool, described by {@code signature}: its inputs are the tool's parameters,
     * its outputs the keys of the tool's result. For a {@code ChainOfThought}, pass the signature
     * without the reasoning field to keep the reasoning out of the result.
     *
     * @param name the tool's name, as the model will call it
     * @param description what the tool does, for the model
     * @param module the program to run
     * @param signature the program's inputs and outputs
     * @param context the context the program runs in (at least an LM)
     * @return the tool
     * @throws IllegalArgumentException if the name is blank
     */
    public static DspyTool of(String name, String description, Module module, Signature signature,
                              DspyContext context) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A tool needs a name the model can call; got a blank one");
        }
        Objects.requireNonNull(description, "description");
        ToolSpecification specification = ToolSpecification.builder().name(name).description(description)
                .parameters(BridgeJson.objectSchema(InputSchema.of(signature))).build();
        return new DspyTool(specification, Objects.requireNonNull(module, "module"), signature,
                Objects.requireNonNull(context, "context"));
    }

    /** The tool's specification: name, description and the JSON schema of the inputs. */
    public ToolSpecification specification() {
        return specification;
    }

    /**
     * Runs the program for one tool call.
     *
     * @param request the model's call (its arguments are a JSON object of the inputs)
     * @return a JSON object of the outputs, e.g. {@code {"answer":"Paris"}}
     * @throws IllegalArgumentException if the arguments are not a JSON object
     * @throws RuntimeException whatever the program throws (missing input, LM failure...)
     */
    public String execute(ToolExecutionRequest request) {
        return execute(request.arguments() == null ? "{}" : request.arguments());
    }

    /**
     * Runs the program on JSON arguments.
     *
     * @param argumentsJson a JSON object of the inputs
     * @return a JSON object of the outputs
     * @throws IllegalArgumentException if the arguments are not a JSON object
     */
    public String execute(String argumentsJson) {
        Map<String, Object> arguments = BridgeJson.readObject(argumentsJson);
        Prediction prediction = module.call(arguments, context);
        return BridgeJson.write(ProgramSchema.outputs(prediction, signature));
    }

    @Override
    public String toString() {
        return "DspyTool[" + specification.name() + "]";
    }
}
