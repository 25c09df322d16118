package dev.dspy4j.examples;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.module.ReAct;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.tool.Tool;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ReAct agent with two Java tools over the examples' product catalogue: it looks products up
 * and does the arithmetic, then answers. Prints the answer and every step of the trajectory.
 *
 * <p>The model comes from {@code DSPY4J_MODEL} and the provider's usual variables, as in
 * {@link Quickstart}. Exit status: 0 on success, 2 when nothing is configured, 1 when the provider
 * fails.
 */
public final class AgentExample {

    static final String QUESTION = "How much do two brass desk lamps and one oak dining chair cost together, in EUR?";

    private AgentExample() {}

    /** Entry point; exits with the status described in the class comment. */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err));
    }

    /** The agent: the catalogue's tools ({@code calculate}, {@code find_products}), at most 6 steps. */
    static ReAct agent() {
        List<Tool> tools = Tool.fromAnnotated(ProductCatalogue.load());
        return ReAct.builder(Signature.parse("question -> answer: float")
                        .withInstructions("Answer questions about the shop's products and their prices."), tools)
                .maxIters(6)
                .build();
    }

    /**
     * Runs the example.
     *
     * @param environment where the model name, keys and base URLs are read from
     * @param out where results go
     * @param err where problems go
     * @return the exit status
     */
    public static int run(Map<String, String> environment, PrintStream out, PrintStream err) {
        Optional<Lm> configured = ExampleLm.fromEnvironment(environment, err);
        if (configured.isEmpty()) {
            return 2;
        }
        Prediction prediction;
        try {
            prediction = agent().call(Map.of("question", QUESTION), DspyContext.of(configured.get()));
        } catch (LmException e) {
            err.println("The LM call failed: " + e.getMessage());
            return 1;
        }
        out.println("question: " + QUESTION);
        out.println("answer:   " + prediction.get("answer"));
        out.println();
        out.println("Trajectory:");
        Map<?, ?> trajectory = (Map<?, ?>) prediction.get(ReAct.TRAJECTORY);
        trajectory.forEach((key, value) -> out.println("  " + key + ": " + value));
        return 0;
    }
}
