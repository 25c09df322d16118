package dev.dspy4j.examples;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.module.ProgramOfThought;
import dev.dspy4j.python.GraalPyInterpreter;
import dev.dspy4j.signature.Signature;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A math word problem solved with {@link ProgramOfThought}: the LM writes Python, which runs in
 * the GraalPy sandbox of {@code dspy4j-python}; errors go back to the LM for a fix, and the answer
 * is read from the code's output. Prints the answer and the reasoning.
 *
 * <p>The model comes from {@code DSPY4J_MODEL} and the provider's usual variables, as in
 * {@link Quickstart}. The first run of a JVM spends a few seconds starting GraalPy. Exit status: 0
 * on success, 2 when nothing is configured, 1 when the provider fails or no code works.
 */
public final class ProgramOfThoughtExample {

    static final String QUESTION = "A shop sells pencils at 0.35 EUR each and erasers at 0.80 EUR each. "
            + "Ann buys 17 pencils and 4 erasers and pays with a 20 EUR note. How much change does she get, in EUR?";

    private ProgramOfThoughtExample() {}

    /** Entry point; exits with the status described in the class comment. */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err));
    }

    /** The program: at most 3 code attempts, answering a float. */
    static ProgramOfThought program(GraalPyInterpreter python) {
        return ProgramOfThought.of(Signature.parse("question -> answer: float"), 3, python);
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
        try (GraalPyInterpreter python = GraalPyInterpreter.builder().timeout(Duration.ofSeconds(5)).build()) {
            Prediction prediction = program(python).call(Map.of("question", QUESTION),
                    DspyContext.of(configured.get()));
            out.println("question:  " + QUESTION);
            out.println("answer:    " + prediction.get("answer"));
            out.println("reasoning: " + prediction.get("reasoning"));
            return 0;
        } catch (LmException e) {
            err.println("The LM call failed: " + e.getMessage());
            return 1;
        } catch (ProgramOfThought.CodeFailedException e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
