package dev.dspy4j.springai;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.InputSchema;
import dev.dspy4j.signature.Signature;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * A dspy4j program offered to Spring AI as a {@link ToolCallback}: its definition's input schema
 * is the JSON schema of the signature's inputs, and {@link #call(String)} runs the program on the
 * call's JSON arguments and answers with a JSON object of the signature's outputs. Register it
 * with {@code ChatClient.prompt().toolCallbacks(...)} or on a model's options.
 *
 * <p>The program runs in the {@link DspyContext} given here (its LM, cache, listeners), not in
 * Spring AI's. A program failure propagates as the exception the program threw (Spring AI's tool
 * execution reports it to the model or the caller); arguments that are not a JSON object fail
 * with {@link IllegalArgumentException}.
 *
 * <p>Immutable and thread-safe if the program is (dspy4j modules are).
 */
public final class DspyToolCallback implements ToolCallback {

    private final ToolDefinition definition;
    private final Module module;
    private final Signature signature;
    private final DspyContext context;

    private DspyToolCallback(ToolDefinition definition, Module module, Signature signature, DspyContext context) {
        this.definition = definition;
        this.module = module;
        this.signature = signature;
        this.context = context;
    }

    /**
     * A predictor as a tool; its signature gives the tool's input schema and result.
     *
     * @param name the tool's name, as the model will call it (letters, digits, {@code _} and {@code -})
     * @param description what the tool does, for the model
     * @param predict the predictor to run
     * @param context the context the predictor runs in (at least an LM)
     * @return the tool
     * @throws IllegalArgumentException if the name is blank
     */
    public static DspyToolCallback of(String name, String description, Predict predict, DspyContext context) {
        return of(name, description, predict, predict.signature(), context);
    }

    /**
     * Any program as a tool, described by {@code signature}: its inputs are the tool's input
     * schema, its outputs the keys of the tool's result. For a {@code ChainOfThought}, pass the
     * signature without the reasoning field to keep the reasoning out of the result.
     *
     * @param name the tool's name, as the model will call it
     * @param description what the tool does, for the model
     * @param module the program to run
     * @param signature the program's inputs and outputs
     * @param context the context the program runs in (at least an LM)
     * @return the tool
     * @throws IllegalArgumentException if the name is blank
     */
    public static DspyToolCallback of(String name, String description, Module module, Signature signature,
                                      DspyContext context) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A tool needs a name the model can call; got a blank one");
        }
        Objects.requireNonNull(description, "description");
        ToolDefinition definition = ToolDefinition.builder().name(name).description(description)
                .inputSchema(BridgeJson.write(InputSchema.of(signature))).build();
        return new DspyToolCallback(definition, Objects.requireNonNull(module, "module"), signature,
                Objects.requireNonNull(context, "context"));
    }

    /** The tool's name, description and the JSON schema of the inputs. */
    @Override
    public ToolDefinition getToolDefinition() {
        return definition;
    }

    /**
     * Runs the program for one tool call.
     *
     * @param toolInput a JSON object of the inputs
     * @return a JSON object of the outputs, e.g. {@code {"answer":"Paris"}}
     * @throws IllegalArgumentException if the input is not a JSON object
     */
    @Override
    public String call(String toolInput) {
        Map<String, Object> arguments = BridgeJson.readObject(toolInput);
        Prediction prediction = module.call(arguments, context);
        return BridgeJson.write(ProgramSchema.outputs(prediction, signature));
    }

    @Override
    public String toString() {
        return "DspyToolCallback[" + definition.name() + "]";
    }
}
